#pragma once

#include "outcome.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct whisper_context;
struct whisper_state;

// Owns the loaded model and up to `parallel` whisper states (created on first need; the weights are shared).
// Each accepted job runs on its own thread with one state; the stdin loop stays free to receive cancels.
class Worker {
public:
    Worker(whisper_context * ctx, int threads, int parallel);
    ~Worker();

    // Handles one protocol line. Returns false when the line asked the worker to shut down.
    bool handle_line(const std::string & line);

    // Cancels every job, waits for their threads and frees the states.
    void shutdown();

private:
    struct Job {
        std::string id;
        std::atomic<bool> cancel{false};
        std::atomic<bool> released{false}; // its slot is free again (set before the final event is written)
        std::atomic<bool> done{false};
        std::thread thread;
    };

    void start_job(const std::string & id, std::function<Outcome(whisper_state *, Job &)> body);
    whisper_state * acquire_state();
    void release_state(whisper_state * state);
    void reap_finished();

    whisper_context * ctx_;
    const int threads_;
    const int parallel_;
    const bool multilingual_;

    std::mutex states_mutex_;
    std::vector<whisper_state *> free_states_;
    std::vector<whisper_state *> all_states_;

    // Jobs holding a slot. Decremented before the job's final event is written, so a client that sends its
    // next request as soon as it reads a result never sees a spurious ENGINE_BUSY.
    std::atomic<int> busy_{0};

    // Touched only by the stdin thread; job threads only flip their own atomics.
    std::map<std::string, std::shared_ptr<Job>> jobs_;
};
