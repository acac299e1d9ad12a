#include "transcribe.hpp"

#include "emitter.hpp"
#include "pcm.hpp"
#include "whisper.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

using nlohmann::json;

namespace {

struct Callbacks {
    const std::string * id;
    const std::atomic<bool> * cancel;
    int last_percent = -1;
    // Encoder passes whisper_full ran (one per 30 s window it seeked to): reported so a caller can see what it paid.
    int encoder_passes = 0;
    // A window's decode may write at most this many tokens (0: no limit of ours); past it the request stops.
    int token_budget = 0;
    bool budget_exceeded = false;
};

bool abort_cb(void * user) {
    const auto * cb = static_cast<Callbacks *>(user);
    return cb->cancel->load() || cb->budget_exceeded;
}

// Called before each token is sampled, with the tokens the decoder wrote so far in this window. It changes no
// logits: it only notices a runaway decode, which abort_cb then stops at the next graph node.
void token_budget_cb(whisper_context *, whisper_state *, const whisper_token_data *, int n_tokens, float *, void * user) {
    auto * cb = static_cast<Callbacks *>(user);
    if (cb->token_budget > 0 && n_tokens >= cb->token_budget) {
        cb->budget_exceeded = true;
    }
}

bool encoder_begin_cb(whisper_context *, whisper_state *, void * user) {
    auto * cb = static_cast<Callbacks *>(user);
    cb->encoder_passes++;
    return !cb->cancel->load();
}

void progress_cb(whisper_context *, whisper_state *, int percent, void * user) {
    auto * cb = static_cast<Callbacks *>(user);
    if (percent == cb->last_percent) {
        return;
    }
    cb->last_percent = percent;
    emitter::emit({{"event", "progress"}, {"id", *cb->id}, {"percent", percent}});
}

// Length of a trailing, incomplete UTF-8 sequence (0 when the text ends on a character boundary).
size_t incomplete_utf8_tail(const std::string & s) {
    for (size_t back = 1; back <= 4 && back <= s.size(); ++back) {
        const unsigned char c = s[s.size() - back];
        if ((c & 0xC0) == 0x80) {
            continue; // continuation byte: keep looking for the lead byte
        }
        const size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

// Text tokens of one segment. Byte-level BPE can split a character across tokens; such pieces are merged
// (probabilities multiplied, time span joined) so each token we emit is valid UTF-8 on its own.
json segment_tokens(whisper_context * ctx, whisper_state * state, int seg, double & logprob_sum, int & n_text) {
    json tokens = json::array();
    const whisper_token eot = whisper_token_eot(ctx);
    std::string pending;
    double p = 1.0;
    int64_t t0 = -1;
    int64_t t1 = -1;
    const int n = whisper_full_n_tokens_from_state(state, seg);
    for (int i = 0; i < n; ++i) {
        const whisper_token_data data = whisper_full_get_token_data_from_state(state, seg, i);
        if (data.id >= eot) {
            continue; // special and timestamp tokens are not text
        }
        logprob_sum += data.plog;
        n_text++;
        pending += whisper_full_get_token_text_from_state(ctx, state, seg, i);
        p *= data.p;
        if (t0 < 0) {
            t0 = data.t0;
        }
        t1 = data.t1;
        if (incomplete_utf8_tail(pending) == 0) {
            tokens.push_back({{"text", pending}, {"t0_ms", t0 * 10}, {"t1_ms", t1 * 10}, {"p", p}});
            pending.clear();
            p = 1.0;
            t0 = -1;
        }
    }
    if (!pending.empty()) {
        tokens.push_back({{"text", pending}, {"t0_ms", t0 * 10}, {"t1_ms", t1 * 10}, {"p", p}});
    }
    return tokens;
}

// Text context: the caller's prompt, never the text decoded so far. whisper.cpp's `no_context` only empties the history
// at the start of a call; within one call each window after the first (the decoder re-seeks to the last timestamp,
// so even a 29.6 s clip takes two or three) is still conditioned on up to n_max_text_ctx tokens of earlier output.
// That feedback turns one shaky window into a loop: on concat-028 of the eval set tiny.en wrote "9th, 9th, 9th, ..."
// to the end of the window — and so did whisper-cli with the same weights once given `-mc -1`, while `-mc 0`
// (our peers' setting, like faster-whisper's condition_on_previous_text=False) transcribed it. So the history budget
// is the prompt's own length: carried into every window (carry_initial_prompt) and leaving no room for decoded text.
void prompt_only_context(whisper_context * ctx, const TranscribeRequest & req, whisper_full_params & wp) {
    if (req.prompt.empty()) {
        wp.n_max_text_ctx = 0;
        return;
    }
    const int n_prompt = whisper_token_count(ctx, req.prompt.c_str());
    wp.carry_initial_prompt = true;
    // +1 for the <|startofprev|> marker; whisper.cpp caps the budget at half the text context and keeps the
    // prompt's last tokens when it is longer.
    wp.n_max_text_ctx = std::min(n_prompt + 1, whisper_n_text_ctx(ctx) / 2);
}

whisper_full_params make_params(whisper_context * ctx, const TranscribeRequest & req, Callbacks & cb) {
    const bool beam = req.beam_size > 1;
    whisper_full_params wp = whisper_full_default_params(beam ? WHISPER_SAMPLING_BEAM_SEARCH : WHISPER_SAMPLING_GREEDY);
    wp.n_threads = req.threads;
    wp.translate = req.translate;
    wp.language = req.language.c_str();
    wp.detect_language = false;
    // States are reused across requests: never condition one request on another's text (nor, below, on its own).
    wp.no_context = true;
    wp.print_progress = false;
    wp.print_realtime = false;
    wp.print_timestamps = false;
    wp.print_special = false;
    wp.token_timestamps = req.word_timestamps;
    wp.initial_prompt = req.prompt.empty() ? nullptr : req.prompt.c_str();
    prompt_only_context(ctx, req, wp);
    wp.audio_ctx = req.audio_ctx;
    wp.temperature = req.temperature;
    wp.temperature_inc = req.temperature_inc;
    if (beam) {
        wp.beam_search.beam_size = req.beam_size;
    }
    wp.progress_callback = progress_cb;
    wp.progress_callback_user_data = &cb;
    wp.abort_callback = abort_cb;
    wp.abort_callback_user_data = &cb;
    wp.encoder_begin_callback = encoder_begin_cb;
    wp.encoder_begin_callback_user_data = &cb;
    if (req.max_window_tokens > 0) {
        cb.token_budget = req.max_window_tokens;
        wp.logits_filter_callback = token_budget_cb;
        wp.logits_filter_callback_user_data = &cb;
    }
    return wp;
}

// The language whisper decoded in (the requested one, or the one it detected).
std::string language_of(whisper_state * state) {
    const char * lang = whisper_lang_str(whisper_full_lang_id_from_state(state));
    return lang != nullptr ? lang : "en";
}

} // namespace

Outcome run_transcription(whisper_context * ctx, whisper_state * state, const TranscribeRequest & req,
                          const std::atomic<bool> & cancel) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<float> samples;
    std::string reason;
    if (!read_pcm_f32(req.pcm, samples, reason)) {
        return Outcome::failure("UNDECODABLE_AUDIO", reason);
    }

    Callbacks cb{&req.id, &cancel};
    const whisper_full_params wp = make_params(ctx, req, cb);
    const int rc = whisper_full_with_state(ctx, state, wp, samples.data(), (int) samples.size());
    if (cancel.load()) {
        return Outcome::failure("CANCELLED", "cancelled");
    }
    // A stopped runaway is not an error: the caller asked for the bound and decides what it means (a loop: decode
    // again in full). It answers with no segments.
    if (rc != 0 && !cb.budget_exceeded) {
        return Outcome::failure("ENGINE_FAILED", "whisper_full failed with code " + std::to_string(rc));
    }

    json segments = json::array();
    const int n_seg = cb.budget_exceeded ? 0 : whisper_full_n_segments_from_state(state);
    for (int s = 0; s < n_seg; ++s) {
        double logprob_sum = 0.0;
        int n_text = 0;
        json tokens = segment_tokens(ctx, state, s, logprob_sum, n_text);
        json seg = {
            // whisper.cpp segment times are in centiseconds
            {"t0_ms", whisper_full_get_segment_t0_from_state(state, s) * 10},
            {"t1_ms", whisper_full_get_segment_t1_from_state(state, s) * 10},
            {"text", whisper_full_get_segment_text_from_state(state, s)},
            {"no_speech_prob", whisper_full_get_segment_no_speech_prob_from_state(state, s)},
            {"avg_logprob", n_text > 0 ? logprob_sum / n_text : 0.0},
        };
        if (req.word_timestamps) {
            seg["tokens"] = std::move(tokens);
        }
        segments.push_back(std::move(seg));
    }
    const double total_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    json result = {
        {"event", "result"},
        {"id", req.id},
        {"language", language_of(state)},
        {"segments", std::move(segments)},
        {"timings",
         {{"total_ms", std::round(total_ms)},
          {"audio_ctx", req.audio_ctx > 0 ? req.audio_ctx : whisper_n_audio_ctx(ctx)},
          {"encoder_passes", cb.encoder_passes}}},
    };
    if (cb.budget_exceeded) {
        result["token_budget_exceeded"] = true;
    }
    return Outcome::success(std::move(result));
}
