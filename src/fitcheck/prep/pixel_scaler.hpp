#pragma once
// PixelScaler: x / 255 for 8-bit image intensities (the Keras tutorials' `x / 255.0`). It learns
// nothing, so fitting only records the input columns.

#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

class PixelScaler : public Transformer {
 public:
  std::string_view class_name() const override { return "PixelScaler"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override { return nlohmann::json::object(); }
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);
};

class FittedPixelScaler : public FittedTransformer {
 public:
  explicit FittedPixelScaler(std::vector<InputColumn> inputs) : FittedTransformer(std::move(inputs)) {}
  std::string_view class_name() const override { return "PixelScaler"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

 private:
  nlohmann::json params_json() const override { return nlohmann::json::object(); }
  nlohmann::json state_json() const override { return nlohmann::json::object(); }
};

}  // namespace fitcheck::prep
