#pragma once
// A trained model exported to ONNX (docs/onnx.md): opset 17, IR version 8 (what Debian's
// libonnx 1.12 knows), float32 weights as initializers, one input "input" and one output
// "output" in Keras' layout (N, ..., C) with a dynamic batch axis "batch". Every layer is
// computed as the engine computes it in inference mode (Dropout is the identity,
// BatchNormalization uses its moving statistics). A layer or option with no exact ONNX form is
// refused — all of them in one error — never approximated. The model is passed through ONNX's
// checker and strict shape inference before anything is written.

#include <filesystem>
#include <string>

#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::run {

inline constexpr int kOnnxOpset = 17;
inline constexpr int kOnnxIrVersion = 8;

// The serialised ModelProto. Throws InputError for a model that is not built, ConfigError
// listing every layer that cannot be exported (located at `where`, e.g. the output file).
std::string to_onnx(const nn::Sequential& model, const std::string& where = "ONNX export");

// Writes to_onnx(model) to `path` atomically: on any error no file (and no partial file) is left.
void save_onnx(const std::filesystem::path& path, const nn::Sequential& model);

}  // namespace fitcheck::run
