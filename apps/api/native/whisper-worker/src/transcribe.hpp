#pragma once

#include "outcome.hpp"
#include "request.hpp"

#include <atomic>

struct whisper_context;
struct whisper_state;

// Runs whisper_full on one state. `cancel` is polled by whisper's abort and encoder-begin callbacks,
// so a cancelled job returns within one ggml graph node rather than at the end of a 30 s window.
Outcome run_transcription(whisper_context * ctx, whisper_state * state, const TranscribeRequest & req,
                          const std::atomic<bool> & cancel);
