#pragma once
// BatchNormalization over the last axis (Keras axis=-1). Training mode (training=true and the
// layer trainable) normalises with the batch's biased moments and updates the moving statistics
// with Keras' momentum; inference (or a frozen layer) uses the moving statistics.
// Variables in Keras order: gamma, beta (trainable), moving_mean, moving_variance.

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct BatchNormalizationOptions {
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  Json beta_initializer = "zeros";
  Json gamma_initializer = "ones";
  Json moving_mean_initializer = "zeros";
  Json moving_variance_initializer = "ones";
  // -1, or the last axis' index as tf.keras 2 writes it ([1] after a Dense); another axis is
  // refused when the layer is built.
  int axis = -1;
  std::string name;
};

class BatchNormalization final : public Layer {
 public:
  explicit BatchNormalization(BatchNormalizationOptions options = {});
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "BatchNormalization"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  const float* gamma() const;
  float* moving(const char* name);

  BatchNormalizationOptions options_;
  bool used_batch_stats_ = false;
  core::Tensor x_hat_;    // normalised input of the last forward
  core::Tensor inv_std_;  // per channel 1/sqrt(var + eps) of the last forward
};

}  // namespace fitcheck::nn
