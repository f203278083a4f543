#pragma once
// Tiny builders for the prep tests: numeric columns with NaN as missing, string columns with
// "" as missing.

#include <cmath>
#include <string>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep::testing {

inline core::Column num(std::string name, std::vector<double> v) {
  std::vector<std::uint8_t> valid;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) {
      if (valid.empty()) valid.assign(v.size(), 1);
      valid[i] = 0;
    }
  }
  return core::Column::float64(std::move(name), std::move(v), std::move(valid));
}

inline core::Column str(std::string name, const std::vector<std::string>& v) {
  std::vector<std::string> dict;
  std::vector<std::int32_t> codes;
  std::vector<std::uint8_t> valid(v.size(), 1);
  bool any_missing = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].empty()) {
      codes.push_back(-1);
      valid[i] = 0;
      any_missing = true;
      continue;
    }
    auto it = std::find(dict.begin(), dict.end(), v[i]);
    if (it == dict.end()) {
      dict.push_back(v[i]);
      it = dict.end() - 1;
    }
    codes.push_back(static_cast<std::int32_t>(it - dict.begin()));
  }
  if (!any_missing) valid.clear();
  return core::Column::categorical(std::move(name), std::move(codes), std::move(dict), std::move(valid));
}

inline core::Table table(std::vector<core::Column> columns) {
  core::Table t;
  for (auto& c : columns) t.add_column(std::move(c));
  return t;
}

inline std::vector<double> values(const core::Table& t, int j) {
  std::vector<double> out;
  for (std::int64_t i = 0; i < t.num_rows(); ++i) out.push_back(t.column(j).as_double(i));
  return out;
}

}  // namespace fitcheck::prep::testing
