#pragma once
// The layer contract.
//
// - compute_output_shape(input) is pure (batch axis may be None): Sequential::build and the
//   doctor's static checks use it to shape-check a model without running it. It throws
//   core::ShapeError whose `where` names this layer (index, class, name), with the expected and
//   received shapes, the axis, and a fix.
// - build(input, rng) calls it, then creates the parameters once (Keras' build()).
// - forward(x, y, ctx) assigns y. Per-batch caches needed by backward (dropout mask, BN's
//   normalised input) are kept by the layer and are valid until the next forward.
// - backward(x, y, dy, dx) takes the x and y of the last forward and dL/dy; it ASSIGNS dx (skipped
//   when dx is null: Sequential stops at the lowest layer with trainable parameters, whose input
//   gradient is not needed) and ASSIGNS the gradients of the trainable parameters (Parameter::grad).
// - get_config() returns Keras' config dict (Keras field names); layers/registry.cpp builds a
//   layer from {"class_name", "config"}.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/core/shape.hpp"
#include "fitcheck/core/tensor.hpp"

namespace fitcheck::nn {

using Json = nlohmann::json;

struct Parameter {
  std::string name;       // Keras variable name: "kernel", "bias", "gamma", "moving_mean", ...
  core::Tensor value;
  core::Tensor grad;      // same shape as value; unused for non-trainable parameters
  bool trainable = true;  // false for BN moving statistics
};

struct ForwardContext {
  bool training = false;
  core::Rng* rng = nullptr;  // Dropout's masks; required when training
};

class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string class_name() const = 0;
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable) { trainable_ = trainable; }

  // "layers[2] Dense \"dense_1\"" once the model has placed the layer; used as the error location.
  std::string where() const;
  void set_index(int index) { index_ = index; }
  int index() const { return index_; }

  virtual core::Shape compute_output_shape(const core::Shape& input) const = 0;
  core::Shape build(const core::Shape& input, core::Rng& rng);
  bool built() const { return built_; }
  const core::Shape& input_shape() const { return input_shape_; }
  const core::Shape& output_shape() const { return output_shape_; }

  virtual void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) = 0;
  virtual void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) = 0;

  std::vector<Parameter>& parameters() { return parameters_; }
  const std::vector<Parameter>& parameters() const { return parameters_; }
  Parameter* find_parameter(const std::string& name);
  std::int64_t count_params() const;
  std::int64_t count_trainable_params() const;

  // Keras config: name, trainable, dtype and the layer's own keys.
  Json get_config() const;
  // The input shape declared in the config (batch_input_shape / batch_shape / input_shape), if any.
  const std::optional<core::Shape>& declared_input_shape() const { return declared_input_shape_; }
  void set_declared_input_shape(core::Shape shape) { declared_input_shape_ = std::move(shape); }

  // The activation applied at the end of forward ("sigmoid", "softmax", ... or "linear"). When a
  // loss can work on logits for it, Sequential asks the layer to treat the next dy as dL/dz of the
  // pre-activation (pre_activation() must then be non-null), as Keras does for sigmoid+BCE.
  virtual std::string output_activation() const { return "linear"; }
  virtual const core::Tensor* pre_activation() const { return nullptr; }
  void set_gradient_is_pre_activation(bool v) { gradient_is_pre_activation_ = v; }

 protected:
  // Creates parameters; called once by build() with a shape compute_output_shape accepted.
  virtual void create_parameters(const core::Shape& /*input*/, core::Rng& /*rng*/) {}
  virtual void add_config(Json& /*config*/) const {}
  Parameter& add_parameter(const std::string& name, core::Shape shape, const Json& initializer, core::Rng& rng,
                           bool trainable = true);
  // Applies the base keys (name, trainable, input shapes) of a Keras config to this layer.
  void apply_base_config(const Json& config);
  [[noreturn]] void throw_shape_error(const core::Shape& input, const std::string& expected, const std::string& axis,
                                      const std::string& hint) const;

  bool gradient_is_pre_activation_ = false;

 private:
  std::string name_;
  bool trainable_ = true;
  int index_ = -1;
  bool built_ = false;
  core::Shape input_shape_;
  core::Shape output_shape_;
  std::optional<core::Shape> declared_input_shape_;
  std::vector<Parameter> parameters_;
};

// Config value helpers: typed reads that throw ConfigError naming the layer and key.
namespace config {
std::int64_t get_int(const Json& c, const char* key, const std::string& where, std::int64_t fallback);
double get_double(const Json& c, const char* key, const std::string& where, double fallback);
bool get_bool(const Json& c, const char* key, const std::string& where, bool fallback);
core::Shape get_shape(const Json& value, const std::string& where);  // [null, 10] → (None, 10)
Json shape_to_json(const core::Shape& shape);
}  // namespace config

}  // namespace fitcheck::nn
