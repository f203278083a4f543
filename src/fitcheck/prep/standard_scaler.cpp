#include "fitcheck/prep/standard_scaler.hpp"

#include <cmath>
#include <limits>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/columnwise.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

std::unique_ptr<const FittedTransformer> StandardScaler::fit(const core::Table& x) const {
  const auto d = static_cast<std::size_t>(x.num_columns());
  std::vector<double> mean(d), var(d), scale(d);
  constexpr double eps = std::numeric_limits<double>::epsilon();
  for (std::size_t j = 0; j < d; ++j) {
    const auto v = numeric_values(x.column(static_cast<int>(j)), class_name());
    double sum = 0.0;
    std::int64_t n = 0;
    for (double e : v) {
      if (!std::isnan(e)) {
        sum += e;
        ++n;
      }
    }
    if (n == 0) {  // all missing: scikit-learn's statistics are NaN and so is the output
      mean[j] = var[j] = scale[j] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double nd = static_cast<double>(n);
    const double m = sum / nd;
    double correction = 0.0, sq = 0.0;
    for (double e : v) {
      if (!std::isnan(e)) {
        const double t = e - m;
        correction += t;
        sq += t * t;
      }
    }
    mean[j] = m;
    var[j] = (sq - correction * correction / nd) / nd;
    // scikit-learn's _is_constant_feature: the variance is below its own rounding error.
    const double bound = nd * eps * var[j] + (nd * m * eps) * (nd * m * eps);
    scale[j] = var[j] <= bound ? 1.0 : std::sqrt(var[j]);
  }
  return std::make_unique<FittedStandardScaler>(describe_inputs(x), options_, std::move(mean), std::move(var),
                                                std::move(scale));
}

nlohmann::json StandardScaler::get_params() const {
  return {{"with_mean", options_.with_mean}, {"with_std", options_.with_std}};
}

std::unique_ptr<Transformer> StandardScaler::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  o.get_string("method", "standard");
  StandardScalerOptions s;
  s.with_mean = o.get_bool("with_mean", true);
  s.with_std = o.get_bool("with_std", true);
  o.finish();
  return std::make_unique<StandardScaler>(s);
}

FittedStandardScaler::FittedStandardScaler(std::vector<InputColumn> inputs, StandardScalerOptions options,
                                           std::vector<double> mean, std::vector<double> var,
                                           std::vector<double> scale)
    : FittedTransformer(std::move(inputs)), options_(options), mean_(std::move(mean)), var_(std::move(var)),
      scale_(std::move(scale)) {}

core::Table FittedStandardScaler::transform(const core::Table& x) const {
  check_input(x);
  return map_numeric_columns(x, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) {
      if (options_.with_mean) e -= mean_[j];
      if (options_.with_std) e /= scale_[j];  // a division, as numpy does: the bits match
    }
  });
}

core::Table FittedStandardScaler::inverse_transform(const core::Table& y) const {
  check_input(y);
  return map_numeric_columns(y, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) {
      if (options_.with_std) e *= scale_[j];
      if (options_.with_mean) e += mean_[j];
    }
  });
}

std::vector<std::string> FittedStandardScaler::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

nlohmann::json FittedStandardScaler::params_json() const {
  return {{"with_mean", options_.with_mean}, {"with_std", options_.with_std}};
}

nlohmann::json FittedStandardScaler::state_json() const {
  return {{"mean", numbers_to_json(mean_)}, {"var", numbers_to_json(var_)}, {"scale", numbers_to_json(scale_)}};
}

std::unique_ptr<const FittedTransformer> FittedStandardScaler::from_json(const nlohmann::json& j,
                                                                         const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  const auto& p = member(j, "params", where);
  const auto& s = member(j, "state", where);
  StandardScalerOptions o{.with_mean = bool_member(p, "with_mean", where + "/params"),
                          .with_std = bool_member(p, "with_std", where + "/params")};
  auto mean = numbers_from_json(member(s, "mean", where + "/state"), where + "/state/mean");
  auto var = numbers_from_json(member(s, "var", where + "/state"), where + "/state/var");
  auto scale = numbers_from_json(member(s, "scale", where + "/state"), where + "/state/scale");
  if (mean.size() != inputs.size() || var.size() != inputs.size() || scale.size() != inputs.size()) {
    throw core::InputError({.where = where + "/state", .what = "statistics do not match the number of inputs"});
  }
  return std::make_unique<FittedStandardScaler>(std::move(inputs), o, std::move(mean), std::move(var),
                                                std::move(scale));
}

}  // namespace fitcheck::prep
