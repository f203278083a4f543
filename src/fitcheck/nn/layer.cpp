#include "fitcheck/nn/layer.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/initializer.hpp"

namespace fitcheck::nn {

std::string Layer::where() const {
  if (index_ >= 0) return fmt::format("layers[{}] {} \"{}\"", index_, class_name(), name_);
  return fmt::format("{} \"{}\"", class_name(), name_);
}

core::Shape Layer::build(const core::Shape& input, core::Rng& rng) {
  core::Shape out = compute_output_shape(input);
  if (!built_) {
    create_parameters(input, rng);
    built_ = true;
  }
  input_shape_ = input;
  output_shape_ = out;
  return out;
}

Parameter* Layer::find_parameter(const std::string& name) {
  for (auto& p : parameters_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::int64_t Layer::count_params() const {
  std::int64_t n = 0;
  for (const auto& p : parameters_) n += p.value.size();
  return n;
}

std::int64_t Layer::count_trainable_params() const {
  if (!trainable_) return 0;
  std::int64_t n = 0;
  for (const auto& p : parameters_) n += p.trainable ? p.value.size() : 0;
  return n;
}

Json Layer::get_config() const {
  Json c = Json::object();
  c["name"] = name_;
  c["trainable"] = trainable_;
  if (declared_input_shape_) c["batch_input_shape"] = config::shape_to_json(*declared_input_shape_);
  c["dtype"] = "float32";
  add_config(c);
  return c;
}

Parameter& Layer::add_parameter(const std::string& name, core::Shape shape, const Json& initializer,
                                core::Rng& rng, bool trainable) {
  Parameter p;
  p.name = name;
  p.value = core::Tensor(shape);
  initialize(initializer, p.value, rng, where() + ": " + name + " initializer");
  if (trainable) p.grad = core::Tensor(shape);
  p.trainable = trainable;
  parameters_.push_back(std::move(p));
  return parameters_.back();
}

void Layer::apply_base_config(const Json& c) {
  if (c.contains("name") && c["name"].is_string()) name_ = c["name"].get<std::string>();
  trainable_ = config::get_bool(c, "trainable", where(), true);
  for (const char* key : {"batch_input_shape", "batch_shape"}) {
    if (c.contains(key) && !c[key].is_null()) declared_input_shape_ = config::get_shape(c[key], where() + ": " + key);
  }
  if (!declared_input_shape_ && c.contains("input_shape") && !c["input_shape"].is_null()) {
    declared_input_shape_ = config::get_shape(c["input_shape"], where() + ": input_shape").with_batch();
  }
}

void Layer::throw_shape_error(const core::Shape& input, const std::string& expected, const std::string& axis,
                              const std::string& hint) const {
  std::string what = "cannot take its input";
  if (!axis.empty()) what += " (" + axis + ")";
  throw core::ShapeError({.where = where(), .what = what, .expected = expected, .got = input.str(), .hint = hint});
}

namespace config {

std::int64_t get_int(const Json& c, const char* key, const std::string& where, std::int64_t fallback) {
  if (!c.contains(key) || c[key].is_null()) return fallback;
  const Json& v = c[key];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<std::int64_t>(v.get<double>()))) {
    return static_cast<std::int64_t>(v.get<double>());
  }
  throw core::ConfigError({.where = where + ": " + key, .what = "not an integer", .expected = "an integer",
                           .got = v.dump()});
}

double get_double(const Json& c, const char* key, const std::string& where, double fallback) {
  if (!c.contains(key) || c[key].is_null()) return fallback;
  if (!c[key].is_number()) {
    throw core::ConfigError({.where = where + ": " + key, .what = "not a number", .expected = "a number",
                             .got = c[key].dump()});
  }
  return c[key].get<double>();
}

bool get_bool(const Json& c, const char* key, const std::string& where, bool fallback) {
  if (!c.contains(key) || c[key].is_null()) return fallback;
  if (!c[key].is_boolean()) {
    throw core::ConfigError({.where = where + ": " + key, .what = "not a boolean", .expected = "true or false",
                             .got = c[key].dump()});
  }
  return c[key].get<bool>();
}

core::Shape get_shape(const Json& v, const std::string& where) {
  if (!v.is_array()) {
    throw core::ConfigError({.where = where, .what = "not a shape", .expected = "a list such as [null, 10]",
                             .got = v.dump()});
  }
  std::vector<std::int64_t> dims;
  for (const auto& d : v) {
    if (d.is_null()) {
      dims.push_back(core::kUnknownDim);
    } else if (d.is_number_integer() && d.get<std::int64_t>() >= 0) {
      dims.push_back(d.get<std::int64_t>());
    } else {
      throw core::ConfigError({.where = where, .what = "not a shape", .expected = "non-negative integers or null",
                               .got = v.dump()});
    }
  }
  return core::Shape(std::move(dims));
}

Json shape_to_json(const core::Shape& shape) {
  Json a = Json::array();
  for (auto d : shape.dims()) {
    if (d < 0) {
      a.push_back(nullptr);
    } else {
      a.push_back(d);
    }
  }
  return a;
}

}  // namespace config
}  // namespace fitcheck::nn
