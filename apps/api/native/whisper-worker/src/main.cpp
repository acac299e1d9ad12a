// whisper-worker: loads a whisper.cpp model once and serves JSON-lines requests on stdin/stdout.
// The protocol is described in ../README.md; the Node side lives in apps/api/src/engines/local/.
#include "emitter.hpp"
#include "worker.hpp"

#include "ggml-backend.h"
#include "whisper.h"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <sys/stat.h>

namespace {

struct Args {
    std::string model;
    int threads = 1;
    int parallel = 1;
    bool gpu = false;
    bool flash_attn = true; // whisper.cpp's default (and whisper-cli's), so both tools run the same graph
};

void log_to_stderr(enum ggml_log_level, const char * text, void *) {
    fputs(text, stderr);
}

[[noreturn]] void usage(const char * why) {
    fprintf(stderr, "whisper-worker: %s\nusage: whisper-worker --model PATH [--threads N] [--parallel P] [--gpu] "
                    "[--flash-attn|--no-flash-attn]\n", why);
    exit(64);
}

int positive_int(const char * flag, const char * value) {
    char * end = nullptr;
    const long v = value != nullptr ? strtol(value, &end, 10) : 0;
    if (value == nullptr || *end != '\0' || v < 1 || v > 512) {
        usage((std::string(flag) + " needs an integer between 1 and 512").c_str());
    }
    return static_cast<int>(v);
}

Args parse_args(int argc, char ** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char * next = i + 1 < argc ? argv[i + 1] : nullptr;
        if (arg == "--model" && next != nullptr) {
            a.model = argv[++i];
        } else if (arg == "--threads") {
            a.threads = positive_int("--threads", next);
            ++i;
        } else if (arg == "--parallel") {
            a.parallel = positive_int("--parallel", next);
            ++i;
        } else if (arg == "--gpu") {
            a.gpu = true;
        } else if (arg == "--flash-attn") {
            a.flash_attn = true;
        } else if (arg == "--no-flash-attn") {
            a.flash_attn = false;
        } else {
            usage(("unknown argument '" + arg + "'").c_str());
        }
    }
    if (a.model.empty()) {
        usage("--model is required");
    }
    return a;
}

[[noreturn]] void fatal(const std::string & message) {
    emitter::emit({{"event", "fatal"}, {"code", "MODEL_UNAVAILABLE"}, {"message", message}});
    exit(2);
}

} // namespace

int main(int argc, char ** argv) {
    emitter::init();
    whisper_log_set(log_to_stderr, nullptr);
    const Args args = parse_args(argc, argv);
    ggml_backend_load_all(); // no-op for static builds; loads the CPU variant/GPU backends in portable builds

    struct stat st {};
    if (stat(args.model.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        fatal("model file not found: " + args.model);
    }
    whisper_context_params cparams = whisper_context_default_params();
    cparams.use_gpu = args.gpu;
    cparams.flash_attn = args.flash_attn;
    whisper_context * ctx = whisper_init_from_file_with_params_no_state(args.model.c_str(), cparams);
    if (ctx == nullptr) {
        fatal("whisper.cpp could not load " + args.model + " (not a ggml whisper model, or truncated; see stderr)");
    }

    emitter::emit({
        {"event", "ready"},
        {"model", args.model},
        {"multilingual", whisper_is_multilingual(ctx) != 0},
        {"n_mels", whisper_model_n_mels(ctx)},
        {"system_info", whisper_print_system_info()},
        {"threads", args.threads},
        {"parallel", args.parallel},
    });

    {
        Worker worker(ctx, args.threads, args.parallel);
        std::string line;
        // EOF on stdin means the parent is gone or done with us: same as an explicit shutdown.
        while (std::getline(std::cin, line) && worker.handle_line(line)) {
        }
        worker.shutdown();
    }
    whisper_free(ctx);
    return 0;
}
