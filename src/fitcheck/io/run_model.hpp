#pragma once
// The model of a run file: the `model` entry read and normalised, whatever form it takes
// (a .json file from model.to_json(), the same JSON inline).

#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::io {

// Throws InputError for an unreadable file or a format that is not supported, ConfigError for
// a model JSON that is not valid.
ModelSpec load_run_model(const RunSpec& run);

}  // namespace fitcheck::io
