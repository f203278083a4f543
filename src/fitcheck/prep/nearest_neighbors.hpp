#pragma once
// Exact k-nearest-neighbour search (Euclidean) for SMOTE. Neighbours are ordered by
// (distance, index), so a KD-tree and the brute-force search return identical lists, and ties
// go to the lower index as scikit-learn's searches do on the data we tested.

#include <cstdint>
#include <vector>

namespace fitcheck::prep {

// For each of the n rows of `x` (row-major, d columns), the indices of its k nearest rows among
// all n rows, itself included (normally first), nearest first: n * k entries. Requires k <= n.
// Uses a KD-tree unless n is small; `threads` > 1 splits the queries.
std::vector<std::int64_t> k_nearest_rows(const float* x, std::int64_t n, std::int64_t d, std::int64_t k,
                                         int threads = 1);

// The same by brute force (the reference the KD-tree is tested against).
std::vector<std::int64_t> k_nearest_rows_brute(const float* x, std::int64_t n, std::int64_t d, std::int64_t k);

}  // namespace fitcheck::prep
