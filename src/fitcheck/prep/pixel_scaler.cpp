#include "fitcheck/prep/pixel_scaler.hpp"

#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/columnwise.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

std::unique_ptr<const FittedTransformer> PixelScaler::fit(const core::Table& x) const {
  for (const auto& c : x.columns()) {
    if (!c.is_numeric()) numeric_values(c, class_name());  // throws the "needs numbers" error
  }
  return std::make_unique<FittedPixelScaler>(describe_inputs(x));
}

std::unique_ptr<Transformer> PixelScaler::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  o.finish();
  return std::make_unique<PixelScaler>();
}

core::Table FittedPixelScaler::transform(const core::Table& x) const {
  check_input(x);
  return map_numeric_columns(x, class_name(), [](std::size_t, std::vector<double>& v) {
    for (double& e : v) e /= 255.0;
  });
}

core::Table FittedPixelScaler::inverse_transform(const core::Table& y) const {
  check_input(y);
  return map_numeric_columns(y, class_name(), [](std::size_t, std::vector<double>& v) {
    for (double& e : v) e *= 255.0;
  });
}

std::vector<std::string> FittedPixelScaler::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

std::unique_ptr<const FittedTransformer> FittedPixelScaler::from_json(const nlohmann::json& j, const std::string& where) {
  return std::make_unique<FittedPixelScaler>(inputs_from_json(j, where));
}

}  // namespace fitcheck::prep
