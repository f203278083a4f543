#pragma once
// Conv2DTranspose, channels_last: the adjoint of a Conv2D, which maps its output (filters
// channels) back to its input. Keras layout kernel (kh, kw, filters, in) — the last two axes are
// swapped relative to Conv2D's, so that it is the kernel of that Conv2D — and bias (filters).
// Forward is a conv's backward-data pass: one GEMM (x · kernelᵀ) and col2im; backward is im2col of
// dy and two GEMMs. Output sizes follow Keras' conv-transpose output length, output_padding included.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct ConvTransposeOptions {
  std::int64_t filters = 0;
  std::vector<std::int64_t> kernel_size;
  std::vector<std::int64_t> strides;         // empty: 1
  std::string padding = "valid";             // "valid" or "same"
  std::vector<std::int64_t> output_padding;  // empty: None (Keras' default); each < its stride
  std::vector<std::int64_t> dilation_rate;   // empty: 1
  std::string activation = "linear";
  bool use_bias = true;
  Json kernel_initializer = "glorot_uniform";
  Json bias_initializer = "zeros";
  std::string name;
};

// One axis of a transposed convolution: its output length and, seen as the Conv2D it inverts
// (whose input is this layer's output), that conv's padding before the data. Keras' rule, with
// k the dilated kernel span (k − 1)·dilation + 1: without output_padding, valid gives
// in·s + max(k − s, 0) and same gives in·s; with it, (in − 1)·s + k − 2·(k / 2 if same else 0) +
// output_padding.
kernels::WindowAxis conv_transpose_axis(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                        std::int64_t dilation, const std::string& padding,
                                        std::int64_t output_padding /* -1: None */);

class Conv2DTranspose final : public Layer {
 public:
  explicit Conv2DTranspose(ConvTransposeOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);
  std::string class_name() const override { return "Conv2DTranspose"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return activation_->name(); }
  const core::Tensor* pre_activation() const override { return &z_; }
  const ConvTransposeOptions& options() const { return options_; }

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  // The geometry of the inverted Conv2D for an input (N, H, W, C) with H and W known.
  kernels::WindowGeometry geometry(const core::Shape& input) const;
  std::int64_t output_padding(int axis) const { return options_.output_padding.empty() ? -1 : options_.output_padding[axis]; }

  ConvTransposeOptions options_;
  std::unique_ptr<ActivationFunction> activation_;
  core::Tensor z_, dz_, col_;
};

}  // namespace fitcheck::nn
