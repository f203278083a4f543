#pragma once
// Exact k-nearest-neighbour search (Euclidean) for SMOTE. Neighbours are ordered by
// (distance, index), so the KD-tree, the blocked and the plain brute-force search return
// identical lists, and ties go to the lower index as scikit-learn's searches do on the data we
// tested.

#include <cstdint>
#include <vector>

namespace fitcheck::prep {

// For each of the n rows of `x` (row-major, d columns), the indices of its k nearest rows among
// all n rows, itself included (normally first), nearest first: n * k entries. Requires k <= n.
// A KD-tree in 1-3 dimensions (and 4 from 30,000 rows), the blocked brute force otherwise;
// `threads` > 1 splits the work.
std::vector<std::int64_t> k_nearest_rows(const float* x, std::int64_t n, std::int64_t d, std::int64_t k,
                                         int threads = 1);

// Brute force with a float32 register-blocked kernel and an exact double re-ranking of the
// candidates its rounding bound cannot rule out (nearest_neighbors_blocked.cpp). Same result as
// k_nearest_rows_brute for any `threads`.
std::vector<std::int64_t> k_nearest_rows_blocked(const float* x, std::int64_t n, std::int64_t d, std::int64_t k,
                                                 int threads = 1);

// The same by plain brute force in double (the reference the others are tested against).
std::vector<std::int64_t> k_nearest_rows_brute(const float* x, std::int64_t n, std::int64_t d, std::int64_t k);

namespace detail {
// The squared Euclidean distance of two float rows, summed in double: the one measure every
// search ranks by, so that their results agree to the last tie.
double squared_distance(const float* a, const float* b, std::int64_t d);
}  // namespace detail

}  // namespace fitcheck::prep
