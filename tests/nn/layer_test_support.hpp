#pragma once
// Small helpers shared by the layer tests (header-only: the test files are compiled together in
// unity builds, so each helper is defined once here rather than once per file).

#include <cstdint>
#include <string>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/shape.hpp"
#include "fitcheck/nn/layers/registry.hpp"

namespace fitcheck::nn::test_support {

// The batch dimension a model leaves open (Keras' None).
inline constexpr std::int64_t N = core::kUnknownDim;

// The message of the ConfigError that building `spec` as the model's second layer raises, or "no error".
inline std::string config_error(const Json& spec) {
  try {
    (void)layer_from_config(spec, "model.json: layers[1]");
  } catch (const core::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace fitcheck::nn::test_support
