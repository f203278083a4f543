#pragma once
// 64-bit hashes of the feature rows of a split (cells hashed by value: -0 == 0, every NaN and
// every missing cell alike), for finding the same sample twice within or across splits.

#include <cstdint>
#include <vector>

#include "fitcheck/io/dataset.hpp"

namespace fitcheck::profile {

std::vector<std::uint64_t> feature_row_hashes(const io::DataBlock& x);

// Folds each cell of `column` into its row's running hash (rows.size() == the column's rows): the
// profile's duplicate detection and feature_row_hashes share it, so both call the same rows equal.
void fold_cell_hashes(const core::Column& column, std::vector<std::uint64_t>& rows);

}  // namespace fitcheck::profile
