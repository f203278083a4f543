#pragma once
// RobustScaler: (x - median) / (q_max - q_min percentile range), with numpy's linear percentiles;
// unit_variance divides the range by the standard normal's quantile range as scikit-learn does.

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

struct RobustScalerOptions {
  bool with_centering = true;
  bool with_scaling = true;
  double q_min = 25.0;
  double q_max = 75.0;
  bool unit_variance = false;
};

class RobustScaler : public Transformer {
 public:
  explicit RobustScaler(RobustScalerOptions options = {});
  std::string_view class_name() const override { return "RobustScaler"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override;
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);

 private:
  RobustScalerOptions options_;
};

class FittedRobustScaler : public FittedTransformer {
 public:
  FittedRobustScaler(std::vector<InputColumn> inputs, RobustScalerOptions options, std::vector<double> center,
                     std::vector<double> scale);
  std::string_view class_name() const override { return "RobustScaler"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<double>& center() const { return center_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  nlohmann::json params_json() const override;
  nlohmann::json state_json() const override;

  RobustScalerOptions options_;
  std::vector<double> center_, scale_;
};

// The standard normal quantile function (scipy.stats.norm.ppf), accurate to a few ulp.
double normal_ppf(double p);

}  // namespace fitcheck::prep
