#pragma once
// OneHotEncoder with scikit-learn 1.2's semantics: sorted categories (missing is a category,
// last), handle_unknown error / ignore / infrequent_if_exist, min_frequency and max_categories
// (collapsed into one `<col>_infrequent_sklearn` column, always last), drop first / if_binary.
// Output columns are 0/1 Float64 named `<col>_<category>`.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/prep/categories.hpp"
#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

enum class HandleUnknown { Error, Ignore, InfrequentIfExist };
enum class OneHotDrop { None, First, IfBinary };

struct OneHotEncoderOptions {
  HandleUnknown handle_unknown = HandleUnknown::Error;
  OneHotDrop drop = OneHotDrop::None;
  // A count (integral) or a fraction of the rows (in (0, 1)); categories seen less often are infrequent.
  std::optional<double> min_frequency;
  bool min_frequency_is_fraction = false;
  std::optional<std::int64_t> max_categories;  // the cap counts the infrequent column
};

class OneHotEncoder : public Transformer {
 public:
  explicit OneHotEncoder(OneHotEncoderOptions options = {}) : options_(options) {}
  std::string_view class_name() const override { return "OneHotEncoder"; }
  std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const override;
  nlohmann::json get_params() const override;
  static std::unique_ptr<Transformer> from_options(const nlohmann::json& options, const std::string& where);

 private:
  OneHotEncoderOptions options_;
};

class FittedOneHotEncoder : public FittedTransformer {
 public:
  // Per input column: its categories, the output column of each category (-1: dropped, all
  // zeros), whether it has the infrequent column, and the number of output columns.
  struct Feature {
    Categories categories;
    std::vector<std::int32_t> output_of;  // per category
    std::vector<std::uint8_t> infrequent; // per category
    std::int32_t infrequent_output = -1;  // output column of the infrequent group, -1 if none
    std::int32_t width = 0;
  };

  FittedOneHotEncoder(std::vector<InputColumn> inputs, OneHotEncoderOptions options, std::vector<Feature> features);
  std::string_view class_name() const override { return "OneHotEncoder"; }
  core::Table transform(const core::Table& x) const override;
  core::Table inverse_transform(const core::Table& y) const override;
  std::vector<std::string> feature_names_out() const override;
  void transform_into(const core::Table& x, float* out, std::int64_t stride, std::int64_t offset) const override;
  static std::unique_ptr<const FittedTransformer> from_json(const nlohmann::json& j, const std::string& where);

  const std::vector<Feature>& features() const { return features_; }

 private:
  // Calls set(row, output column within the feature block) for every 1 of feature j.
  void encode_feature(const core::Table& x, std::size_t j,
                      const std::function<void(std::size_t, std::int32_t)>& set) const;

 public:

 private:
  nlohmann::json params_json() const override;
  nlohmann::json state_json() const override;

  OneHotEncoderOptions options_;
  std::vector<Feature> features_;
};

}  // namespace fitcheck::prep
