#pragma once
// MaxAbsScaler: x / max|x| per column (all-zero columns keep scale 1), as scikit-learn.

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

class MaxAbsScaler : public Transformer {
 public:
  std::string_view class_name() const override { return "MaxAbsScaler"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override { return nlohmann::json::object(); }
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);
};

class FittedMaxAbsScaler : public FittedTransformer {
 public:
  FittedMaxAbsScaler(std::vector<InputColumn> inputs, std::vector<double> max_abs, std::vector<double> scale);
  std::string_view class_name() const override { return "MaxAbsScaler"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<double>& max_abs() const { return max_abs_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  nlohmann::json params_json() const override { return nlohmann::json::object(); }
  nlohmann::json state_json() const override;

  std::vector<double> max_abs_, scale_;
};

}  // namespace fitcheck::prep
