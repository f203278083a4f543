#pragma once
// 64-bit hashes of the feature rows of a split (cells hashed by value: -0 == 0, every NaN and
// every missing cell alike), for finding the same sample twice within or across splits.

#include <cstdint>
#include <vector>

#include "fitcheck/io/dataset.hpp"

namespace fitcheck::profile {

std::vector<std::uint64_t> feature_row_hashes(const io::DataBlock& x);

// The rows of `other` whose features equal a row of `reference` (by feature_row_hashes), and how
// often `reference` repeats its own rows — the rate at which copies turn up by chance. Blocks of
// different ranks share no rows.
struct RowsFound {
  std::vector<std::uint8_t> found;  // per row of `other`: 1 when a copy of a reference row
  std::int64_t count = 0;           // rows of `other` found
  std::int64_t reference_repeats = 0;
};
RowsFound rows_found_in(const io::DataBlock& reference, const io::DataBlock& other);

// Folds each cell of `column` into its row's running hash (rows.size() == the column's rows): the
// profile's duplicate detection and feature_row_hashes share it, so both call the same rows equal.
void fold_cell_hashes(const core::Column& column, std::vector<std::uint64_t>& rows);

}  // namespace fitcheck::profile
