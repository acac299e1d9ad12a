#include "request.hpp"

#include "whisper.h"

using nlohmann::json;

namespace {

// Reads an optional field of the expected JSON type; a present field of the wrong type is an error.
template <typename T>
bool optional_field(const json & op, const char * key, json::value_t kind, T & out, std::string & reason) {
    if (!op.contains(key) || op.at(key).is_null()) {
        return true;
    }
    const json & v = op.at(key);
    const bool numeric_ok = kind == json::value_t::number_float && v.is_number();
    const bool integer_ok = kind == json::value_t::number_integer && v.is_number_integer();
    if (v.type() != kind && !numeric_ok && !integer_ok) {
        reason = std::string("field '") + key + "' has the wrong type";
        return false;
    }
    out = v.get<T>();
    return true;
}

} // namespace

bool parse_threads(const json & op, int default_threads, int & threads, std::string & reason) {
    threads = default_threads;
    if (!optional_field(op, "threads", json::value_t::number_integer, threads, reason)) {
        return false;
    }
    if (threads < 1 || threads > 512) {
        reason = "threads must be between 1 and 512";
        return false;
    }
    return true;
}

bool parse_transcribe(const json & op, int default_threads, bool multilingual, TranscribeRequest & out,
                      std::string & reason) {
    const auto str = json::value_t::string;
    const auto num = json::value_t::number_float;
    const auto boolean = json::value_t::boolean;
    if (!optional_field(op, "pcm", str, out.pcm, reason) ||
        !optional_field(op, "language", str, out.language, reason) ||
        !optional_field(op, "translate", boolean, out.translate, reason) ||
        !optional_field(op, "prompt", str, out.prompt, reason) ||
        !optional_field(op, "temperature", num, out.temperature, reason) ||
        !optional_field(op, "temperature_inc", num, out.temperature_inc, reason) ||
        !optional_field(op, "beam_size", json::value_t::number_integer, out.beam_size, reason) ||
        !optional_field(op, "word_timestamps", boolean, out.word_timestamps, reason) ||
        !optional_field(op, "audio_ctx", json::value_t::number_integer, out.audio_ctx, reason) ||
        !optional_field(op, "max_window_tokens", json::value_t::number_integer, out.max_window_tokens, reason) ||
        !parse_threads(op, default_threads, out.threads, reason)) {
        return false;
    }
    if (out.pcm.empty()) {
        reason = "field 'pcm' (path of raw float32 16 kHz mono audio) is required";
        return false;
    }
    if (out.language.empty()) {
        out.language = "auto";
    }
    if (out.language != "auto" && whisper_lang_id(out.language.c_str()) < 0) {
        reason = "unknown language '" + out.language + "'";
        return false;
    }
    if (!multilingual && (out.translate || (out.language != "auto" && out.language != "en"))) {
        reason = "this model is English-only: it cannot translate or transcribe '" + out.language + "'";
        return false;
    }
    if (!multilingual) {
        // An English-only model has no language head: "auto" would report whatever id the state holds (seen: "sq").
        out.language = "en";
    }
    if (out.temperature < 0.0f || out.temperature > 1.0f) {
        reason = "temperature must be between 0 and 1";
        return false;
    }
    if (out.temperature_inc < 0.0f || out.temperature_inc > 1.0f) {
        reason = "temperature_inc must be between 0 and 1";
        return false;
    }
    if (out.audio_ctx < 0 || out.audio_ctx > 1500) {
        reason = "audio_ctx must be between 0 (the full 30 s window) and 1500 encoder frames";
        return false;
    }
    if (out.max_window_tokens < 0 || out.max_window_tokens > 448) {
        reason = "max_window_tokens must be between 0 (whisper's own limit) and 448";
        return false;
    }
    if (out.beam_size < 0 || out.beam_size > 16) {
        reason = "beam_size must be between 0 (greedy) and 16";
        return false;
    }
    return true;
}
