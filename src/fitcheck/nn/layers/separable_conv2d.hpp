#pragma once
// SeparableConv2D, channels_last: a depthwise convolution (as DepthwiseConv2D, without bias)
// followed by a 1×1 convolution to `filters` channels, then bias and activation — Keras' order,
// with no bias between the two steps. Keras 3 layouts: depthwise_kernel (kh, kw, in,
// depth_multiplier), pointwise_kernel (1, 1, in·depth_multiplier, filters), bias (filters).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct SeparableConvOptions {
  std::int64_t filters = 0;
  std::vector<std::int64_t> kernel_size;
  std::vector<std::int64_t> strides;        // empty: 1
  std::string padding = "valid";            // "valid" or "same"
  std::int64_t depth_multiplier = 1;
  std::vector<std::int64_t> dilation_rate;  // empty: 1
  std::string activation = "linear";
  bool use_bias = true;
  Json depthwise_initializer = "glorot_uniform";
  Json pointwise_initializer = "glorot_uniform";
  Json bias_initializer = "zeros";
  std::string name;
};

class SeparableConv2D final : public Layer {
 public:
  explicit SeparableConv2D(SeparableConvOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);
  std::string class_name() const override { return "SeparableConv2D"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return activation_->name(); }
  const core::Tensor* pre_activation() const override { return &z_; }
  const SeparableConvOptions& options() const { return options_; }

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  kernels::WindowGeometry geometry(const core::Shape& input) const;

  SeparableConvOptions options_;
  std::unique_ptr<ActivationFunction> activation_;
  core::Tensor z_, dz_;
  core::Tensor mid_, dmid_;  // the depthwise output (n·pixels, in·depth_multiplier) and its gradient
  core::Tensor col_, dcol_;
};

}  // namespace fitcheck::nn
