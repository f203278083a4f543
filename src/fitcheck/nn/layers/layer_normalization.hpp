#pragma once
// LayerNormalization over the last axis: per sample y = γ(x − μ)/sqrt(σ² + ε) + β, the same in
// training and inference. Variables: gamma, beta.

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct LayerNormalizationOptions {
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  Json beta_initializer = "zeros";
  Json gamma_initializer = "ones";
  // -1, or the last axis' index as tf.keras 2 writes it ([1] after a Dense); another axis is
  // refused when the layer is built.
  int axis = -1;
  std::string name;
};

class LayerNormalization final : public Layer {
 public:
  explicit LayerNormalization(LayerNormalizationOptions options = {});
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "LayerNormalization"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  LayerNormalizationOptions options_;
  core::Tensor x_hat_;
  core::Tensor inv_std_;  // per row
};

}  // namespace fitcheck::nn
