#pragma once
// A trained run as `fitcheck fit --out DIR` saves it, and what `fitcheck predict DIR DATA` does
// with it. DIR holds
//   model.json         the model (Sequential::to_config, with its build_input_shape)
//   weights/000.npy    the weights, one float32 file each, in get_weights() order
//   pipeline.json      the fitted preprocessing, when the run preprocesses
//   columns.json       the feature columns the model's input came from, the target column and
//                      the label classes (text labels, in class-id order)
//   history.csv        the training history, one row per epoch
//   run.json           the run file as given; its data paths may no longer exist and are never read
// New data goes through the same steps as the training rows did: the feature columns picked by
// name, the saved pipeline (never refitted), the run file's per-sample reshape for arrays.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/tensor.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/nn/history.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/prep/pipeline.hpp"
#include "fitcheck/run/run_data.hpp"

namespace fitcheck::run {

inline constexpr int kColumnsFormatVersion = 1;

// How the model's output reads, from the run's loss and the output width.
enum class OutputKind {
  Values,   // regression (and multi-label sigmoid outputs): the numbers themselves
  Binary,   // binary_crossentropy with one output unit: class 1 when p >= 0.5 (logit >= 0)
  Classes,  // (sparse_)categorical_crossentropy with K > 1 units: the argmax
};

struct SavedRun {
  std::filesystem::path dir;
  io::RunSpec spec;  // DIR/run.json, relative paths resolved against DIR
  nn::Sequential model;
  std::optional<prep::FittedPipeline> pipeline;
  bool table_input = false;                  // trained on CSV columns (otherwise on arrays)
  std::vector<std::string> feature_columns;  // table input: the columns the model's input came from, in order
  std::string target;                        // the label column ("" for arrays)
  std::vector<std::string> label_classes;    // text labels by class id; empty for numeric labels
  OutputKind output_kind = OutputKind::Values;
  bool from_logits = false;  // Binary: the output is a logit
  std::int64_t output_units = 1;  // values per sample in the model's output
};

// The training history as CSV: "epoch,loss,..." and one row per epoch.
std::string history_csv(const nn::History& history);

// Writes everything listed above to `dir` (created if needed), each file atomically.
void save_run(const std::filesystem::path& dir, const io::RunSpec& spec, const RunData& data,
              const nn::Sequential& model, const nn::History& history);

// Reads a directory written by save_run. InputError naming the file for a missing or unusable
// file (no model.json, weights that do not fit the model, ...); ConfigError for a run.json or
// model.json that does not validate.
SavedRun load_saved_run(const std::filesystem::path& dir);

// New data as the model's input: a .npy of x (reshaped as the run file said), or a CSV holding the
// feature columns (found by name; the target and any other column are ignored). InputError naming
// `data` for a missing column, the wrong kind of file or samples of the wrong shape.
core::Tensor prepare_inputs(const SavedRun& run, const std::filesystem::path& data);

// The output's column names: "prediction" for one unit, "p0".."pK-1" for class probabilities,
// "prediction0".. for other multi-unit outputs; plus "class" for classifiers.
std::vector<std::string> prediction_columns(const SavedRun& run);

// The predicted class of each row (the label text when the labels were text); empty when the run
// is not a classifier. A row whose outputs are not finite has the class "".
std::vector<std::string> predicted_classes(const SavedRun& run, const core::Tensor& output);

// Writes `output` to `out`: .npy (the raw float32 tensor) or .csv (prediction_columns()),
// atomically. InputError for any other extension.
void write_predictions(const SavedRun& run, const core::Tensor& output, const std::filesystem::path& out);

}  // namespace fitcheck::run
