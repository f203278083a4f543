#pragma once
// MinMaxScaler: x * scale + min_ so that the fitted range maps onto feature_range (scikit-learn's
// formula, not (x - min) / range: the bits differ). Constant columns map to the range's start.

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

struct MinMaxScalerOptions {
  double range_min = 0.0;
  double range_max = 1.0;
  bool clip = false;
};

class MinMaxScaler : public Transformer {
 public:
  explicit MinMaxScaler(MinMaxScalerOptions options = {});
  std::string_view class_name() const override { return "MinMaxScaler"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override;
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);

 private:
  MinMaxScalerOptions options_;
};

class FittedMinMaxScaler : public FittedTransformer {
 public:
  FittedMinMaxScaler(std::vector<InputColumn> inputs, MinMaxScalerOptions options, std::vector<double> data_min,
                     std::vector<double> data_max, std::vector<double> scale, std::vector<double> min);
  std::string_view class_name() const override { return "MinMaxScaler"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<double>& data_min() const { return data_min_; }
  const std::vector<double>& data_max() const { return data_max_; }
  const std::vector<double>& scale() const { return scale_; }
  const std::vector<double>& min() const { return min_; }

 private:
  nlohmann::json params_json() const override;
  nlohmann::json state_json() const override;

  MinMaxScalerOptions options_;
  std::vector<double> data_min_, data_max_, scale_, min_;
};

}  // namespace fitcheck::prep
