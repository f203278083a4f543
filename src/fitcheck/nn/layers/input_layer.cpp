#include "fitcheck/nn/layers/input_layer.hpp"

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/shape_text.hpp"

namespace fitcheck::nn {

InputLayer::InputLayer(core::Shape shape, std::string name) : batch_shape_(shape.with_batch()) {
  set_name(std::move(name));
  set_declared_input_shape(batch_shape_);
}

std::unique_ptr<Layer> InputLayer::from_config(const Json& c) {
  const std::string name = c.value("name", std::string("input_layer"));
  core::Shape batch;
  bool found = false;
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    if (c.contains(key) && !c[key].is_null()) {
      batch = config::get_shape(c[key], "InputLayer \"" + name + "\": " + key);
      found = true;
      break;
    }
  }
  if (!found && c.contains("input_shape")) {
    batch = config::get_shape(c["input_shape"], "InputLayer \"" + name + "\": input_shape").with_batch();
    found = true;
  }
  if (!found || batch.rank() < 1) {
    throw core::ConfigError({.where = "InputLayer \"" + name + "\"", .what = "no input shape",
                             .expected = "batch_shape such as [null, 10]", .got = c.dump()});
  }
  return std::make_unique<InputLayer>(batch.without_batch(), name);
}

core::Shape InputLayer::compute_output_shape(const core::Shape& input) const {
  check_sample_shape(*this, input, batch_shape_);
  return input;
}

void InputLayer::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) { y = x; }

void InputLayer::backward(const core::Tensor&, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx != nullptr) *dx = dy;
}

void InputLayer::add_config(Json& c) const {
  c.erase("trainable");
  c.erase("batch_input_shape");
  c["batch_shape"] = config::shape_to_json(batch_shape_);
  c["sparse"] = false;
  c["ragged"] = false;
}

}  // namespace fitcheck::nn
