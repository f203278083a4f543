#pragma once
// What the static checks look at, built once per run: the run file, the model as declared, each
// split's data with its profile and label facts, and the shape the model will receive. Checks
// never read files themselves.

#include <cstdint>
#include <optional>
#include <string>

#include "fitcheck/core/shape.hpp"
#include "fitcheck/doctor/label_facts.hpp"
#include "fitcheck/io/dataset.hpp"
#include "fitcheck/io/keras_model.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/profile/table_profile.hpp"

namespace fitcheck::doctor {

struct SplitView {
  io::Dataset data;
  profile::TableProfile features;  // one column per feature (arrays: trailing axes flattened)
  std::optional<LabelFacts> labels;
};

struct CheckContext {
  const io::RunSpec* run = nullptr;
  // The model as the user declared it. Empty when its structure is one fitcheck cannot analyse
  // (e.g. a branching Functional model); `model_error` then says why, and the data checks still run.
  std::optional<io::ModelSpec> model;
  std::string model_error;
  // The shape of one batch of training features as the model receives them (after the run's
  // preprocessing), batch axis None: (None, 28, 28). Empty when not known.
  std::optional<core::Shape> data_input_shape;
  std::optional<SplitView> train;
  std::optional<SplitView> test;
  // The memory training may use, in bytes (`--memory 16GiB`, or tests); the machine's physical
  // memory when empty.
  std::optional<std::uint64_t> memory_bytes;

  // True when the data goes to the model as it is ("preprocess": "none", the default).
  bool raw_input() const;
};

// Loads the model and the data of `run` and profiles them. Unreadable inputs throw (exit 2).
CheckContext build_check_context(const io::RunSpec& run);

// The split's features as a profile-ready view (exposed for tests).
SplitView make_split_view(io::Dataset data);

}  // namespace fitcheck::doctor
