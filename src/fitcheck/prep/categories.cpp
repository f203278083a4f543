#include "fitcheck/prep/categories.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

Categories Categories::of(const core::Column& column, std::vector<std::int64_t>* counts) {
  Categories c;
  c.type_ = column.type;
  const std::int64_t n = column.size();
  std::int64_t missing = 0;
  if (column.type == core::ColumnType::Categorical) {
    std::vector<std::int64_t> per_code(column.dictionary.size(), 0);
    for (std::int64_t i = 0; i < n; ++i) {
      const auto code = column.codes[static_cast<std::size_t>(i)];
      if (!column.is_valid(i) || code < 0) {
        ++missing;
      } else {
        ++per_code[static_cast<std::size_t>(code)];
      }
    }
    // Dictionary entries that occur, sorted by bytes: UTF-8 byte order is code point order.
    std::vector<std::size_t> used;
    for (std::size_t k = 0; k < per_code.size(); ++k) {
      if (per_code[k] > 0) used.push_back(k);
    }
    std::sort(used.begin(), used.end(),
              [&](std::size_t a, std::size_t b) { return column.dictionary[a] < column.dictionary[b]; });
    for (std::size_t k : used) {
      if (!c.strings_.empty() && c.strings_.back() == column.dictionary[k]) {  // duplicate dictionary text
        if (counts) counts->back() += per_code[k];
        continue;
      }
      c.strings_.push_back(column.dictionary[k]);
      if (counts) counts->push_back(per_code[k]);
    }
  } else {
    auto values = numeric_values(column, "encoder");
    std::vector<double> present;
    present.reserve(values.size());
    for (double v : values) {
      if (std::isnan(v)) {
        ++missing;
      } else {
        present.push_back(v);
      }
    }
    std::sort(present.begin(), present.end());
    for (std::size_t i = 0; i < present.size(); ++i) {
      if (i > 0 && present[i] == present[i - 1]) {
        if (counts) ++counts->back();
        continue;
      }
      c.numbers_.push_back(present[i]);
      if (counts) counts->push_back(1);
    }
  }
  c.has_missing_ = missing > 0;
  if (counts && missing > 0) counts->push_back(missing);
  return c;
}

std::string Categories::label(std::size_t i) const {
  if (is_missing(i)) return "nan";
  switch (type_) {
    case core::ColumnType::Categorical: return strings_[i];
    case core::ColumnType::Int64: return fmt::format("{}", static_cast<std::int64_t>(numbers_[i]));
    case core::ColumnType::Bool: return numbers_[i] != 0.0 ? "True" : "False";
    case core::ColumnType::Float64: return python_float_str(numbers_[i]);
  }
  return {};
}

std::vector<std::int32_t> Categories::lookup(const core::Column& column) const {
  const auto n = static_cast<std::size_t>(column.size());
  std::vector<std::int32_t> out(n, kUnknown);
  const auto missing_index = has_missing_ ? static_cast<std::int32_t>(size() - 1) : kUnknown;
  if (column.type == core::ColumnType::Categorical) {
    // Map each dictionary entry once; rows then cost one table read.
    std::vector<std::int32_t> by_code(column.dictionary.size(), kUnknown);
    if (!numeric()) {
      for (std::size_t k = 0; k < by_code.size(); ++k) {
        auto it = std::lower_bound(strings_.begin(), strings_.end(), column.dictionary[k]);
        if (it != strings_.end() && *it == column.dictionary[k]) {
          by_code[k] = static_cast<std::int32_t>(it - strings_.begin());
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto code = column.codes[i];
      const bool present = column.valid.empty() || column.valid[i];
      out[i] = (!present || code < 0) ? missing_index : by_code[static_cast<std::size_t>(code)];
    }
    return out;
  }
  const auto values = numeric_values(column, "encoder");
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (std::isnan(v)) {
      out[i] = missing_index;
    } else if (numeric()) {
      auto it = std::lower_bound(numbers_.begin(), numbers_.end(), v);
      if (it != numbers_.end() && *it == v) out[i] = static_cast<std::int32_t>(it - numbers_.begin());
    }
  }
  return out;
}

std::string Categories::cell_text(const core::Column& column, std::int64_t i) {
  if (!column.is_valid(i)) return "nan";
  if (column.type == core::ColumnType::Float64) return python_float_str(column.f64[static_cast<std::size_t>(i)]);
  if (column.type == core::ColumnType::Bool) return column.b[static_cast<std::size_t>(i)] ? "True" : "False";
  return column.as_string(i);
}

nlohmann::json Categories::to_json() const {
  nlohmann::json values = numeric() ? numbers_to_json(numbers_) : nlohmann::json(strings_);
  return {{"type", std::string(core::column_type_name(type_))}, {"values", values}, {"has_missing", has_missing_}};
}

Categories Categories::from_json(const nlohmann::json& j, const std::string& where) {
  Categories c;
  const auto type = string_member(j, "type", where);
  if (type == "float64") {
    c.type_ = core::ColumnType::Float64;
  } else if (type == "int64") {
    c.type_ = core::ColumnType::Int64;
  } else if (type == "bool") {
    c.type_ = core::ColumnType::Bool;
  } else if (type == "categorical") {
    c.type_ = core::ColumnType::Categorical;
  } else {
    throw core::InputError({.where = where + "/type", .what = "unknown column type",
                            .expected = "float64, int64, bool or categorical", .got = type});
  }
  if (c.numeric()) {
    c.numbers_ = numbers_from_json(member(j, "values", where), where + "/values");
    if (!std::is_sorted(c.numbers_.begin(), c.numbers_.end())) {
      throw core::InputError({.where = where + "/values", .what = "categories are not sorted"});
    }
  } else {
    c.strings_ = strings_from_json(member(j, "values", where), where + "/values");
    if (!std::is_sorted(c.strings_.begin(), c.strings_.end())) {
      throw core::InputError({.where = where + "/values", .what = "categories are not sorted"});
    }
  }
  c.has_missing_ = bool_member(j, "has_missing", where);
  return c;
}

}  // namespace fitcheck::prep
