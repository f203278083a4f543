#pragma once
// A model read from wherever fitcheck or Keras saved it, for `fitcheck export` and
// `fitcheck summary`:
//   - a directory: `fitcheck fit --out DIR` (model.json, weights/, run.json — compiled with the
//     run's optimizer, loss and metrics) or a ModelCheckpoint / save_model directory (model.json and
//     weights/ only: not compiled)
//   - a Keras `.keras` archive or legacy `.h5` file (recognised by content): the architecture, the
//     weights, and the stored compile settings when the engine understands them
//   - a model JSON file (`.json`, model.to_json()): the architecture only, with fresh weights

#include <filesystem>
#include <optional>
#include <string>

#include "fitcheck/core/shape.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::run {

struct ModelFile {
  nn::Sequential model;
  std::string kind;  // "fit --out directory", "model directory", "Keras .keras file", "Keras .h5 file", "model JSON"
  bool trained_weights = false;  // false for a model JSON: its weights are freshly initialised
  // Why the stored compile settings were not carried over (the model is then left uncompiled);
  // empty when there were none or they were applied.
  std::string compile_note;
};

// `input_shape` (with the batch axis) builds a model that declares no input shape; a model that
// declares one must agree with it. InputError / ConfigError naming the file for anything unusable.
ModelFile load_model_file(const std::filesystem::path& path,
                          const std::optional<core::Shape>& input_shape = std::nullopt);

}  // namespace fitcheck::run
