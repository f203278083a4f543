#include "fitcheck/prep/registry.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/prep/float32_cast.hpp"
#include "fitcheck/prep/json_values.hpp"
#include "fitcheck/prep/max_abs_scaler.hpp"
#include "fitcheck/prep/min_max_scaler.hpp"
#include "fitcheck/prep/one_hot_encoder.hpp"
#include "fitcheck/prep/ordinal_encoder.hpp"
#include "fitcheck/prep/pixel_scaler.hpp"
#include "fitcheck/prep/robust_scaler.hpp"
#include "fitcheck/prep/simple_imputer.hpp"
#include "fitcheck/prep/standard_scaler.hpp"

namespace fitcheck::prep {

const std::vector<TransformerEntry>& transformer_registry() {
  static const std::vector<TransformerEntry> entries = {
      {"scale", "standard", "method", "StandardScaler", &StandardScaler::from_options, &FittedStandardScaler::from_json},
      {"scale", "minmax", "method", "MinMaxScaler", &MinMaxScaler::from_options, &FittedMinMaxScaler::from_json},
      {"scale", "robust", "method", "RobustScaler", &RobustScaler::from_options, &FittedRobustScaler::from_json},
      {"scale", "maxabs", "method", "MaxAbsScaler", &MaxAbsScaler::from_options, &FittedMaxAbsScaler::from_json},
      {"impute", "mean", "strategy", "SimpleImputer", &SimpleImputer::from_options, &FittedSimpleImputer::from_json},
      {"impute", "median", "strategy", "SimpleImputer", &SimpleImputer::from_options, &FittedSimpleImputer::from_json},
      {"impute", "most_frequent", "strategy", "SimpleImputer", &SimpleImputer::from_options, &FittedSimpleImputer::from_json},
      {"impute", "constant", "strategy", "SimpleImputer", &SimpleImputer::from_options, &FittedSimpleImputer::from_json},
      {"onehot", "", "", "OneHotEncoder", &OneHotEncoder::from_options, &FittedOneHotEncoder::from_json},
      {"ordinal", "", "", "OrdinalEncoder", &OrdinalEncoder::from_options, &FittedOrdinalEncoder::from_json},
      {"pixels", "", "", "PixelScaler", &PixelScaler::from_options, &FittedPixelScaler::from_json},
      {"cast", "float32", "dtype", "Float32Cast", &Float32Cast::from_options, &FittedFloat32Cast::from_json},
  };
  return entries;
}

namespace {

std::vector<std::string> names_of(const std::vector<const TransformerEntry*>& entries, bool variants) {
  std::vector<std::string> out;
  for (const auto* e : entries) {
    std::string name(variants ? e->variant : e->step);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

}  // namespace

std::unique_ptr<Transformer> make_transformer(const nlohmann::json& step, const std::string& where) {
  std::vector<const TransformerEntry*> all;
  for (const auto& e : transformer_registry()) all.push_back(&e);
  if (!step.is_object() || step.size() != 1) {
    throw core::ConfigError({.where = where, .what = "a step must be an object with one key",
                             .expected = fmt::format("{{\"<step>\": options}} with <step> one of {}",
                                                     fmt::join(names_of(all, false), ", ")),
                             .got = step.dump()});
  }
  const std::string name = step.begin().key();
  const nlohmann::json& value = step.begin().value();
  const std::string path = where + "/" + name;
  std::vector<const TransformerEntry*> candidates;
  for (const auto* e : all) {
    if (e->step == name) candidates.push_back(e);
  }
  if (candidates.empty()) {
    const auto near = core::nearest_name(name, names_of(all, false));
    throw core::ConfigError({.where = path, .what = fmt::format("unknown step \"{}\"", name),
                             .expected = fmt::format("one of {}", fmt::join(names_of(all, false), ", ")),
                             .got = name, .hint = near ? fmt::format("Did you mean \"{}\"?", *near) : std::string()});
  }
  std::string variant;
  nlohmann::json options = nlohmann::json::object();
  if (value.is_string()) {
    variant = value.get<std::string>();
  } else if (value.is_object()) {
    options = value;
    const auto key = std::string(candidates.front()->variant_key);
    if (!key.empty() && value.contains(key) && value[key].is_string()) variant = value[key].get<std::string>();
  } else if (!value.is_null()) {
    throw core::ConfigError({.where = path, .what = "step options must be a string or an object", .got = value.dump()});
  }
  const TransformerEntry* chosen = nullptr;
  for (const auto* e : candidates) {
    if (e->variant == variant || (variant.empty() && e == candidates.front())) chosen = e;
  }
  if (!chosen) {
    const auto near = core::nearest_name(variant, names_of(candidates, true));
    throw core::ConfigError({.where = path, .what = fmt::format("unknown {} \"{}\"", name, variant),
                             .expected = fmt::format("one of {}", fmt::join(names_of(candidates, true), ", ")),
                             .got = variant, .hint = near ? fmt::format("Did you mean \"{}\"?", *near) : std::string()});
  }
  // The string form carries the variant; pass it on as the option the transformer reads.
  if (value.is_string() && !chosen->variant_key.empty()) options[std::string(chosen->variant_key)] = variant;
  return chosen->make(options, path);
}

std::unique_ptr<const FittedTransformer> load_fitted_transformer(const nlohmann::json& fitted,
                                                                 const std::string& where) {
  const auto name = string_member(fitted, "class_name", where);
  for (const auto& e : transformer_registry()) {
    if (e.class_name == name) return e.load(fitted, where);
  }
  throw core::InputError({.where = where + "/class_name", .what = fmt::format("unknown transformer \"{}\"", name),
                          .hint = "The pipeline was written by a newer fitcheck, or edited."});
}

}  // namespace fitcheck::prep
