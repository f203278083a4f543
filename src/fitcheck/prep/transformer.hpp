#pragma once
// The transformer contract, in scikit-learn's shape but split in two types so that the leaky
// order cannot be written: a `Transformer` holds only options and `fit` returns a separate,
// immutable `FittedTransformer`, whose `transform` is const and never learns anything.
//
// Data flows between steps as a core::Table (named, typed columns), so that imputers can pass
// strings on to encoders and feature names follow every step. Missing values are cells with
// valid == 0; numeric outputs also hold NaN there.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/table.hpp"

namespace fitcheck::prep {

// What a fitted step remembers about each input column, to reject data that differs from the fit.
struct InputColumn {
  std::string name;
  bool numeric = true;  // false: categorical (strings)
};

class FittedTransformer {
 public:
  virtual ~FittedTransformer() = default;

  // scikit-learn's class name: "StandardScaler".
  virtual std::string_view class_name() const = 0;
  // Applies the fitted state. Throws InputError when `x`'s columns differ from the fit
  // (missing, extra, re-ordered, numeric vs categorical) and lists the differences.
  virtual core::Table transform(const core::Table& x) const = 0;
  // Maps transformed data back (scalers, encoders); throws ConfigError where it means nothing.
  virtual core::Table inverse_transform(const core::Table& y) const;
  virtual std::vector<std::string> feature_names_out() const = 0;
  // transform(x) written as float32 into out[i * stride + offset + j] (the cells must be zero
  // on entry). The default converts transform()'s table; encoders override it so that a wide
  // one-hot block is never materialised as double columns.
  virtual void transform_into(const core::Table& x, float* out, std::int64_t stride, std::int64_t offset) const;

  const std::vector<InputColumn>& feature_names_in() const { return inputs_; }
  // {"class_name", "inputs", "params", "state"}; doubles round-trip exactly (json_number.hpp).
  nlohmann::json to_json() const;

 protected:
  explicit FittedTransformer(std::vector<InputColumn> inputs) : inputs_(std::move(inputs)) {}
  FittedTransformer(const FittedTransformer&) = default;
  FittedTransformer& operator=(const FittedTransformer&) = delete;

  // Throws InputError listing every difference between `x`'s columns and the fitted inputs.
  // `check_types` is off for inverse_transform, whose input holds codes, not the original types.
  void check_input(const core::Table& x, bool check_types = true) const;
  virtual nlohmann::json params_json() const = 0;
  virtual nlohmann::json state_json() const = 0;

 private:
  std::vector<InputColumn> inputs_;
};

class Transformer {
 public:
  virtual ~Transformer() = default;
  virtual std::string_view class_name() const = 0;
  // Learns from `x` only; the result cannot be refitted.
  virtual std::unique_ptr<const FittedTransformer> fit(const core::Table& x) const = 0;
  // The options as the run file writes them.
  virtual nlohmann::json get_params() const = 0;
};

// The inputs of `x` as a fitted step records them.
std::vector<InputColumn> describe_inputs(const core::Table& x);
// Reads "inputs" written by to_json(); `where` names the JSON location for messages.
std::vector<InputColumn> inputs_from_json(const nlohmann::json& fitted, const std::string& where);

}  // namespace fitcheck::prep
