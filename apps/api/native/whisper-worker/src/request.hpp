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
    // Encoder frames (50 a second) the encoder runs over; 0 is whisper's full 30 s window (1500). A short turn fitted
    // to its own length costs a fraction of a full encode (whisper.cpp's stream example does the same).
    int audio_ctx = 0;
    // Most tokens one window's decode may write before the request stops as a runaway (reported as
    // `token_budget_exceeded`, no segments); 0: whisper.cpp's own limit (half the text context, ~220). A decoder loop
    // on a fitted window otherwise writes all ~220 tokens before anyone can see it looped: 1.5 s of a 2 s turn's budget.
    int max_window_tokens = 0;
};

// Validates a transcribe op. On failure returns false and fills `reason` (reported as INVALID_OPTION).
// Needs the model's multilingual flag: translation and non-English languages need a multilingual model.
bool parse_transcribe(const nlohmann::json & op, int default_threads, bool multilingual,
                      TranscribeRequest & out, std::string & reason);

// Threads for a bench_encode op (defaults to the worker's --threads).
bool parse_threads(const nlohmann::json & op, int default_threads, int & threads, std::string & reason);
