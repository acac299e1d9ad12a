#pragma once

#include "outcome.hpp"

#include <string>

struct whisper_context;
struct whisper_state;

// Times one encoder pass over a full 30 s window, the way whisper-bench does (one warm-up pass first),
// so the worker's encoder speed can be compared with upstream's tool on the same build.
Outcome run_bench_encode(whisper_context * ctx, whisper_state * state, const std::string & id, int threads);
