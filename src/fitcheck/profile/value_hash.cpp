#include "fitcheck/profile/value_hash.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <system_error>

namespace fitcheck::profile {

std::uint64_t hash_text(std::string_view text) {
  double number = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (!text.empty() && ec == std::errc() && ptr == end) return hash_number(number);
  // FNV-1a over the bytes, then a final avalanche (FNV alone mixes the high bits poorly).
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h ^ 0x7465787400000000ULL);
}

std::uint64_t hash_missing() { return mix64(0x6d697373696e6755ULL); }

}  // namespace fitcheck::profile
