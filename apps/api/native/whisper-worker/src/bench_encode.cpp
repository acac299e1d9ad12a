#include "bench_encode.hpp"

#include "whisper.h"

#include <chrono>

Outcome run_bench_encode(whisper_context * ctx, whisper_state * state, const std::string & id, int threads) {
    // A zero-length mel is padded to the model's full audio context (30 s), as in whisper-bench.
    if (whisper_set_mel_with_state(ctx, state, nullptr, 0, whisper_model_n_mels(ctx)) != 0) {
        return Outcome::failure("ENGINE_FAILED", "whisper_set_mel failed");
    }
    if (whisper_encode_with_state(ctx, state, 0, threads) != 0) { // warm-up: first run allocates and faults pages
        return Outcome::failure("ENGINE_FAILED", "whisper_encode failed");
    }
    const auto start = std::chrono::steady_clock::now();
    if (whisper_encode_with_state(ctx, state, 0, threads) != 0) {
        return Outcome::failure("ENGINE_FAILED", "whisper_encode failed");
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return Outcome::success({{"event", "bench"}, {"id", id}, {"encode_ms", ms}, {"threads", threads}});
}
