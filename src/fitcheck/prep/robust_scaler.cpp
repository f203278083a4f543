#include "fitcheck/prep/robust_scaler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/columnwise.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

namespace {
void check_quantiles(const RobustScalerOptions& o, const std::string& where) {
  if (!(0.0 <= o.q_min && o.q_min <= o.q_max && o.q_max <= 100.0)) {
    throw core::ConfigError({.where = where, .what = "invalid quantile range", .expected = "0 <= q_min <= q_max <= 100",
                             .got = fmt::format("[{}, {}]", o.q_min, o.q_max)});
  }
}

RobustScalerOptions options_from_params(const nlohmann::json& p, const std::string& where) {
  const auto qr = numbers_from_json(member(p, "quantile_range", where), where + "/quantile_range");
  if (qr.size() != 2) throw core::InputError({.where = where + "/quantile_range", .what = "expected two numbers"});
  return {.with_centering = bool_member(p, "with_centering", where),
          .with_scaling = bool_member(p, "with_scaling", where),
          .q_min = qr[0],
          .q_max = qr[1],
          .unit_variance = bool_member(p, "unit_variance", where)};
}
}  // namespace

double normal_ppf(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  // Bisection to a bracket, then Newton steps on Phi(x) = erfc(-x / sqrt 2) / 2.
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 80; ++i) {
    const double mid = 0.5 * (lo + hi);
    (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p ? lo : hi) = mid;
  }
  double x = 0.5 * (lo + hi);
  for (int i = 0; i < 3; ++i) {
    const double f = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double density = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
    if (density == 0.0) break;
    x -= f / density;
  }
  return x;
}

RobustScaler::RobustScaler(RobustScalerOptions options) : options_(options) {
  check_quantiles(options_, "RobustScaler");
}

std::unique_ptr<const FittedTransformer> RobustScaler::fit(const core::Table& x) const {
  const auto d = static_cast<std::size_t>(x.num_columns());
  std::vector<double> center(d, 0.0), scale(d, 1.0);
  const double adjust = options_.unit_variance
                            ? normal_ppf(options_.q_max / 100.0) - normal_ppf(options_.q_min / 100.0)
                            : 1.0;
  for (std::size_t j = 0; j < d; ++j) {
    auto v = numeric_values(x.column(static_cast<int>(j)), class_name());
    std::erase_if(v, [](double e) { return std::isnan(e); });
    std::sort(v.begin(), v.end());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (options_.with_centering) {
      const std::size_t n = v.size();
      center[j] = n == 0 ? nan : (n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0);
    }
    if (options_.with_scaling) {
      scale[j] = handle_zero_scale(sorted_percentile(v, options_.q_max) - sorted_percentile(v, options_.q_min));
      if (options_.unit_variance) scale[j] = scale[j] / adjust;
    }
  }
  return std::make_unique<FittedRobustScaler>(describe_inputs(x), options_, std::move(center), std::move(scale));
}

nlohmann::json RobustScaler::get_params() const {
  return {{"with_centering", options_.with_centering}, {"with_scaling", options_.with_scaling},
          {"quantile_range", {options_.q_min, options_.q_max}}, {"unit_variance", options_.unit_variance}};
}

std::unique_ptr<Transformer> RobustScaler::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  o.get_string("method", "robust");
  RobustScalerOptions s;
  s.with_centering = o.get_bool("with_centering", true);
  s.with_scaling = o.get_bool("with_scaling", true);
  s.unit_variance = o.get_bool("unit_variance", false);
  const auto& qr = o.get_raw("quantile_range");
  if (!qr.is_null()) {
    if (!qr.is_array() || qr.size() != 2 || !qr[0].is_number() || !qr[1].is_number()) {
      throw core::ConfigError({.where = o.path("quantile_range"), .what = "expected two numbers",
                               .expected = "[q_min, q_max]", .got = qr.dump()});
    }
    s.q_min = qr[0].get<double>();
    s.q_max = qr[1].get<double>();
  }
  o.finish();
  check_quantiles(s, o.path("quantile_range"));
  return std::make_unique<RobustScaler>(s);
}

FittedRobustScaler::FittedRobustScaler(std::vector<InputColumn> inputs, RobustScalerOptions options,
                                       std::vector<double> center, std::vector<double> scale)
    : FittedTransformer(std::move(inputs)), options_(options), center_(std::move(center)), scale_(std::move(scale)) {}

core::Table FittedRobustScaler::transform(const core::Table& x) const {
  check_input(x);
  return map_numeric_columns(x, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) {
      if (options_.with_centering) e -= center_[j];
      if (options_.with_scaling) e /= scale_[j];
    }
  });
}

core::Table FittedRobustScaler::inverse_transform(const core::Table& y) const {
  check_input(y);
  return map_numeric_columns(y, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) {
      if (options_.with_scaling) e *= scale_[j];
      if (options_.with_centering) e += center_[j];
    }
  });
}

std::vector<std::string> FittedRobustScaler::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

nlohmann::json FittedRobustScaler::params_json() const {
  return {{"with_centering", options_.with_centering}, {"with_scaling", options_.with_scaling},
          {"quantile_range", {options_.q_min, options_.q_max}}, {"unit_variance", options_.unit_variance}};
}

nlohmann::json FittedRobustScaler::state_json() const {
  return {{"center", numbers_to_json(center_)}, {"scale", numbers_to_json(scale_)}};
}

std::unique_ptr<const FittedTransformer> FittedRobustScaler::from_json(const nlohmann::json& j,
                                                                       const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  const auto o = options_from_params(member(j, "params", where), where + "/params");
  const auto& s = member(j, "state", where);
  auto center = numbers_from_json(member(s, "center", where + "/state"), where + "/state/center");
  auto scale = numbers_from_json(member(s, "scale", where + "/state"), where + "/state/scale");
  if (center.size() != inputs.size() || scale.size() != inputs.size()) {
    throw core::InputError({.where = where + "/state", .what = "statistics do not match the number of inputs"});
  }
  return std::make_unique<FittedRobustScaler>(std::move(inputs), o, std::move(center), std::move(scale));
}

}  // namespace fitcheck::prep
