#pragma once
// Reading one CSV field as a value (internal): missing-value tokens, integers, floats (fast_float)
// and booleans, with the leniency pandas has (spaces around numbers, a leading '+', inf/nan).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fast_float/fast_float.h>

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
  bool negative = false;
  if (p < e && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
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

// A decimal or scientific number, "inf"/"infinity"/"nan" in any case, with an optional sign.
inline bool parse_float64(std::string_view s, double& out) {
  const char* p = s.data();
  const char* e = p + s.size();
  if (p < e && *p == '+') {
    ++p;
    if (p == e || *p == '-' || *p == '+') return false;
  }
  if (p == e) return false;
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
