#pragma once

#include "json.hpp"

#include <string>

// What a job thread reports: either the event to emit as-is, or an error code and message.
struct Outcome {
    bool ok = false;
    nlohmann::json event;
    std::string code;
    std::string message;

    static Outcome success(nlohmann::json e) { return {true, std::move(e), "", ""}; }
    static Outcome failure(std::string c, std::string m) { return {false, nullptr, std::move(c), std::move(m)}; }
};
