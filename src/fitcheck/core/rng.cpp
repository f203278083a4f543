#include "fitcheck/core/rng.hpp"

#include <cmath>

namespace fitcheck::core {
namespace {
// The smallest 2^k - 1 that is >= v.
std::uint64_t mask_for(std::uint64_t v) {
  std::uint64_t m = v;
  m |= m >> 1;
  m |= m >> 2;
  m |= m >> 4;
  m |= m >> 8;
  m |= m >> 16;
  m |= m >> 32;
  return m;
}
}  // namespace

double Rng::random_sample() {
  const std::uint32_t a = next_u32() >> 5;
  const std::uint32_t b = next_u32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

std::uint64_t Rng::interval(std::uint64_t max) {
  if (max == 0) return 0;
  const std::uint64_t mask = mask_for(max);
  std::uint64_t v;
  if (max <= 0xFFFFFFFFull) {
    do {
      v = next_u32() & mask;
    } while (v > max);
  } else {
    do {
      v = ((static_cast<std::uint64_t>(next_u32()) << 32) | next_u32()) & mask;
    } while (v > max);
  }
  return v;
}

std::int64_t Rng::randint(std::int64_t low, std::int64_t high) {
  const auto range = static_cast<std::uint64_t>(high - low - 1);
  if (range == 0) return low;
  if (range == 0xFFFFFFFFull) return low + static_cast<std::int64_t>(next_u32());
  return low + static_cast<std::int64_t>(interval(range));
}

double Rng::standard_normal() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

std::vector<std::int64_t> Rng::permutation(std::int64_t n) {
  std::vector<std::int64_t> a(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) a[static_cast<std::size_t>(i)] = i;
  shuffle(std::span<std::int64_t>(a));
  return a;
}

}  // namespace fitcheck::core
