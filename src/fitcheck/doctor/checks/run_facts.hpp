#pragma once
// Facts of a run that several data and configuration checks compute from the context beyond the
// profile: the number of rows Keras trains on, one feature column's values, the labels as one
// number per row, the model's parameter and activation counts, and whether the model sees
// images. (doctor/check_support.hpp has the facts shared with the other checks.)

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/doctor/context.hpp"
#include "fitcheck/doctor/model_shapes.hpp"

namespace fitcheck::doctor::run_facts {

// Rows of the training split that fit() trains on: Keras keeps the first
// floor(n * (1 - validation_split)) rows (array_slicing.train_validation_split).
std::int64_t rows_after_validation_split(const CheckContext& ctx);

// Number of feature columns of a block (arrays: trailing axes flattened, as the profile sees them).
std::int64_t feature_columns(const io::DataBlock& x);
// Column `j` of the features as doubles (NaN where missing; text columns give NaN).
std::vector<double> feature_values(const io::DataBlock& x, std::int64_t j);
// The name the profile gives column `j` ("age", or "x12" for arrays).
std::string feature_name(const io::DataBlock& x, std::int64_t j);
// True when column j of a table is text.
bool is_text_column(const io::DataBlock& x, std::int64_t j);

// The labels as one number per row: the value for one numeric column, the arg-max for one-hot /
// probability rows, a code per distinct string for text (codes in first-seen order). NaN where
// missing. Empty when there are no labels.
std::vector<double> label_values(const io::DataBlock& y);

// The features are images: doctor::is_image_like on the training split, or a model whose
// declared input has rank >= 4 ((None, H, W, C): the data is reshaped into images).
bool image_like(const CheckContext& ctx);

// Shapes and parameter counts of the model against the shape it receives (declared input, else
// the data's); empty when there is no model or no input shape to start from.
std::optional<ModelShapes> model_shapes(const CheckContext& ctx);

// Training memory as Keras trains, in bytes (the model.memory check has the formula and why).
struct MemoryEstimate {
  std::int64_t parameters = 0;
  std::int64_t activation_floats_per_sample = 0;
  int optimizer_slots = 0;
  double weight_bytes = 0.0;      // weights, gradients and optimizer slots
  double activation_bytes = 0.0;  // layer outputs and their gradients at the run's batch size
  double data_bytes = 0.0;        // training and test data as float32
  double total_bytes = 0.0;
  double available_bytes = 0.0;   // --memory, else the machine's physical memory (0: unknown)
};
// Empty when there is no run or the model's shapes are not known.
std::optional<MemoryEstimate> training_memory(const CheckContext& ctx);

}  // namespace fitcheck::doctor::run_facts
