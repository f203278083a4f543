#include "fitcheck/io/csv_dictionary.hpp"

#include <cstring>
#include <limits>

#if defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__BMI2__)
#include <immintrin.h>
#endif

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {

std::uint64_t hash_text(std::string_view text) {
  // 8 bytes at a time, multiply and fold (a wyhash-like mix; quality is enough for probing).
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = 0x2545F4914F6CDD1Dull ^ (text.size() * kMul);
  const char* p = text.data();
  std::size_t n = text.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    // The last 1..7 bytes by loads inside the text (overlapping when 4..7), not a byte copy
    // to the stack and a wide reload, which stalls on store forwarding for every short text.
    std::uint64_t w;
    if (n >= 4) {
      std::uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      w = lo | (std::uint64_t{hi} << 32);
    } else {
      w = static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
          (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    }
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

// A short text is compared with one masked load of each side (bytes past the text are not read),
// not a call to memcmp for every field of a categorical column.
bool same_text(const std::string& held, std::string_view text) {
  if (held.size() != text.size()) return false;
#if defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__BMI2__)
  if (text.size() <= 16) {
    const auto in = static_cast<__mmask16>(_bzhi_u32(0xFFFFu, static_cast<unsigned>(text.size())));
    const __m128i a = _mm_maskz_loadu_epi8(in, held.data());
    const __m128i b = _mm_maskz_loadu_epi8(in, text.data());
    return _mm_cmpneq_epi8_mask(a, b) == 0;  // bytes outside `in` are zero in both
  }
#endif
  return std::memcmp(held.data(), text.data(), text.size()) == 0;
}

DictionaryEncoder::DictionaryEncoder() : slots_(64), mask_(63) {}

std::int32_t DictionaryEncoder::encode(std::string_view text) {
  const std::uint64_t h = hash_text(text);
  const auto high = static_cast<std::uint32_t>(h >> 32);
  std::uint64_t i = h & mask_;
  for (;;) {
    const Slot s = slots_[i];
    if (s.code_plus_one == 0) break;
    if (s.hash_high == high) {
      const std::size_t code = s.code_plus_one - 1;
      if (same_text(dictionary_[code], text)) return static_cast<std::int32_t>(code);
    }
    i = (i + 1) & mask_;
  }
  FITCHECK_CHECK(dictionary_.size() < static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() - 1),
                 "too many distinct values for int32 codes");
  const auto code = static_cast<std::int32_t>(dictionary_.size());
  dictionary_.emplace_back(text);
  hashes_.push_back(h);
  slots_[i] = {static_cast<std::uint32_t>(code) + 1, high};
  if (dictionary_.size() * 2 > slots_.size()) grow();
  return code;
}

void DictionaryEncoder::grow() {
  std::vector<Slot> slots(slots_.size() * 2);
  mask_ = slots.size() - 1;
  for (std::size_t code = 0; code < hashes_.size(); ++code) {
    std::uint64_t i = hashes_[code] & mask_;
    while (slots[i].code_plus_one != 0) i = (i + 1) & mask_;
    slots[i] = {static_cast<std::uint32_t>(code) + 1, static_cast<std::uint32_t>(hashes_[code] >> 32)};
  }
  slots_ = std::move(slots);
}

std::vector<std::string> DictionaryEncoder::take_dictionary() {
  std::vector<std::string> d = std::move(dictionary_);
  dictionary_.clear();
  hashes_.clear();
  slots_.assign(64, Slot{});
  mask_ = 63;
  return d;
}

}  // namespace fitcheck::io::detail
