#pragma once
// Canonical 64-bit hashes of cell values, shared by the distinct counter and the duplicate-row
// detector. A value hashes the same whatever column type a chunk gave it: the number 3 read as
// int64, as float64 3.0, or as the text "3" in a chunk widened to categorical all hash alike.

#include <bit>
#include <cstdint>
#include <string_view>

namespace fitcheck::profile {

// Finalizer of splitmix64 / MurmurHash3-style avalanche on 64 bits. Inline, as hash_number:
// they run once per cell, and inlined the per-column loops vectorise.
inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// -0.0 and 0.0 alike; all NaNs alike.
inline std::uint64_t hash_number(double value) {
  if (value == 0.0) value = 0.0;
  std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
  if (value != value) bits = 0x7ff8000000000001ULL ^ 0x6e756d6265720000ULL;  // NaN
  return mix64(bits ^ 0x6e756d6265720000ULL);
}

std::uint64_t hash_text(std::string_view text);  // a number-looking text hashes as that number
std::uint64_t hash_missing();

// Order-dependent combination for row hashes.
inline std::uint64_t hash_combine(std::uint64_t seed, std::uint64_t value) {
  return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

}  // namespace fitcheck::profile
