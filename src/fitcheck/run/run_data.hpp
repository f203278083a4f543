#pragma once
// A run's data as the engine trains on it: features through the preprocessing that the run file
// asks for — fitted on the training split only, then applied unchanged to the test split — and
// labels as float32 tensors. With "preprocess": "none" the data goes to the model as it is, as a
// Keras script would pass it (which is how broken runs are reproduced faithfully).

#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/tensor.hpp"
#include "fitcheck/io/dataset.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/prep/pipeline.hpp"

namespace fitcheck::run {

struct SplitTensors {
  core::Tensor x;  // float32; arrays keep their per-sample shape, tables become (N, features)
  core::Tensor y;  // float32 labels, (N,) or (N, K)
};

struct RunData {
  SplitTensors train;
  std::optional<SplitTensors> test;
  std::optional<prep::FittedPipeline> pipeline;  // when the run preprocesses
  std::vector<std::string> feature_names;
  // Text labels become class ids in sorted order (as scikit-learn's LabelEncoder); their names.
  std::vector<std::string> label_classes;
};

// Loads and prepares the run's data. InputError for data the engine cannot take as it is (text
// in raw input, missing labels), naming the column and what to do.
RunData prepare_run_data(const io::RunSpec& run);

// The run's preprocessing ("auto" or the explicit list) fitted on the rows fit() trains on: Keras'
// validation_split holds out the last rows, and the pipeline never sees them. Shared by training
// and by the doctor, which needs the width the model will receive.
prep::FittedPipeline fit_run_pipeline(const io::RunSpec& run, const core::Table& features);

// The features of one split as float32, without preprocessing (raw input). Exposed for tests.
core::Tensor raw_features(const io::DataBlock& x);

// One block of features as the model takes it: raw without a pipeline; otherwise through the
// fitted pipeline (arrays as columns x0, x1, ...), with arrays put back in their per-sample shape
// when the pipeline kept one value per input value (pixel scaling, casting). Used for training
// and for `fitcheck predict` alike.
core::Tensor prepare_features(const io::DataBlock& x, const prep::FittedPipeline* pipeline);

}  // namespace fitcheck::run
