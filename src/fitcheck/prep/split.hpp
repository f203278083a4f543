#pragma once
// Splits, made before anything is fitted. train_test_split reproduces scikit-learn's indices for
// the same seed (ShuffleSplit / StratifiedShuffleSplit with numpy's RandomState); validation_split
// is Keras's: the last fraction of the rows, in order (optionally per class, see below).
//
// The training side of a split is a TrainingData, the only type Pipeline::fit accepts, so
// fitting on a table that still contains the held-out rows cannot be written by accident.

#include <cstdint>
#include <optional>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

class TrainingData;
struct TableSplit;
struct SplitIndices;
TableSplit split_table(const core::Table& table, const SplitIndices& indices);
TrainingData training_rows(const core::Table& table, const SplitIndices& indices);

struct SplitIndices {
  std::vector<std::int64_t> train;
  std::vector<std::int64_t> test;
};

struct TrainTestSplitOptions {
  double test_size = 0.25;                 // fraction of the rows in (0, 1) ...
  std::optional<std::int64_t> test_count;  // ... or a row count in (0, n)
  bool shuffle = true;
  std::uint32_t seed = 0;
};

// scikit-learn's train_test_split(range(n), test_size, random_state=seed, shuffle, stratify).
// `stratify` holds one class code per row (any integers); null for no stratification.
// Throws ConfigError with scikit-learn's conditions (empty train set, a class with one member,
// fewer test rows than classes, stratify without shuffle).
SplitIndices train_test_split_indices(std::int64_t n, const TrainTestSplitOptions& options,
                                      const std::vector<std::int64_t>* stratify = nullptr);

// Keras's validation_split: the first floor(n * (1 - fraction)) rows train, the rest validate.
// With `stratify`, each class contributes its own last fraction (the rows keep their order), so
// that a file sorted by label does not leave a class out of validation.
SplitIndices validation_split_indices(std::int64_t n, double fraction,
                                      const std::vector<std::int64_t>* stratify = nullptr);

// The rows `rows` of `table`, in that order.
core::Table take_rows(const core::Table& table, const std::vector<std::int64_t>& rows);

// A table that holds training rows only. Made by split_table(), or by TrainingData::whole() when
// the held-out data comes from a separate file.
class TrainingData {
 public:
  static TrainingData whole(core::Table table) { return TrainingData(std::move(table)); }
  const core::Table& table() const { return table_; }

 private:
  explicit TrainingData(core::Table table) : table_(std::move(table)) {}
  friend TableSplit split_table(const core::Table& table, const SplitIndices& indices);
  friend TrainingData training_rows(const core::Table& table, const SplitIndices& indices);
  core::Table table_;
};

struct TableSplit {
  TrainingData train;
  core::Table held_out;
};

TableSplit split_table(const core::Table& table, const SplitIndices& indices);
// The training side alone, when the held-out rows are not needed (a pipeline fitted only to read
// its output width, as `fitcheck check` does): half the copying of split_table.
TrainingData training_rows(const core::Table& table, const SplitIndices& indices);

// Class codes for stratification: the rank of each row's value among the sorted distinct values
// (numpy.unique order). Missing labels are an InputError naming the column.
std::vector<std::int64_t> class_codes(const core::Column& labels);

}  // namespace fitcheck::prep
