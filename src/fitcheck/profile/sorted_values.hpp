#pragma once
// Sorting a chunk's values once is what makes the per-column statistics cheap: min, max, zero
// count, exact value counts (runs of equal values), distinct values for the HyperLogLog and the
// quantile sketch's first compaction all come from one sorted array.

#include <cstdint>
#include <span>
#include <vector>

namespace fitcheck::profile {

// Sorts finite doubles ascending with an LSD radix sort on an order-preserving 64-bit key
// (6 passes of 11 bits, fewer when a digit is the same in every key; O(n), no comparisons).
// Falls back to std::sort beyond 2^32 - 1 values.
// `scratch` is reused between calls to avoid allocations. -0.0 sorts before +0.0.
void radix_sort(std::vector<double>& values, std::vector<std::uint64_t>& scratch);

// Sorts values that are whole numbers in [lo, hi] (hi - lo below a few hundred thousand: codes,
// counts, pixel intensities) by counting them: one pass and a write-out, where the radix sort
// needs a key pass, a histogram pass and a scatter per varying digit.
void counting_sort_integers(std::vector<double>& values, std::int64_t lo, std::int64_t hi,
                            std::vector<std::uint64_t>& scratch);

// A value and how many times it occurs in a sorted array.
struct ValueRun {
  double value;
  std::int64_t count;
};

// Runs of equal values (0.0 and -0.0 count as equal) of an ascending array.
void collect_runs(std::span<const double> sorted, std::vector<ValueRun>& runs);

}  // namespace fitcheck::profile
