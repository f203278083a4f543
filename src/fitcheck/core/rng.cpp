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

Mt19937::Mt19937(std::uint32_t seed) {
  state_[0] = seed;
  for (std::uint32_t i = 1; i < kN; ++i) state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + i;
}

void Mt19937::refill() {
  constexpr std::size_t kM = 397;
  constexpr std::uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kMatrix = 0x9908b0dfu;
  auto twist = [](std::uint32_t a, std::uint32_t b, std::uint32_t far) {
    const std::uint32_t y = (a & kUpper) | (b & kLower);
    return far ^ (y >> 1) ^ ((0u - (y & 1u)) & kMatrix);
  };
  // Word i needs words i + 1 and i + M (old) or i + M - N (already new, 227 back): each loop
  // reads only words it does not write, so it vectorises.
  std::size_t i = 0;
  for (; i < kN - kM; ++i) state_[i] = twist(state_[i], state_[i + 1], state_[i + kM]);
  for (; i < kN - 1; ++i) state_[i] = twist(state_[i], state_[i + 1], state_[i + kM - kN]);
  state_[kN - 1] = twist(state_[kN - 1], state_[0], state_[kM - 1]);
  for (std::size_t j = 0; j < kN; ++j) {
    std::uint32_t y = state_[j];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    out_[j] = y;
  }
  next_ = 0;
}

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

void Rng::randint(std::int64_t low, std::int64_t high, std::span<std::int64_t> out) {
  const auto range = static_cast<std::uint64_t>(high - low - 1);
  if (range == 0 || range >= 0xFFFFFFFFull) {
    for (auto& v : out) v = randint(low, high);
    return;
  }
  const auto mask = static_cast<std::uint32_t>(mask_for(range));
  const auto max = static_cast<std::uint32_t>(range);
  // Every draw is written at `filled`, which moves on only when the draw is accepted; the last
  // slot is finished by the scalar path (a rejected draw there must not write past the end).
  std::size_t filled = 0;
  while (filled + 1 < out.size()) {
    const std::uint32_t v = next_u32() & mask;
    out[filled] = low + static_cast<std::int64_t>(v);
    filled += v <= max ? 1 : 0;
  }
  if (filled < out.size()) out[filled] = randint(low, high);
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
