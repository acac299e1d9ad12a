#include "pcm.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

bool read_pcm_f32(const std::string & path, std::vector<float> & samples, std::string & reason) {
    FILE * f = fopen(path.c_str(), "rb");
    if (f == nullptr) {
        reason = "cannot open pcm file '" + path + "': " + strerror(errno);
        return false;
    }
    fseek(f, 0, SEEK_END);
    const long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size <= 0 || size % 4 != 0) {
        fclose(f);
        reason = "pcm file '" + path + "' has " + std::to_string(size) + " bytes; expected a non-empty float32 stream";
        return false;
    }
    samples.resize(size / 4);
    const size_t n = fread(samples.data(), 4, samples.size(), f);
    fclose(f);
    if (n != samples.size()) {
        reason = "short read on pcm file '" + path + "'";
        return false;
    }
    // x86/ARM hosts are little-endian; NaN/inf would poison the mel spectrogram silently, so reject them.
    for (const float s : samples) {
        if (!std::isfinite(s)) {
            reason = "pcm file '" + path + "' contains non-finite samples";
            return false;
        }
    }
    return true;
}
