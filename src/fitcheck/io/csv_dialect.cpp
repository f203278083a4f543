#include "fitcheck/io/csv_dialect.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_tokenizer.hpp"
#include "fitcheck/io/csv_values.hpp"

namespace fitcheck::io::detail {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Detection gives up when the first record is longer than this (an unclosed quote, most likely).
constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

struct Split {
  char delimiter = ',';
  TokenizedBlock sample;
  int mode_fields = 0;      // most common field count
  std::int64_t mode_rows = 0;
  bool consistent = false;
};

void check_delimiter(char d, const std::string& source) {
  if (d == '"' || d == '\n' || d == '\r' || d == '\0') {
    throw core::ConfigError({.where = source,
                             .what = "unusable CSV delimiter",
                             .expected = "a character other than a quote or a line break",
                             .got = d == '"' ? "'\"'" : "a line break or NUL"});
  }
}

Split split_sample(std::string_view text, bool is_whole, char delimiter, const std::string& source) {
  Split s;
  s.delimiter = delimiter;
  const std::size_t usable = is_whole ? text.size() : last_record_end(text, delimiter);
  TokenizeOptions opt{.delimiter = delimiter, .first_line = 1, .max_rows = kSampleRows, .lenient_end = true};
  tokenize_block(text.substr(0, usable), opt, source, s.sample);
  std::map<int, std::int64_t> counts;
  for (std::int64_t r = 0; r < s.sample.rows(); ++r) ++counts[s.sample.fields_in_row(r)];
  for (const auto& [fields, rows] : counts) {
    if (rows > s.mode_rows || (rows == s.mode_rows && fields > s.mode_fields)) {
      s.mode_fields = fields;
      s.mode_rows = rows;
    }
  }
  s.consistent = s.mode_fields > 1 && counts.size() == 1;
  return s;
}

bool commas_are_decimal(std::string_view text) {
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ',') continue;
    any = true;
    auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
    if (i == 0 || !digit(i - 1) || !digit(i + 1)) return false;
  }
  return any;
}

bool looks_like_data(std::string_view s, const NaMatcher& na) {
  if (na.is_na(s)) return false;
  const std::string_view t = trim_spaces(s);
  std::int64_t iv = 0;
  double dv = 0;
  return parse_int64(t, iv) != IntParse::NotInt || parse_float64(t, dv) || parse_bool(t) >= 0;
}

bool detect_header(const TokenizedBlock& sample, const NaMatcher& na) {
  const int cols = sample.fields_in_row(0);
  for (int c = 0; c < cols; ++c) {
    if (looks_like_data(sample.field(0, c), na)) return false;
  }
  if (sample.rows() == 1) return true;
  bool numbers_below = false;
  bool name_repeats = false;
  for (int c = 0; c < cols; ++c) {
    const std::string_view name = sample.field(0, c);
    std::int64_t data = 0, non_missing = 0;
    for (std::int64_t r = 1; r < sample.rows(); ++r) {
      if (c >= sample.fields_in_row(r)) continue;
      const std::string_view v = sample.field(r, c);
      if (na.is_na(v)) continue;
      ++non_missing;
      if (looks_like_data(v, na)) ++data;
      if (!na.is_na(name) && v == name) name_repeats = true;
    }
    if (non_missing > 0 && data == non_missing && !na.is_na(name)) numbers_below = true;
  }
  if (numbers_below) return true;
  return !name_repeats;
}

std::vector<std::string> column_names(const TokenizedBlock& sample, bool header, std::vector<CsvNote>& notes) {
  const int cols = sample.fields_in_row(0);
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(cols));
  if (!header) {
    for (int c = 0; c < cols; ++c) names.push_back(std::to_string(c));
    return names;
  }
  std::set<std::string> used;
  for (int c = 0; c < cols; ++c) used.emplace(sample.field(0, c));
  std::map<std::string, int> seen;
  for (int c = 0; c < cols; ++c) {
    std::string name(sample.field(0, c));
    if (name.empty()) {
      name = fmt::format("Unnamed: {}", c);
      notes.push_back({.column = name, .line = 1,
                       .message = fmt::format("Column {} has no name in the header; it is named \"{}\".", c + 1, name)});
    }
    auto it = seen.find(name);
    if (it == seen.end()) {
      seen.emplace(name, 0);
      names.push_back(name);
      continue;
    }
    // pandas' mangling: the k-th repeat becomes "<name>.<k>", skipping names already used.
    std::string renamed;
    do {
      renamed = fmt::format("{}.{}", name, ++it->second);
    } while (used.count(renamed) > 0 || seen.count(renamed) > 0);
    seen.emplace(renamed, 0);
    used.insert(renamed);
    notes.push_back({.column = renamed, .line = 1,
                     .message = fmt::format("Column name \"{}\" appears more than once in the header; column {} is "
                                            "named \"{}\".", name, c + 1, renamed)});
    names.push_back(std::move(renamed));
  }
  return names;
}

