#pragma once
// Float32Cast: rounds numeric columns to float32 values (numpy's `.astype("float32")`), so that
// later steps see exactly what a float32 model input holds. Learns nothing.

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

class Float32Cast : public Transformer {
 public:
  std::string_view class_name() const override { return "Float32Cast"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override { return {{"dtype", "float32"}}; }
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);
};

class FittedFloat32Cast : public FittedTransformer {
 public:
  explicit FittedFloat32Cast(std::vector<InputColumn> inputs) : FittedTransformer(std::move(inputs)) {}
  std::string_view class_name() const override { return "Float32Cast"; }
  core::Table transform(const core::Table& x) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

 private:
  nlohmann::json params_json() const override { return {{"dtype", "float32"}}; }
  nlohmann::json state_json() const override { return nlohmann::json::object(); }
};

}  // namespace fitcheck::prep
