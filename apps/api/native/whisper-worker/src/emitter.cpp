#include "emitter.hpp"

#include <cstdio>
#include <mutex>
#include <unistd.h>

namespace emitter {

namespace {
std::mutex g_mutex;
FILE * g_out = stdout;
} // namespace

void init() {
    fflush(stdout);
    const int proto_fd = dup(STDOUT_FILENO);
    if (proto_fd < 0) {
        return; // keep stdout as is: worse isolation, but still a working protocol
    }
    FILE * out = fdopen(proto_fd, "w");
    if (out == nullptr) {
        close(proto_fd);
        return;
    }
    dup2(STDERR_FILENO, STDOUT_FILENO);
    g_out = out;
}

void emit(const nlohmann::json & line) {
    // replace: token pieces can be invalid UTF-8 (byte-level BPE); never let that throw mid-job.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard<std::mutex> lock(g_mutex);
    fwrite(text.data(), 1, text.size(), g_out);
    fputc('\n', g_out);
    fflush(g_out);
}

void error(const std::string & id, const std::string & code, const std::string & message) {
    nlohmann::json line = {{"event", "error"}, {"code", code}, {"message", message}};
    line["id"] = id.empty() ? nlohmann::json(nullptr) : nlohmann::json(id);
    emit(line);
}

} // namespace emitter
