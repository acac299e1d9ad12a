#pragma once

#include "json.hpp"

#include <string>

struct TranscribeRequest {
    std::string id;
    std::string pcm;
    std::string language = "auto";
    bool translate = false;
    std::string prompt;
    float temperature = 0.0f;
    float temperature_inc = 0.2f;
    int beam_size = 0;
    bool word_timestamps = false;
    int threads = 1;
};

// Validates a transcribe op. On failure returns false and fills `reason` (reported as INVALID_OPTION).
// Needs the model's multilingual flag: translation and non-English languages need a multilingual model.
bool parse_transcribe(const nlohmann::json & op, int default_threads, bool multilingual,
                      TranscribeRequest & out, std::string & reason);

// Threads for a bench_encode op (defaults to the worker's --threads).
bool parse_threads(const nlohmann::json & op, int default_threads, int & threads, std::string & reason);
