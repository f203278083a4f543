#pragma once
// The categories of one column as scikit-learn's encoders find them: distinct values sorted
// (numbers ascending, strings by Unicode code point), with "missing" (NaN) as the last category
// when the column has missing cells. Shared by OneHotEncoder and OrdinalEncoder.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

class Categories {
 public:
  static constexpr std::int32_t kUnknown = -1;

  // Finds the categories of `column`; `counts`, when given, receives each category's count.
  static Categories of(const core::Column& column, std::vector<std::int64_t>* counts = nullptr);

  std::size_t size() const { return (numeric() ? numbers_.size() : strings_.size()) + (has_missing_ ? 1 : 0); }
  bool numeric() const { return type_ != core::ColumnType::Categorical; }
  bool has_missing() const { return has_missing_; }
  bool is_missing(std::size_t i) const { return has_missing_ && i + 1 == size(); }
  core::ColumnType type() const { return type_; }

  // Python's str() of category i, as scikit-learn puts it in feature names: "Paris", "3", "1.5",
  // "True", "nan".
  std::string label(std::size_t i) const;
  // For each row of `column`: its category index, or kUnknown for a value not seen in the fit.
  std::vector<std::int32_t> lookup(const core::Column& column) const;
  // Row i of `column` as text for messages ("nan" when missing).
  static std::string cell_text(const core::Column& column, std::int64_t i);

  // Category i written back into a column of the fitted type (used by inverse_transform).
  const std::vector<double>& numbers() const { return numbers_; }
  const std::vector<std::string>& strings() const { return strings_; }

  nlohmann::json to_json() const;
  static Categories from_json(const nlohmann::json& j, const std::string& where);

 private:
  core::ColumnType type_ = core::ColumnType::Categorical;
  std::vector<double> numbers_;
  std::vector<std::string> strings_;
  bool has_missing_ = false;
};

}  // namespace fitcheck::prep
