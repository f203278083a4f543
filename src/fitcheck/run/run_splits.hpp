#pragma once
// A run's splits as loaded from its files. The one place where the test split loses the rows that
// are copies of training rows (data.leakage_overlap) when the run file asks for it ("test": {...,
// "drop_train_copies": true}, written by `doctor --fix`), so that the checks, the probe and fit
// all see the same test split, and it measures generalisation rather than memory.

#include <cstdint>
#include <optional>

#include "fitcheck/io/dataset.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::run {

// Removes from `test` (features and labels) every row whose features equal a training row's,
// compared by value as the leakage check compares them. Returns how many rows it removed.
std::int64_t drop_train_copies(const io::Dataset& train, io::Dataset& test);

struct RunSplits {
  io::Dataset train;
  std::optional<io::Dataset> test;  // when the run has one
};

// Loads the run's splits (InputError naming the file for unreadable data) and applies
// drop_train_copies when the test split asks for it.
RunSplits load_run_splits(const io::RunSpec& run);

}  // namespace fitcheck::run
