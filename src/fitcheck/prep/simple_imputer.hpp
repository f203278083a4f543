#pragma once
// SimpleImputer (scikit-learn 1.2): fills missing cells with the column's mean, median, most
// frequent value (ties go to the smallest value) or a constant. Columns with no observed value
// in the fit are dropped (except for "constant" or keep_empty_features), as scikit-learn does
// silently; add_indicator appends `missingindicator_<col>` 0/1 columns for every column that had
// missing cells in the fit.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

enum class ImputeStrategy { Mean, Median, MostFrequent, Constant };

struct SimpleImputerOptions {
  ImputeStrategy strategy = ImputeStrategy::Mean;
  // For "constant": a number (numeric columns) or a string (categorical columns). Defaults as
  // scikit-learn: 0 for numbers, "missing_value" for strings.
  std::optional<double> fill_number;
  std::optional<std::string> fill_string;
  bool add_indicator = false;
  bool keep_empty_features = false;
};

class SimpleImputer : public Transformer {
 public:
  explicit SimpleImputer(SimpleImputerOptions options = {}) : options_(std::move(options)) {}
  std::string_view class_name() const override { return "SimpleImputer"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override;
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);

 private:
  SimpleImputerOptions options_;
};

class FittedSimpleImputer : public FittedTransformer {
 public:
  struct Statistic {
    double number = 0.0;  // numeric columns (NaN: no observed value)
    std::string text;     // categorical columns
    bool observed = true; // false: the column had no value in the fit
    bool kept = true;     // false: dropped from the output
    bool indicator = false;  // had missing cells in the fit: gets an indicator column
  };

  FittedSimpleImputer(std::vector<InputColumn> inputs, SimpleImputerOptions options, std::vector<Statistic> stats);
  std::string_view class_name() const override { return "SimpleImputer"; }
  core::Table transform(const core::Table& x) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<Statistic>& statistics() const { return stats_; }

 private:
  nlohmann::json params_json() const override;
  nlohmann::json state_json() const override;

  SimpleImputerOptions options_;
  std::vector<Statistic> stats_;
};

}  // namespace fitcheck::prep
