#pragma once
// A run's model as the engine trains it: built from the run file's Keras model JSON, compiled with
// its optimizer, loss and metrics, and its fit settings turned into the engine's options.

#include "fitcheck/io/run_file.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/run/run_data.hpp"

namespace fitcheck::run {

// ConfigError naming the run file for an unsupported model or compile setting.
nn::Sequential build_run_model(const io::RunSpec& run);

// FitOptions from the run's "fit" (epochs, batch_size, validation_split, shuffle, seed,
// class_weight — "balanced" computed from the training labels as scikit-learn does).
nn::FitOptions fit_options(const io::RunSpec& run, const RunData& data);

}  // namespace fitcheck::run
