#include "fitcheck/prep/column_facts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fitcheck::prep {

namespace {

ColumnFacts categorical_facts(const core::Column& column, ColumnFacts f) {
  std::vector<std::uint8_t> seen(column.dictionary.size(), 0);
  for (std::int64_t i = 0; i < f.rows; ++i) {
    const auto code = column.codes[static_cast<std::size_t>(i)];
    if (!column.is_valid(i) || code < 0) {
      ++f.missing;
    } else {
      seen[static_cast<std::size_t>(code)] = 1;
    }
  }
  // The dictionary may hold one text under two codes (after a merge), so count texts, not codes.
  std::vector<std::string> texts;
  for (std::size_t k = 0; k < seen.size(); ++k) {
    if (seen[k]) texts.push_back(column.dictionary[k]);
  }
  std::sort(texts.begin(), texts.end());
  f.distinct = std::unique(texts.begin(), texts.end()) - texts.begin();
  f.integer_valued = false;
  return f;
}

// Distinct whole numbers in [min, max]: a bitmap when the range is at most a few times the count
// (ids, codes, counts), else a sort.
std::int64_t distinct_whole_numbers(std::vector<double> present, double min, double max) {
  const double range = max - min + 1;
  if (range <= 4.0 * static_cast<double>(present.size()) + 64) {
    std::vector<std::uint8_t> seen(static_cast<std::size_t>(range), 0);
    std::int64_t distinct = 0;
    for (double v : present) {
      auto& s = seen[static_cast<std::size_t>(v - min)];
      distinct += s == 0;
      s = 1;
    }
    return distinct;
  }
  std::sort(present.begin(), present.end());
  return std::unique(present.begin(), present.end()) - present.begin();
}

}  // namespace

ColumnFacts column_facts(const core::Column& column) {
  ColumnFacts f;
  f.name = column.name;
  f.type = column.type;
  f.rows = column.size();
  if (column.type == core::ColumnType::Categorical) return categorical_facts(column, std::move(f));

  // One pass for missing, range and whole-number-ness; the values are kept only while every one
  // is whole, since only then is the exact distinct count needed.
  std::vector<double> present;
  double min = std::numeric_limits<double>::infinity(), max = -min;
  for (std::int64_t i = 0; i < f.rows; ++i) {
    const double v = column.as_double(i);
    if (std::isnan(v)) {
      ++f.missing;
      continue;
    }
    min = std::min(min, v);
    max = std::max(max, v);
    if (f.integer_valued) {
      if (v != std::floor(v)) {
        f.integer_valued = false;
        present = {};
      } else {
        present.push_back(v);
      }
    }
  }
  if (f.missing == f.rows) return f;
  f.min = min;
  f.max = max;
  if (!f.integer_valued) {
    f.distinct = min == max ? 1 : 2;
  } else {
    f.distinct = distinct_whole_numbers(std::move(present), min, max);
  }
  return f;
}

}  // namespace fitcheck::prep
