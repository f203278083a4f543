#include "fitcheck/nn/layers/activation.hpp"

#include "fitcheck/nn/detail/eigen_map.hpp"

namespace fitcheck::nn {

Activation::Activation(const std::string& activation, std::string name) {
  set_name(std::move(name));
  fn_ = make_activation(activation, where() + ": activation");
}

std::unique_ptr<Layer> Activation::from_config(const Json& c) {
  const std::string name = c.value("name", std::string("activation"));
  auto layer = std::make_unique<Activation>("linear", name);
  layer->fn_ = make_activation(c.contains("activation") ? c["activation"] : Json(), layer->where() + ": activation");
  layer->apply_base_config(c);
  return layer;
}

core::Shape Activation::compute_output_shape(const core::Shape& input) const {
  if (input.rank() < 1) throw_shape_error(input, "a tensor with a batch axis", "rank 0", "Add a batch axis.");
  return input;
}

void Activation::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  y.resize(x.shape());
  last_input_ = &x;
  fn_->forward(x.data(), y.data(), detail::leading_rows(x), detail::last_axis(x));
}

void Activation::backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  if (gradient_is_pre_activation_) {
    *dx = dy;
    return;
  }
  dx->resize(x.shape());
  fn_->backward(x.data(), y.data(), dy.data(), dx->data(), detail::leading_rows(x), detail::last_axis(x));
}

void Activation::add_config(Json& c) const { c["activation"] = fn_->to_json(); }

}  // namespace fitcheck::nn
