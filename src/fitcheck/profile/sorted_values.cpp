#include "fitcheck/profile/sorted_values.hpp"

#include <hwy/contrib/sort/vqsort.h>

namespace fitcheck::profile {

void counting_sort_integers(std::span<double> values, std::int64_t lo, std::int64_t hi,
                            std::vector<std::uint64_t>& scratch) {
  const auto range = static_cast<std::size_t>(hi - lo + 1);
  scratch.assign(range, 0);
  for (const double v : values) ++scratch[static_cast<std::size_t>(static_cast<std::int64_t>(v) - lo)];
  std::size_t at = 0;
  for (std::size_t k = 0; k < range; ++k) {
    const double v = static_cast<double>(lo + static_cast<std::int64_t>(k));
    for (std::uint64_t c = scratch[k]; c > 0; --c) values[at++] = v;
  }
}

void sort_values(std::span<double> values) {
  if (values.size() < 2) return;
  thread_local hwy::Sorter sorter;  // holds a buffer; one per thread
  sorter(values.data(), values.size(), hwy::SortAscending());
}

std::size_t equal_neighbours(std::span<const double> sorted) {
  std::size_t equal = 0;
  for (std::size_t i = 1; i < sorted.size(); ++i) equal += sorted[i] == sorted[i - 1] ? 1 : 0;
  return equal;
}

void collect_runs(std::span<const double> sorted, std::vector<ValueRun>& runs) {
  runs.clear();
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    // -0.0 and 0.0 compare equal; report the run as +0.0 so both spellings share one key.
    runs.push_back({sorted[i] == 0.0 ? 0.0 : sorted[i], static_cast<std::int64_t>(j - i)});
    i = j;
  }
}

}  // namespace fitcheck::profile
