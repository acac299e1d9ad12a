#pragma once

#include "json.hpp"

#include <string>

// The protocol owns stdout. Everything else (whisper/ggml logs, stray printf in a library) goes to stderr.
namespace emitter {

// Duplicates the real stdout for protocol lines, then points fd 1 at stderr so nothing else can write there.
void init();

// Writes one JSON line and flushes it; safe to call from any thread.
void emit(const nlohmann::json & line);

// `{"event":"error","id":...,"code":...,"message":...}`; an empty id is written as null.
void error(const std::string & id, const std::string & code, const std::string & message);

} // namespace emitter
