#pragma once
// What the labels of a split are, as the loss will see them: their shape and stored dtype,
// whether they are class ids, one-hot rows, probabilities or continuous values, their range and
// the class counts. The label checks compare these facts with the loss and the output layer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/dtype.hpp"
#include "fitcheck/core/shape.hpp"
#include "fitcheck/io/dataset.hpp"
#include "fitcheck/profile/label_profile.hpp"

namespace fitcheck::doctor {

enum class LabelEncoding {
  ClassIds,       // one column of whole numbers (or text / bool classes)
  OneHot,         // several columns of 0/1 with exactly one 1 per row
  MultiHot,       // several columns of 0/1, any number of 1s per row
  Probabilities,  // several columns in [0, 1] summing to 1 per row
  Continuous,     // one or more columns of real values
  Text,           // one column of strings
};
std::string_view label_encoding_name(LabelEncoding e);

struct LabelFacts {
  std::string source;        // "y_train.npy", "train.csv: column label"
  core::Shape shape;         // (N,), (N, 1), (N, K)
  core::DType dtype = core::DType::Float64;
  std::int64_t columns = 1;  // K: 1 for (N,) and (N, 1)
  LabelEncoding encoding = LabelEncoding::Continuous;
  std::int64_t rows = 0;
  std::int64_t missing = 0;     // NaN / empty labels
  std::int64_t non_finite = 0;  // ±inf
  std::optional<double> min, max;  // over finite values
  bool integer_valued = false;
  // Single-column labels: the task and class counts as the profile sees them.
  std::optional<profile::LabelProfile> profile;
  // Several columns: how many rows are not one-hot (0 when encoding is OneHot), and the number of
  // rows whose value in each column is 1 (the class counts of one-hot labels).
  std::int64_t rows_not_one_hot = 0;
  std::vector<std::int64_t> column_ones;
  // Several columns: each column's root mean square over its finite values (its size: sqrt(mean^2 + var)).
  std::vector<double> column_rms;
  // The number of classes these labels imply: K for one-hot, max id + 1 for class ids (0-based),
  // the number of distinct values for text; empty for continuous labels.
  std::optional<std::int64_t> implied_classes;
};

LabelFacts label_facts(const io::DataBlock& labels);

}  // namespace fitcheck::doctor
