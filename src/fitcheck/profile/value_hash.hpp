#pragma once
// Canonical 64-bit hashes of cell values, shared by the distinct counter and the duplicate-row
// detector. A value hashes the same whatever column type a chunk gave it: the number 3 read as
// int64, as float64 3.0, or as the text "3" in a chunk widened to categorical all hash alike.

#include <cstdint>
#include <string_view>

namespace fitcheck::profile {

// Finalizer of splitmix64 / MurmurHash3-style avalanche on 64 bits.
std::uint64_t mix64(std::uint64_t x);

std::uint64_t hash_number(double value);       // -0.0 and 0.0 alike; all NaNs alike
std::uint64_t hash_text(std::string_view text);  // a number-looking text hashes as that number
std::uint64_t hash_missing();

// Order-dependent combination for row hashes.
inline std::uint64_t hash_combine(std::uint64_t seed, std::uint64_t value) {
  return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

}  // namespace fitcheck::profile
