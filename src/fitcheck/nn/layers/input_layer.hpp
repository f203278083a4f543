#pragma once
// InputLayer: declares the model's input shape (Keras' Input / batch_shape); identity in forward.

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class InputLayer final : public Layer {
 public:
  // `shape` is per sample, without the batch axis: InputLayer(core::Shape{30}).
  explicit InputLayer(core::Shape shape, std::string name = "input_layer");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "InputLayer"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  const core::Shape& batch_shape() const { return batch_shape_; }

 protected:
  void add_config(Json& config) const override;

 private:
  core::Shape batch_shape_;  // (None, ...)
};

}  // namespace fitcheck::nn
