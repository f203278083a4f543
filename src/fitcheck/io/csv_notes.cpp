#include "fitcheck/io/csv_notes.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace fitcheck::io::detail {

namespace {
std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}
std::string shorten(const std::string& s) {
  return s.size() <= 40 ? s : s.substr(0, 37) + "...";
}
}  // namespace

void NoteCollector::strays_as_missing(int col, Kind kind, const Sample& s) {
  if (s.count == 0) return;
  auto& e = strays_[col];
  e.kind = kind;
  e.s.merge(s);
}

void NoteCollector::numeric_but_text(int col, std::int64_t numeric, std::int64_t non_missing, const Sample& s) {
  auto& e = numeric_text_[col];
  e.numeric += numeric;
  e.non_missing += non_missing;
  e.s.merge(s);
}

void NoteCollector::int_overflow(int col, const Sample& s) {
  if (s.count > 0) overflow_[col].merge(s);
}

void NoteCollector::widened(int col, Kind from, Kind to, std::int64_t line) {
  auto& e = widened_[{col, static_cast<int>(to)}];
  e.from = from;
  e.to = to;
  if (e.chunks == 0 || line < e.line) e.line = line;
  ++e.chunks;
}

void NoteCollector::merge(const NoteCollector& other) {
  for (const auto& [c, e] : other.strays_) strays_as_missing(c, e.kind, e.s);
  for (const auto& [c, e] : other.numeric_text_) numeric_but_text(c, e.numeric, e.non_missing, e.s);
  for (const auto& [c, e] : other.overflow_) int_overflow(c, e);
  for (const auto& [k, e] : other.widened_) {
    auto& w = widened_[k];
    w.from = e.from;
    w.to = e.to;
    if (w.chunks == 0 || e.line < w.line) w.line = e.line;
    w.chunks += e.chunks;
  }
}

std::vector<CsvNote> NoteCollector::notes(const std::vector<std::string>& names) const {
  std::vector<CsvNote> out;
  auto name_of = [&](int c) { return names.at(static_cast<std::size_t>(c)); };
  for (const auto& [c, e] : strays_) {
    const std::string what = e.kind == Kind::Bool ? "true/false" : "numbers";
    out.push_back({.column = name_of(c), .line = e.s.line,
                   .message = fmt::format("Column \"{}\" is {} but {} {} not {} (first at line {}: \"{}\"); "
                                          "they are read as missing.",
                                          name_of(c), kind_name(e.kind), plural(e.s.count, "value", "values"),
                                          e.s.count == 1 ? "is" : "are", what, e.s.line, shorten(e.s.text))});
  }
  for (const auto& [c, e] : numeric_text_) {
    // Only worth saying when numbers are the majority: a text column is not news.
    if (e.numeric == 0 || e.numeric * 2 < e.non_missing || e.s.count == 0) continue;
    out.push_back({.column = name_of(c), .line = e.s.line,
                   .message = fmt::format("Column \"{}\" looks numeric except {} (first at line {}: \"{}\"); it is "
                                          "read as categorical. Add those tokens to na_values to read it as numbers.",
                                          name_of(c), plural(e.s.count, "value", "values"), e.s.line,
                                          shorten(e.s.text))});
  }
  for (const auto& [c, s] : overflow_) {
    out.push_back({.column = name_of(c), .line = s.line,
                   .message = fmt::format("Column \"{}\" holds {} too large for int64 (first at line {}: \"{}\"); it "
                                          "is read as float64.",
                                          name_of(c), plural(s.count, "integer", "integers"), s.line, shorten(s.text))});
  }
  for (const auto& [k, e] : widened_) {
    out.push_back({.column = name_of(k.first), .line = e.line,
                   .message = fmt::format("Column \"{}\" was read as {} from the first block, but {} (first at line "
                                          "{}) {} values that need {}; there it is {}.",
                                          name_of(k.first), kind_name(e.from), plural(e.chunks, "chunk", "chunks"),
                                          e.line, e.chunks == 1 ? "holds" : "hold", kind_name(e.to),
                                          kind_name(e.to))});
  }
  std::stable_sort(out.begin(), out.end(), [&](const CsvNote& a, const CsvNote& b) {
    return std::find(names.begin(), names.end(), a.column) < std::find(names.begin(), names.end(), b.column);
  });
  return out;
}

}  // namespace fitcheck::io::detail
