#include "fitcheck/prep/float32_cast.hpp"

#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/columnwise.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

std::unique_ptr<const FittedTransformer> Float32Cast::fit(const core::Table& x) const {
  for (const auto& c : x.columns()) {
    if (!c.is_numeric()) numeric_values(c, class_name());  // throws the "needs numbers" error
  }
  return std::make_unique<FittedFloat32Cast>(describe_inputs(x));
}

std::unique_ptr<Transformer> Float32Cast::from_options(const nlohmann::json& options, const std::string& where) {
  StepOptions o(options, where);
  o.get_string("dtype", "float32", {"float32"});
  o.finish();
  return std::make_unique<Float32Cast>();
}

core::Table FittedFloat32Cast::transform(const core::Table& x) const {
  check_input(x);
  return map_numeric_columns(x, class_name(), [](std::size_t, std::vector<double>& v) {
    for (double& e : v) e = static_cast<double>(static_cast<float>(e));
  });
}

std::vector<std::string> FittedFloat32Cast::feature_names_out() const {
  std::vector<std::string> names;
  for (const auto& in : feature_names_in()) names.push_back(in.name);
  return names;
}

std::unique_ptr<const FittedTransformer> FittedFloat32Cast::from_json(const nlohmann::json& j, const std::string& where) {
  return std::make_unique<FittedFloat32Cast>(inputs_from_json(j, where));
}

}  // namespace fitcheck::prep
