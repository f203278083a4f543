#include "fitcheck/prep/max_abs_scaler.hpp"

#include <cmath>
#include <limits>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/columnwise.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

std::unique_ptr<const FittedTransformer> MaxAbsScaler::fit(const core::Table& x) const {
  const auto d = static_cast<std::size_t>(x.num_columns());
  std::vector<double> max_abs(d, std::numeric_limits<double>::quiet_NaN()), scale(d);
  for (std::size_t j = 0; j < d; ++j) {
    for (double e : numeric_values(x.column(static_cast<int>(j)), class_name())) {
      if (std::isnan(e)) continue;
      if (std::isnan(max_abs[j]) || std::fabs(e) > max_abs[j]) max_abs[j] = std::fabs(e);
    }
    scale[j] = handle_zero_scale(max_abs[j]);
  }
  return std::make_unique<FittedMaxAbsScaler>(describe_inputs(x), std::move(max_abs), std::move(scale));
}

std::unique_ptr<Transformer> MaxAbsScaler::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  o.get_string("method", "maxabs");
  o.finish();
  return std::make_unique<MaxAbsScaler>();
}

FittedMaxAbsScaler::FittedMaxAbsScaler(std::vector<InputColumn> inputs, std::vector<double> max_abs,
                                       std::vector<double> scale)
    : FittedTransformer(std::move(inputs)), max_abs_(std::move(max_abs)), scale_(std::move(scale)) {}

core::Table FittedMaxAbsScaler::transform(const core::Table& x) const {
  check_input(x);
  return map_numeric_columns(x, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) e /= scale_[j];
  });
}

core::Table FittedMaxAbsScaler::inverse_transform(const core::Table& y) const {
  check_input(y);
  return map_numeric_columns(y, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) e *= scale_[j];
  });
}

std::vector<std::string> FittedMaxAbsScaler::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

nlohmann::json FittedMaxAbsScaler::state_json() const {
  return {{"max_abs", numbers_to_json(max_abs_)}, {"scale", numbers_to_json(scale_)}};
}

std::unique_ptr<const FittedTransformer> FittedMaxAbsScaler::from_json(const nlohmann::json& j,
                                                                       const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  const auto& s = member(j, "state", where);
  auto max_abs = numbers_from_json(member(s, "max_abs", where + "/state"), where + "/state/max_abs");
  auto scale = numbers_from_json(member(s, "scale", where + "/state"), where + "/state/scale");
  if (max_abs.size() != inputs.size() || scale.size() != inputs.size()) {
    throw core::InputError({.where = where + "/state", .what = "statistics do not match the number of inputs"});
  }
  return std::make_unique<FittedMaxAbsScaler>(std::move(inputs), std::move(max_abs), std::move(scale));
}

}  // namespace fitcheck::prep
