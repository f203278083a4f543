#include "fitcheck/prep/column_facts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fitcheck::prep {

ColumnFacts column_facts(const core::Column& column) {
  ColumnFacts f;
  f.name = column.name;
  f.type = column.type;
  f.rows = column.size();
  if (column.type == core::ColumnType::Categorical) {
    std::vector<std::uint8_t> seen(column.dictionary.size(), 0);
    for (std::int64_t i = 0; i < f.rows; ++i) {
      const auto code = column.codes[static_cast<std::size_t>(i)];
      if (!column.is_valid(i) || code < 0) {
        ++f.missing;
      } else {
        seen[static_cast<std::size_t>(code)] = 1;
      }
    }
    std::vector<std::string> texts;
    for (std::size_t k = 0; k < seen.size(); ++k) {
      if (seen[k]) texts.push_back(column.dictionary[k]);
    }
    std::sort(texts.begin(), texts.end());
    f.distinct = std::unique(texts.begin(), texts.end()) - texts.begin();
    f.integer_valued = false;
    return f;
  }
  std::vector<double> present;
  present.reserve(static_cast<std::size_t>(f.rows));
  for (std::int64_t i = 0; i < f.rows; ++i) {
    const double v = column.as_double(i);
    if (std::isnan(v)) {
      ++f.missing;
      continue;
    }
    present.push_back(v);
    if (v != std::floor(v)) f.integer_valued = false;
  }
  if (present.empty()) return f;
  std::sort(present.begin(), present.end());
  f.min = present.front();
  f.max = present.back();
  f.distinct = std::unique(present.begin(), present.end()) - present.begin();
  return f;
}

}  // namespace fitcheck::prep
