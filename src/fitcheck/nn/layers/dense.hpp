#pragma once
// Dense: y = activation(x·W + b) on the last axis (leading axes are batch-like, as in Keras).
// kernel (in, units), bias (units) — Keras' layout.

#include <memory>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct DenseOptions {
  std::int64_t units = 0;
  std::string activation = "linear";
  bool use_bias = true;
  Json kernel_initializer = "glorot_uniform";
  Json bias_initializer = "zeros";
  std::string name;
};

class Dense final : public Layer {
 public:
  explicit Dense(DenseOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Dense"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return activation_->name(); }
  const core::Tensor* pre_activation() const override { return &z_; }

  std::int64_t units() const { return options_.units; }

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  DenseOptions options_;
  std::unique_ptr<ActivationFunction> activation_;
  core::Tensor z_;   // pre-activation (kept only when the activation is not linear)
  core::Tensor dz_;  // workspace
};

}  // namespace fitcheck::nn
