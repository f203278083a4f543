#pragma once
// 64-bit hashes of the feature rows of a split (cells hashed by value: -0 == 0, every NaN and
// every missing cell alike), for finding the same sample twice within or across splits.

#include <cstdint>
#include <vector>

#include "fitcheck/io/dataset.hpp"

namespace fitcheck::profile {

std::vector<std::uint64_t> feature_row_hashes(const io::DataBlock& x);

}  // namespace fitcheck::profile
