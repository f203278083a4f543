#pragma once
// Reading one CSV field as a value (internal): missing-value tokens, integers, floats (fast_float)
// and booleans, with the leniency pandas has (spaces around numbers, a leading '+', inf/nan).

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fast_float/fast_float.h>

#if defined(__AVX512BW__)
#include <immintrin.h>
#endif

namespace fitcheck::io::detail {

inline std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class IntParse { Ok, NotInt, Overflow };

// Optional sign, then only digits. Overflow when the digits do not fit in int64.
inline IntParse parse_int64(std::string_view s, std::int64_t& out) {
  const char* p = s.data();
  const char* e = p + s.size();
  if (p == e) return IntParse::NotInt;
  const bool negative = *p == '-';
  p += static_cast<std::size_t>(negative || *p == '+');  // no branch on the sign
  if (p == e) return IntParse::NotInt;
  std::uint64_t v = 0;
  bool overflow = false;
  for (; p < e; ++p) {
    const unsigned d = static_cast<unsigned char>(*p) - static_cast<unsigned>('0');
    if (d > 9) return IntParse::NotInt;
    if (v > (UINT64_MAX - d) / 10) overflow = true;
    v = v * 10 + d;
  }
  const std::uint64_t limit = negative ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << 63) - 1;
  if (overflow || v > limit) return IntParse::Overflow;
  out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return IntParse::Ok;
}

#if defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512VBMI__) && defined(__AVX512VBMI2__)
#define FITCHECK_SIMD_DECIMAL 1
// The common CSV number, [-]digits[.digits] in at most 32 bytes with at most 19 significant
// digits, without a branch per digit (a loop over digits mispredicts its exit on almost every
// number): the field is loaded under a mask, its digits right-aligned into 24 bytes (skipping
// the point) by one byte permutation and combined by pairs, fours and eights with multiply-adds. The
// decimal is rounded by Eisel-Lemire (fast_float's compute_float), which is exact or says it
// cannot decide; Clinger's shortcut for short mantissas is left out on purpose, as in real data
// the choice between the two is a coin flip the branch predictor loses half the time. Returns
// false for anything else (exponents, inf/nan, more digits, an undecided rounding), which the
// caller gives to fast_float whole; the results are bit for bit fast_float's (tested).
// `p` < `e`.
inline bool parse_simple_decimal(const char* p, const char* e, double& out) {
  // No branch on the sign: in real columns it is a coin flip.
  const bool negative = *p == '-';
  p += static_cast<std::size_t>(negative);
  const auto n = static_cast<std::size_t>(e - p);
  if (n - 1 >= 32) return false;  // empty (n - 1 wraps) or longer than 32 bytes
  const auto in = static_cast<__mmask32>(_bzhi_u32(0xFFFFFFFFu, static_cast<unsigned>(n)));
  const __m256i v = _mm256_maskz_loadu_epi8(in, p);  // bytes past the field are not read
  const __m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
  const __mmask32 digit = _mm256_cmplt_epu8_mask(d, _mm256_set1_epi8(10)) & in;
  const __mmask32 dot = _mm256_cmpeq_epi8_mask(v, _mm256_set1_epi8('.')) & in;
  if ((digit | dot) != in || (dot & (dot - 1)) != 0 || digit == 0) return false;
  const int digit_count = static_cast<int>(n) - (dot != 0 ? 1 : 0);
  if (digit_count > 19) {
    // At most 19 significant digits (from the first non-zero one): the value fits 64 bits, and
    // any digits left of the 24-byte window below are leading zeros. (All zeros: none.)
    const __mmask32 nonzero = _mm256_cmpneq_epi8_mask(v, _mm256_set1_epi8('0')) & digit;
    const __mmask32 take = digit & ~((nonzero & (0U - nonzero)) - 1);
    if (std::popcount(static_cast<std::uint32_t>(take)) > 19) return false;
  }
  // The digits right-aligned in 24 bytes by one permutation: output byte j holds digit
  // q = j - lead, read from byte q of the field, or q + 1 from the point on; bytes with q < 0
  // are zero. A mantissa of 0 comes out of compute_float as (signed) zero.
  const int dot_at = dot != 0 ? static_cast<int>(_tzcnt_u32(dot)) : static_cast<int>(n);
  const int fraction = digit_count - dot_at;  // the power of ten is minus the digits after the point
  const int lead = 24 - digit_count;
  const __m256i iota = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                        21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
  const __m256i q = _mm256_sub_epi8(iota, _mm256_set1_epi8(static_cast<char>(lead)));
  const auto past_dot = static_cast<__mmask32>(0xFFFFFFFFu << std::clamp(dot_at + lead, 0, 31));
  const auto keep = static_cast<__mmask32>(0x00FFFFFFu & (0xFFFFFFFFu << std::max(lead, 0)));
  const __m256i source = _mm256_mask_add_epi8(q, past_dot, q, _mm256_set1_epi8(1));
  const __m256i aligned = _mm256_maskz_permutexvar_epi8(keep, source, d);
  const __m256i pairs = _mm256_maddubs_epi16(aligned, _mm256_set1_epi16(0x010A));  // 10a + b
  const __m256i fours = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00010064));   // 100a + b
  // 10000a + b within each 64-bit lane (a in its low half), without a cross-lane shuffle.
  const __m256i eights =
      _mm256_add_epi64(_mm256_mul_epu32(fours, _mm256_set1_epi64x(10000)), _mm256_srli_epi64(fours, 32));
  alignas(32) std::uint64_t part[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(part), eights);
  const std::uint64_t m = part[0] * 10000000000000000ULL + part[1] * 100000000ULL + part[2];
  const fast_float::adjusted_mantissa am = fast_float::compute_float<fast_float::binary_format<double>>(-fraction, m);
  if (am.power2 < 0) return false;
  fast_float::to_float(negative, am, out);
  return true;
}
#endif

