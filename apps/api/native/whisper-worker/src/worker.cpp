#include "worker.hpp"

#include "bench_encode.hpp"
#include "emitter.hpp"
#include "request.hpp"
#include "transcribe.hpp"
#include "whisper.h"

using nlohmann::json;

Worker::Worker(whisper_context * ctx, int threads, int parallel)
    : ctx_(ctx), threads_(threads), parallel_(parallel), multilingual_(whisper_is_multilingual(ctx) != 0) {}

Worker::~Worker() {
    shutdown();
}

bool Worker::handle_line(const std::string & line) {
    reap_finished();
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
        return true;
    }
    const json op = json::parse(line, nullptr, false);
    if (op.is_discarded() || !op.is_object()) {
        emitter::error("", "INVALID_OPTION", "malformed line: not a JSON object");
        return true;
    }
    const std::string id = op.contains("id") && op["id"].is_string() ? op["id"].get<std::string>() : "";
    const std::string name = op.contains("op") && op["op"].is_string() ? op["op"].get<std::string>() : "";

    if (name == "shutdown") {
        return false;
    }
    if (name == "cancel") {
        const auto it = jobs_.find(id);
        if (it != jobs_.end()) {
            it->second->cancel = true;
        }
        return true; // cancelling a finished or unknown job is not an error: it raced with completion
    }
    if (name != "transcribe" && name != "bench_encode") {
        emitter::error(id, "INVALID_OPTION", "unknown op '" + name + "'");
        return true;
    }
    if (id.empty()) {
        emitter::error("", "INVALID_OPTION", "op '" + name + "' needs a string 'id'");
        return true;
    }
    const auto existing = jobs_.find(id);
    if (existing != jobs_.end()) {
        if (!existing->second->released) {
            emitter::error(id, "INVALID_OPTION", "a job with id '" + id + "' is already running");
            return true;
        }
        existing->second->thread.join(); // finished but not reaped yet: it is only writing its last line
        jobs_.erase(existing);
    }
    if (busy_.load() >= parallel_) {
        emitter::error(id, "ENGINE_BUSY", "all " + std::to_string(parallel_) + " slots are busy");
        return true;
    }

    std::string reason;
    if (name == "transcribe") {
        TranscribeRequest req;
        req.id = id;
        if (!parse_transcribe(op, threads_, multilingual_, req, reason)) {
            emitter::error(id, "INVALID_OPTION", reason);
            return true;
        }
        start_job(id, [this, req](whisper_state * state, Job & job) {
            return run_transcription(ctx_, state, req, job.cancel);
        });
        return true;
    }
    int threads = threads_;
    if (!parse_threads(op, threads_, threads, reason)) {
        emitter::error(id, "INVALID_OPTION", reason);
        return true;
    }
    start_job(id, [this, id, threads](whisper_state * state, Job &) {
        return run_bench_encode(ctx_, state, id, threads);
    });
    return true;
}

void Worker::start_job(const std::string & id, std::function<Outcome(whisper_state *, Job &)> body) {
    auto job = std::make_shared<Job>();
    job->id = id;
    jobs_[id] = job;
    busy_++;
    Job & ref = *job; // the map keeps the Job alive until the thread is joined
    job->thread = std::thread([this, &ref, body = std::move(body)]() {
        Outcome out = Outcome::failure("ENGINE_FAILED", "could not allocate a whisper state (out of memory?)");
        if (whisper_state * state = acquire_state()) {
            try {
                out = body(state, ref);
            } catch (const std::exception & e) {
                out = Outcome::failure("ENGINE_FAILED", e.what());
            }
            release_state(state);
        }
        ref.released = true;
        busy_--;
        out.ok ? emitter::emit(out.event) : emitter::error(ref.id, out.code, out.message);
        ref.done = true;
    });
}

whisper_state * Worker::acquire_state() {
    {
        std::lock_guard<std::mutex> lock(states_mutex_);
        if (!free_states_.empty()) {
            whisper_state * s = free_states_.back();
            free_states_.pop_back();
            return s;
        }
    }
    // busy_ never exceeds `parallel` and a state is returned before its slot is, so at most `parallel` exist.
    whisper_state * s = whisper_init_state(ctx_);
    if (s != nullptr) {
        std::lock_guard<std::mutex> lock(states_mutex_);
        all_states_.push_back(s);
    }
    return s;
}

void Worker::release_state(whisper_state * state) {
    std::lock_guard<std::mutex> lock(states_mutex_);
    free_states_.push_back(state);
}

void Worker::reap_finished() {
    for (auto it = jobs_.begin(); it != jobs_.end();) {
        if (it->second->done) {
            it->second->thread.join();
            it = jobs_.erase(it);
        } else {
            ++it;
        }
    }
}

void Worker::shutdown() {
    for (auto & kv : jobs_) {
        kv.second->cancel = true;
    }
    for (auto & kv : jobs_) {
        if (kv.second->thread.joinable()) {
            kv.second->thread.join();
        }
    }
    jobs_.clear();
    std::lock_guard<std::mutex> lock(states_mutex_);
    for (whisper_state * s : all_states_) {
        whisper_free_state(s);
    }
    all_states_.clear();
    free_states_.clear();
}
