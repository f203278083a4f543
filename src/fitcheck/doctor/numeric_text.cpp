#include "fitcheck/doctor/numeric_text.hpp"

#include <charconv>
#include <string_view>
#include <vector>

namespace fitcheck::doctor {

namespace {

// At least this share of the rows must read as numbers: a column of numbers with a few stray
// words ("unknown") is still a numeric column written as text.
constexpr double kMinShare = 0.9;

enum Convention : unsigned { kPlain = 0, kDecimalComma = 1, kThousands = 2, kCurrency = 4, kPercent = 8 };

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool strip_prefix(std::string_view& s, std::string_view p) {
  if (s.substr(0, p.size()) != p) return false;
  s.remove_prefix(p.size());
  return true;
}

bool strip_suffix(std::string_view& s, std::string_view p) {
  if (s.size() < p.size() || s.substr(s.size() - p.size()) != p) return false;
  s.remove_suffix(p.size());
  return true;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "1,234,567" / "1.234.567" / "1 234": groups of three digits after the first group of 1-3.
bool grouped(std::string_view s, char sep) {
  std::size_t start = 0, groups = 0;
  while (true) {
    const auto at = s.find(sep, start);
    const auto part = s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (!is_digits(part) || (groups == 0 ? part.size() > 3 || (part.size() > 1 && part[0] == '0') || part == "0"
                                         : part.size() != 3)) {
      return false;  // "0,066" is a decimal comma: thousands never lead with a zero group
    }
    ++groups;
    if (at == std::string_view::npos) return groups > 1;
    start = at + 1;
  }
}

// The value as a number, and the conventions it needed; nullopt when it is not a number at all.
std::optional<unsigned> read_number(std::string_view text) {
  std::string_view s = trim(text);
  unsigned conv = kPlain;
  strip_prefix(s, "-");
  for (const std::string_view sym : {"$", "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5"}) {  // $ € £ ¥
    if (strip_prefix(s, sym) || strip_suffix(s, sym)) {
      conv |= kCurrency;
      break;
    }
  }
  s = trim(s);
  strip_prefix(s, "-");
  if (strip_suffix(s, "%")) conv |= kPercent;
  s = trim(s);
  if (s.empty()) return std::nullopt;
  // Integer and fraction parts under each convention.
  std::string_view whole = s, fraction;
  const auto comma = s.rfind(','), dot = s.rfind('.');
  if (comma != std::string_view::npos && dot != std::string_view::npos) {
    const bool comma_decimal = comma > dot;  // "1.234,56" vs "1,234.56"
    const auto cut = comma_decimal ? comma : dot;
    whole = s.substr(0, cut);
    fraction = s.substr(cut + 1);
    if (!grouped(whole, comma_decimal ? '.' : ',') && !is_digits(whole)) return std::nullopt;
    conv |= comma_decimal ? kDecimalComma : 0u;
    if (!is_digits(whole)) conv |= kThousands;
  } else if (comma != std::string_view::npos) {
    if (grouped(s, ',')) {
      conv |= kThousands;  // "1,234" — or a decimal comma with three decimals; decided per column
      whole = s;
    } else {
      whole = s.substr(0, comma);
      fraction = s.substr(comma + 1);
      conv |= kDecimalComma;
    }
  } else if (s.find(' ') != std::string_view::npos) {
    if (!grouped(s, ' ')) return std::nullopt;
    conv |= kThousands;
  } else {
    // Plain digits with an optional '.' fraction or exponent.
    double v = 0.0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return conv;
  }
  auto digits_only = [](std::string_view w) {
    std::string out;
    for (const char c : w) {
      if (c >= '0' && c <= '9') out += c;
    }
    return out;
  };
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if (!whole.empty() && digits_only(whole).empty()) return std::nullopt;
  for (const char c : whole) {
    if (!((c >= '0' && c <= '9') || c == ',' || c == '.' || c == ' ')) return std::nullopt;
  }
  if (!fraction.empty() && !is_digits(fraction)) return std::nullopt;
  return conv;
}

std::string describe(unsigned conv) {
  if (conv & kDecimalComma) return "a decimal comma";
  if (conv & kCurrency) return "currency symbols";
  if (conv & kPercent) return "percent signs";
  return "thousands separators";
}

}  // namespace

std::optional<NumericText> numbers_written_as_text(const core::Column& column) {
  if (column.type != core::ColumnType::Categorical || column.dictionary.empty()) return std::nullopt;
  std::vector<std::int64_t> counts(column.dictionary.size(), 0);
  std::int64_t present = 0;
  for (std::int64_t i = 0; i < column.size(); ++i) {
    const auto code = column.codes[static_cast<std::size_t>(i)];
    if (!column.is_valid(i) || code < 0 || static_cast<std::size_t>(code) >= counts.size()) continue;
    ++counts[static_cast<std::size_t>(code)];
    ++present;
  }
  if (present == 0) return std::nullopt;
  std::int64_t numeric = 0;
  unsigned seen = 0;
  std::string example;
  // Three checks ask about every text column: stop as soon as the rows that are not numbers rule
  // the column out, which for real categories is after a few values.
  // (the final share test below decides; this only stops once it cannot pass)
  const double allowed_misses = (1.0 - kMinShare) * static_cast<double>(present) + 1e-9;
  std::int64_t misses = 0;
  for (std::size_t k = 0; k < column.dictionary.size(); ++k) {
    if (counts[k] == 0) continue;
    const auto conv = read_number(column.dictionary[k]);
    if (!conv) {
      misses += counts[k];
      if (static_cast<double>(misses) > allowed_misses) return std::nullopt;
      continue;
    }
    numeric += counts[k];
    if (*conv != kPlain && example.empty()) example = column.dictionary[k];
    seen |= *conv;
  }
  const double share = static_cast<double>(numeric) / static_cast<double>(present);
  // Every value plain: the reader kept the column as text for another reason (it is not numbers).
  if (share < kMinShare || seen == kPlain) return std::nullopt;
  return NumericText{describe(seen), example, share};
}

std::optional<NumericText> numbers_written_as_text(const io::DataBlock& x, const std::string& column) {
  if (x.kind != io::DataBlock::Kind::Table) return std::nullopt;
  for (const auto& c : x.table.columns()) {
    if (c.name == column) return numbers_written_as_text(c);
  }
  return std::nullopt;
}

}  // namespace fitcheck::doctor