// A decimal or scientific number, "inf"/"infinity"/"nan" in any case, with an optional sign.
inline bool parse_float64(std::string_view s, double& out) {
  const char* p = s.data();
  const char* e = p + s.size();
  if (p < e && *p == '+') {
    ++p;
    if (p == e || *p == '-' || *p == '+') return false;
  }
  if (p == e) return false;
#if defined(FITCHECK_SIMD_DECIMAL)
  if (parse_simple_decimal(p, e, out)) return true;
#endif
  auto r = fast_float::from_chars(p, e, out);
  return r.ptr == e && (r.ec == std::errc() || r.ec == std::errc::result_out_of_range);
}

// 1 for true/True/TRUE, 0 for false/False/FALSE (pandas' defaults), -1 otherwise.
inline int parse_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return 1;
  if (s == "false" || s == "False" || s == "FALSE") return 0;
  return -1;
}

// The missing-value tokens. A field also counts as missing when it is only spaces.
class NaMatcher {
 public:
  explicit NaMatcher(const std::vector<std::string>& tokens) : tokens_(tokens) {
    for (const auto& t : tokens_) {
      if (t.empty()) {
        empty_ = true;
        continue;
      }
      first_[static_cast<unsigned char>(t.front())] = 1;
    }
    maybe_ = first_;
    maybe_[static_cast<unsigned char>(' ')] = 1;
    maybe_[static_cast<unsigned char>('\t')] = 1;
  }
  bool is_na(std::string_view s) const {
    if (s.empty()) return empty_;
    // Most fields start with a byte no token starts with and that is not a space: one lookup.
    if (!maybe_[static_cast<unsigned char>(s.front())]) return false;
    return is_na_slow(s);
  }

 private:
  // s is not empty and starts with a token's first byte or a space. A field with only trailing
  // spaces is read like its trimmed text, whose first byte is s.front().
  bool is_na_slow(std::string_view s) const {
    if (first_[static_cast<unsigned char>(s.front())] && matches(s)) return true;
    const std::string_view t = trim_spaces(s);
    if (t.size() == s.size()) return false;
    if (t.empty()) return true;
    return first_[static_cast<unsigned char>(t.front())] && matches(t);
  }
  bool matches(std::string_view s) const {
    for (const auto& t : tokens_) {
      if (t == s) return true;
    }
    return false;
  }
  std::vector<std::string> tokens_;
  std::array<std::uint8_t, 256> first_{};
  std::array<std::uint8_t, 256> maybe_{};  // first_ plus ' ' and '\t'
  bool empty_ = false;
};

}  // namespace fitcheck::io::detail
