#pragma once
// StandardScaler: (x - mean) / std per column, as scikit-learn computes it (population variance
// with the correction term; a column whose variance is within rounding of zero gets scale 1).

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

struct StandardScalerOptions {
  bool with_mean = true;
  bool with_std = true;
};

class StandardScaler : public Transformer {
 public:
  explicit StandardScaler(StandardScalerOptions options = {}) : options_(options) {}
  std::string_view class_name() const override { return "StandardScaler"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override;
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);

 private:
  StandardScalerOptions options_;
};

class FittedStandardScaler : public FittedTransformer {
 public:
  FittedStandardScaler(std::vector<InputColumn> inputs, StandardScalerOptions options, std::vector<double> mean,
                       std::vector<double> var, std::vector<double> scale);
  std::string_view class_name() const override { return "StandardScaler"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& var() const { return var_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  nlohmann::json params_json() const override;
  nlohmann::json state_json() const override;

  StandardScalerOptions options_;
  std::vector<double> mean_, var_, scale_;
};

}  // namespace fitcheck::prep
