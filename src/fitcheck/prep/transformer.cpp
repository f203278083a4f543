#include "fitcheck/prep/transformer.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/json_values.hpp"

namespace fitcheck::prep {

core::Table FittedTransformer::inverse_transform(const core::Table&) const {
  throw core::ConfigError({.where = std::string(class_name()), .what = "has no inverse_transform",
                           .hint = "Only scalers and encoders can map their output back."});
}

void FittedTransformer::transform_into(const core::Table& x, float* out, std::int64_t stride,
                                       std::int64_t offset) const {
  const core::Table y = transform(x);
  for (int j = 0; j < y.num_columns(); ++j) {
    const auto& c = y.column(j);
    for (std::int64_t i = 0; i < y.num_rows(); ++i) out[i * stride + offset + j] = static_cast<float>(c.as_double(i));
  }
}

void FittedTransformer::check_input(const core::Table& x, bool check_types) const {
  std::vector<std::string> problems;
  std::vector<std::string> got = x.column_names();
  for (const auto& in : inputs_) {
    if (!x.find(in.name)) problems.push_back(fmt::format("missing column \"{}\"", in.name));
  }
  for (const auto& name : got) {
    bool known = false;
    for (const auto& in : inputs_) known = known || in.name == name;
    if (!known) problems.push_back(fmt::format("extra column \"{}\"", name));
  }
  if (problems.empty()) {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      const auto& c = x.column(static_cast<int>(i));
      if (c.name != inputs_[i].name) {
        problems.push_back(fmt::format("column {} is \"{}\" but was \"{}\" in the fit", i, c.name, inputs_[i].name));
      } else if (check_types && c.is_numeric() != inputs_[i].numeric) {
        problems.push_back(fmt::format("column \"{}\" is {} but was {} in the fit", c.name,
                                       c.is_numeric() ? "numeric" : "categorical",
                                       inputs_[i].numeric ? "numeric" : "categorical"));
      }
    }
  }
  if (!problems.empty()) {
    throw core::InputError({.where = x.source().empty() ? std::string(class_name()) : x.source(),
                            .what = fmt::format("the columns differ from those {} was fitted on: {}", class_name(),
                                                fmt::join(problems, "; ")),
                            .hint = "Pass the same columns, in the same order and with the same types, as in the fit."});
  }
}

nlohmann::json FittedTransformer::to_json() const {
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& in : inputs_) inputs.push_back({{"name", in.name}, {"numeric", in.numeric}});
  return {{"class_name", class_name()}, {"inputs", inputs}, {"params", params_json()}, {"state", state_json()}};
}

std::vector<InputColumn> describe_inputs(const core::Table& x) {
  std::vector<InputColumn> out;
  for (const auto& c : x.columns()) out.push_back({c.name, c.is_numeric()});
  return out;
}

std::vector<InputColumn> inputs_from_json(const nlohmann::json& fitted, const std::string& where) {
  const auto& inputs = member(fitted, "inputs", where);
  if (!inputs.is_array()) {
    throw core::InputError({.where = where + "/inputs", .what = "not a list", .got = inputs.dump()});
  }
  std::vector<InputColumn> out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto w = fmt::format("{}/inputs/{}", where, i);
    const auto& numeric = member(inputs[i], "numeric", w);
    out.push_back({string_member(inputs[i], "name", w), numeric.is_boolean() && numeric.get<bool>()});
  }
  return out;
}

}  // namespace fitcheck::prep
