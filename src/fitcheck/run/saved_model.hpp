#pragma once
// A model saved on its own: DIR/model.json (Sequential::to_config, with its build_input_shape) and
// DIR/weights/000.npy, 001.npy, ... (float32, in get_weights() order). `fitcheck fit --out`
// writes the same two parts beside the pipeline and the run (saved_run.hpp); ModelCheckpoint
// writes them alone.

#include <filesystem>

#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::run {

// Writes model.json and the weights into `dir` (created if needed), each file atomically, and
// removes weight files of an earlier, larger model there.
void save_model(const std::filesystem::path& dir, const nn::Sequential& model);

// The weights alone (weights/*.npy), for a model whose architecture is kept elsewhere.
void save_weights(const std::filesystem::path& dir, const nn::Sequential& model);

// Reads a directory written by save_model (or by `fitcheck fit --out`). InputError naming the file
// for a missing model.json or weight file, weights whose shapes do not fit, or extra weight files.
nn::Sequential load_model(const std::filesystem::path& dir);

}  // namespace fitcheck::run
