#include "fitcheck/prep/min_max_scaler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/columnwise.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

namespace {
void check_range(const MinMaxScalerOptions& o, const std::string& where) {
  if (!(o.range_min < o.range_max)) {
    throw core::ConfigError({.where = where, .what = "the minimum of feature_range must be smaller than its maximum",
                             .expected = "[min, max] with min < max",
                             .got = fmt::format("[{}, {}]", o.range_min, o.range_max)});
  }
}
}  // namespace

MinMaxScaler::MinMaxScaler(MinMaxScalerOptions options) : options_(options) { check_range(options_, "MinMaxScaler"); }

std::unique_ptr<const FittedTransformer> MinMaxScaler::fit(const core::Table& x) const {
  const auto d = static_cast<std::size_t>(x.num_columns());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> lo(d, nan), hi(d, nan), scale(d), min(d);
  for (std::size_t j = 0; j < d; ++j) {
    for (double e : numeric_values(x.column(static_cast<int>(j)), class_name())) {
      if (std::isnan(e)) continue;
      if (std::isnan(lo[j]) || e < lo[j]) lo[j] = e;
      if (std::isnan(hi[j]) || e > hi[j]) hi[j] = e;
    }
    scale[j] = (options_.range_max - options_.range_min) / handle_zero_scale(hi[j] - lo[j]);
    if (std::isnan(hi[j])) scale[j] = nan;
    min[j] = options_.range_min - lo[j] * scale[j];
  }
  return std::make_unique<FittedMinMaxScaler>(describe_inputs(x), options_, std::move(lo), std::move(hi),
                                              std::move(scale), std::move(min));
}

nlohmann::json MinMaxScaler::get_params() const {
  return {{"feature_range", {options_.range_min, options_.range_max}}, {"clip", options_.clip}};
}

std::unique_ptr<Transformer> MinMaxScaler::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  o.get_string("method", "minmax");
  MinMaxScalerOptions s;
  const auto& range = o.get_raw("feature_range");
  if (!range.is_null()) {
    if (!range.is_array() || range.size() != 2 || !range[0].is_number() || !range[1].is_number()) {
      throw core::ConfigError({.where = o.path("feature_range"), .what = "expected two numbers",
                               .expected = "[min, max]", .got = range.dump()});
    }
    s.range_min = range[0].get<double>();
    s.range_max = range[1].get<double>();
  }
  s.clip = o.get_bool("clip", false);
  o.finish();
  check_range(s, o.path("feature_range"));
  return std::make_unique<MinMaxScaler>(s);
}

FittedMinMaxScaler::FittedMinMaxScaler(std::vector<InputColumn> inputs, MinMaxScalerOptions options,
                                       std::vector<double> data_min, std::vector<double> data_max,
                                       std::vector<double> scale, std::vector<double> min)
    : FittedTransformer(std::move(inputs)), options_(options), data_min_(std::move(data_min)),
      data_max_(std::move(data_max)), scale_(std::move(scale)), min_(std::move(min)) {}

core::Table FittedMinMaxScaler::transform(const core::Table& x) const {
  check_input(x);
  return map_numeric_columns(x, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) {
      e = e * scale_[j] + min_[j];
      if (options_.clip && !std::isnan(e)) e = std::clamp(e, options_.range_min, options_.range_max);
    }
  });
}

core::Table FittedMinMaxScaler::inverse_transform(const core::Table& y) const {
  check_input(y);
  return map_numeric_columns(y, class_name(), [&](std::size_t j, std::vector<double>& v) {
    for (double& e : v) e = (e - min_[j]) / scale_[j];
  });
}

std::vector<std::string> FittedMinMaxScaler::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

nlohmann::json FittedMinMaxScaler::params_json() const {
  return {{"feature_range", {options_.range_min, options_.range_max}}, {"clip", options_.clip}};
}

nlohmann::json FittedMinMaxScaler::state_json() const {
  return {{"data_min", numbers_to_json(data_min_)}, {"data_max", numbers_to_json(data_max_)},
          {"scale", numbers_to_json(scale_)}, {"min", numbers_to_json(min_)}};
}

std::unique_ptr<const FittedTransformer> FittedMinMaxScaler::from_json(const nlohmann::json& j,
                                                                       const std::string& where) {
  auto inputs = inputs_from_json(j, where);
  const auto& p = member(j, "params", where);
  const auto& s = member(j, "state", where);
  const auto range = numbers_from_json(member(p, "feature_range", where + "/params"), where + "/params/feature_range");
  if (range.size() != 2) throw core::InputError({.where = where + "/params/feature_range", .what = "expected two numbers"});
  MinMaxScalerOptions o{.range_min = range[0], .range_max = range[1], .clip = bool_member(p, "clip", where + "/params")};
  const std::string sw = where + "/state";
  auto lo = numbers_from_json(member(s, "data_min", sw), sw + "/data_min");
  auto hi = numbers_from_json(member(s, "data_max", sw), sw + "/data_max");
  auto scale = numbers_from_json(member(s, "scale", sw), sw + "/scale");
  auto min = numbers_from_json(member(s, "min", sw), sw + "/min");
  const auto d = inputs.size();
  if (lo.size() != d || hi.size() != d || scale.size() != d || min.size() != d) {
    throw core::InputError({.where = sw, .what = "statistics do not match the number of inputs"});
  }
  return std::make_unique<FittedMinMaxScaler>(std::move(inputs), o, std::move(lo), std::move(hi), std::move(scale),
                                              std::move(min));
}

}  // namespace fitcheck::prep
