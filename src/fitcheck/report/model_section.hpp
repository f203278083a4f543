#pragma once
// The model section of the doctor's HTML report: the layer table as Keras' summary gives it
// (output shapes, parameters) and the training-memory estimate against the machine's memory.

#include <string>

#include <nlohmann/json.hpp>

namespace fitcheck::report {

// `model`: the doctor document's "model" object (doctor/overview.hpp).
std::string render_model_section(const nlohmann::json& model);

}  // namespace fitcheck::report
