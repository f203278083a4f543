#include "fitcheck/profile/sorted_values.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <bit>
#include <cstring>

namespace fitcheck::profile {
namespace {

// IEEE 754 doubles order like sign-magnitude integers: flipping every bit of negatives and only
// the sign bit of positives gives keys that order like the values as unsigned integers.
inline std::uint64_t order_key(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const std::uint64_t mask = (bits >> 63) != 0 ? ~std::uint64_t{0} : (std::uint64_t{1} << 63);
  return bits ^ mask;
}

inline double from_order_key(std::uint64_t key) {
  const std::uint64_t mask = (key >> 63) != 0 ? (std::uint64_t{1} << 63) : ~std::uint64_t{0};
  return std::bit_cast<double>(key ^ mask);
}

}  // namespace

void counting_sort_integers(std::vector<double>& values, std::int64_t lo, std::int64_t hi,
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

void radix_sort(std::vector<double>& values, std::vector<std::uint64_t>& scratch) {
  const std::size_t n = values.size();
  if (n < 2) return;
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    std::sort(values.begin(), values.end());  // counts below are 32-bit
    return;
  }
  // 11-bit digits: 6 passes cover 64 bits, and six 2048-entry histograms (48 KiB) stay in cache.
  constexpr int kBits = 11;
  constexpr int kPasses = 6;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  constexpr std::uint64_t kMask = kBuckets - 1;
  // The keys live in the first half of `scratch`, the ping-pong buffer in the second.
  scratch.resize(2 * n);
  std::uint64_t* keys = scratch.data();
  std::uint64_t* other = scratch.data() + n;
  std::vector<std::uint32_t> histogram(kPasses * kBuckets, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = order_key(values[i]);
    keys[i] = k;
    for (int p = 0; p < kPasses; ++p) ++histogram[static_cast<std::size_t>(p) * kBuckets + ((k >> (kBits * p)) & kMask)];
  }
  for (int p = 0; p < kPasses; ++p) {
    std::uint32_t* h = histogram.data() + static_cast<std::size_t>(p) * kBuckets;
    // A digit that is the same in every key does not reorder anything: skip the pass.
    if (h[(keys[0] >> (kBits * p)) & kMask] == n) continue;
    std::uint32_t offset = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      const std::uint32_t count = h[b];
      h[b] = offset;
      offset += count;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t k = keys[i];
      other[h[(k >> (kBits * p)) & kMask]++] = k;
    }
    std::swap(keys, other);
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = from_order_key(keys[i]);
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
