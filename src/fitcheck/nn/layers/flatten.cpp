#include "fitcheck/nn/layers/flatten.hpp"

namespace fitcheck::nn {

Flatten::Flatten(std::string name) { set_name(std::move(name)); }

std::unique_ptr<Layer> Flatten::from_config(const Json& c) {
  auto layer = std::make_unique<Flatten>(c.value("name", std::string("flatten")));
  layer->apply_base_config(c);
  return layer;
}

core::Shape Flatten::compute_output_shape(const core::Shape& input) const {
  if (input.rank() < 1) throw_shape_error(input, "a tensor with a batch axis", "rank 0", "Add a batch axis.");
  std::int64_t n = 1;
  for (int i = 1; i < input.rank(); ++i) {
    if (input[i] < 0) return core::Shape{input[0], core::kUnknownDim};
    n *= input[i];
  }
  return core::Shape{input[0], n};
}

void Flatten::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  y = x;
  y.reshape(core::Shape{x.dim(0), x.dim(0) == 0 ? 0 : x.size() / x.dim(0)});
}

void Flatten::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  *dx = dy;
  dx->reshape(x.shape());
}

}  // namespace fitcheck::nn
