#pragma once
// OrdinalEncoder (scikit-learn 1.2): each category becomes its position among the sorted
// categories; missing cells become encoded_missing_value (NaN by default); unknown values are an
// error or, with handle_unknown "use_encoded_value", unknown_value.

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/prep/categories.hpp"
#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

struct OrdinalEncoderOptions {
  bool use_encoded_value = false;  // handle_unknown: false = "error"
  double unknown_value = 0.0;      // used when use_encoded_value (may be NaN)
  double encoded_missing_value = std::numeric_limits<double>::quiet_NaN();
};

class OrdinalEncoder : public Transformer {
 public:
  explicit OrdinalEncoder(OrdinalEncoderOptions options = {}) : options_(options) {}
  std::string_view class_name() const override { return "OrdinalEncoder"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override;
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);

 private:
  OrdinalEncoderOptions options_;
};

class FittedOrdinalEncoder : public FittedTransformer {
 public:
  FittedOrdinalEncoder(std::vector<InputColumn> inputs, OrdinalEncoderOptions options,
                       std::vector<Categories> categories);
  std::string_view class_name() const override { return "OrdinalEncoder"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<Categories>& categories() const { return categories_; }

 private:
  nlohmann::json params_json() const override;
  nlohmann::json state_json() const override;

  OrdinalEncoderOptions options_;
  std::vector<Categories> categories_;
};

}  // namespace fitcheck::prep