// More text is needed to see a whole record, unless the record is already absurdly long.
std::optional<Dialect> need_more(std::string_view prefix, const std::string& source) {
  if (prefix.size() < kMaxRecordBytes) return std::nullopt;
  throw core::InputError({.where = core::file_location(source, 1),
                          .what = "no record ends within the first 64 MiB",
                          .hint = "Check for a quote that is never closed."});
}

}  // namespace

std::optional<Dialect> detect_dialect(std::string_view prefix, bool is_whole, const CsvOptions& options,
                                      const std::string& source) {
  Dialect d;
  std::string_view text = prefix;
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
    d.data_offset = kBom.size();
  }
  const NaMatcher na(options.na_values);

  std::vector<char> candidates;
  if (options.delimiter != '\0') {
    check_delimiter(options.delimiter, source);
    candidates.push_back(options.delimiter);
  } else {
    candidates = {',', '\t', ';', '|'};
  }
  std::vector<Split> splits;
  bool any_rows = false;
  for (char c : candidates) {
    splits.push_back(split_sample(text, is_whole, c, source));
    any_rows = any_rows || splits.back().sample.rows() > 0;
  }
  if (!any_rows) {
    if (!is_whole) return need_more(prefix, source);
    // An unterminated quote hides every record from the lenient sample: report it as such.
    TokenizedBlock strict;
    tokenize_block(text, {.delimiter = candidates.front()}, source, strict);
    throw core::InputError({.where = source,
                            .what = "the file is empty",
                            .expected = "a header line or rows of data",
                            .got = prefix.empty() ? "0 bytes" : "only blank lines"});
  }

  const Split* best = nullptr;
  for (const auto& s : splits) {
    if (s.consistent && (best == nullptr || s.mode_fields > best->mode_fields)) best = &s;
  }
  if (best != nullptr && best->delimiter == ',') {
    for (const auto& s : splits) {
      if (s.delimiter == ';' && s.consistent && commas_are_decimal(text.substr(0, 1 << 16))) best = &s;
    }
  }
  if (best == nullptr) {
    for (const auto& s : splits) {
      if (s.mode_fields > 1 && (best == nullptr || s.mode_rows > best->mode_rows)) best = &s;
    }
  }
  if (best == nullptr) best = &splits.front();  // one column: the first candidate (',' unless given)
  if (best->sample.rows() == 0) {
    // The chosen delimiter sees no complete record: a quote that stays open.
    if (!is_whole) return need_more(prefix, source);
    TokenizedBlock strict;
    tokenize_block(text, {.delimiter = best->delimiter}, source, strict);
    throw core::InputError({.where = core::file_location(source, 1), .what = "no complete record"});
  }
  d.delimiter = best->delimiter;
  const TokenizedBlock& sample = best->sample;

  d.header = options.header.has_value() ? *options.header : detect_header(sample, na);
  d.names = column_names(sample, d.header, d.notes);
  if (!options.header.has_value() && !d.header) {
    d.notes.push_back({.column = "", .line = 1,
                       .message = fmt::format("The first line holds data, not column names; the columns are "
                                              "named 0 to {}.", d.names.size() - 1)});
  }
  if (d.header) {
    TokenizedBlock first;
    TokenizeOptions opt{.delimiter = d.delimiter, .first_line = 1, .max_rows = 1, .lenient_end = true};
    d.data_offset += tokenize_block(text, opt, source, first);
    d.data_first_line = first.end_line;
  } else {
    d.data_first_line = 1;
  }
  return d;
}

Dialect detect_on_text(std::string_view text, const CsvOptions& options, const std::string& source) {
  std::size_t n = std::min<std::size_t>(text.size(), std::size_t{1} << 20);
  for (;;) {
    auto d = detect_dialect(text.substr(0, n), n == text.size(), options, source);
    if (d) return std::move(*d);
    n = std::min(text.size(), n * 2);
  }
}

}  // namespace fitcheck::io::detail
