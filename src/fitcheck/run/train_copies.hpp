#pragma once
// The test rows that are copies of training rows (data.leakage_overlap), taken out when the run
// file asks for it ("test": {..., "drop_train_copies": true}, written by `doctor --fix`), so that
// the test split measures generalisation rather than memory.

#include <cstdint>

#include "fitcheck/io/dataset.hpp"

namespace fitcheck::run {

// Removes from `test` (features and labels) every row whose features equal a training row's,
// compared by value as the leakage check compares them. Returns how many rows it removed.
std::int64_t drop_train_copies(const io::Dataset& train, io::Dataset& test);

}  // namespace fitcheck::run
