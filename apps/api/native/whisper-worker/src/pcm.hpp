#pragma once

#include <string>
#include <vector>

// Reads raw little-endian float32 mono 16 kHz samples (the API's normalized audio). Returns false with a
// reason when the file is missing, empty or not a whole number of samples.
bool read_pcm_f32(const std::string & path, std::vector<float> & samples, std::string & reason);
