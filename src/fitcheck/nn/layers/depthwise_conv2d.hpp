#pragma once
// DepthwiseConv2D, channels_last: each input channel c is convolved with its own depth_multiplier
// kernels; output channel c·depth_multiplier + m (TF's order). Keras 3 weights: kernel (kh, kw, in,
// depth_multiplier) — tf.keras 2 named it depthwise_kernel — and bias (in·depth_multiplier).
// im2col, then a per-channel product (no GEMM: every channel has its own small kernel); backward
// is the same product transposed and col2im.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct DepthwiseConvOptions {
  std::vector<std::int64_t> kernel_size;    // one value or (kh, kw)
  std::vector<std::int64_t> strides;        // empty: 1
  std::string padding = "valid";            // "valid" or "same"
  std::int64_t depth_multiplier = 1;
  std::vector<std::int64_t> dilation_rate;  // empty: 1
  std::string activation = "linear";
  bool use_bias = true;
  Json depthwise_initializer = "glorot_uniform";
  Json bias_initializer = "zeros";
  std::string name;
};

namespace depthwise {
// z (rows, c·m) = per channel Σ_t col (rows, t·c) · kernel (t, c, m); assigns z.
void forward(std::int64_t rows, std::int64_t taps, std::int64_t c, std::int64_t m, const float* col,
             const float* kernel, float* z);
// dkernel (t, c, m) += colᵀ·dz per channel; dcol (rows, t·c) = dz · kernelᵀ per channel (when not null).
void backward(std::int64_t rows, std::int64_t taps, std::int64_t c, std::int64_t m, const float* col,
              const float* kernel, const float* dz, float* dkernel, float* dcol);
}  // namespace depthwise

class DepthwiseConv2D final : public Layer {
 public:
  explicit DepthwiseConv2D(DepthwiseConvOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);
  std::string class_name() const override { return "DepthwiseConv2D"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return activation_->name(); }
  const core::Tensor* pre_activation() const override { return &z_; }
  const DepthwiseConvOptions& options() const { return options_; }

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  kernels::WindowGeometry geometry(const core::Shape& input) const;

  DepthwiseConvOptions options_;
  std::unique_ptr<ActivationFunction> activation_;
  core::Tensor z_, dz_, col_, dcol_;
};

}  // namespace fitcheck::nn
