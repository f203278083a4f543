#pragma once
// Conv1D and Conv2D, channels_last: y = activation(conv(x, kernel) + bias). Keras' layouts —
// kernel (kh, kw, in, filters) / (k, in, filters), bias (filters) — so Keras weights load as they
// are. Computed as im2col + GEMM over the whole mini-batch (in chunks that bound the column
// buffer); backward is two GEMMs and col2im.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct ConvOptions {
  std::int64_t filters = 0;
  std::vector<std::int64_t> kernel_size;    // one value per spatial axis (or one for all)
  std::vector<std::int64_t> strides;        // empty: 1
  std::string padding = "valid";            // "valid", "same" ("causal" for Conv1D)
  std::vector<std::int64_t> dilation_rate;  // empty: 1
  std::string activation = "linear";
  bool use_bias = true;
  Json kernel_initializer = "glorot_uniform";
  Json bias_initializer = "zeros";
  std::string name;
};

class Conv : public Layer {
 public:
  std::string class_name() const override { return class_name_; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return activation_->name(); }
  const core::Tensor* pre_activation() const override { return &z_; }
  const ConvOptions& options() const { return options_; }

 protected:
  // class_name is stored here (not a virtual of the subclass) so the constructor's errors can name it.
  Conv(int spatial_rank, ConvOptions options, std::string class_name, const char* default_name);
  // The shared part of Conv1D/Conv2D::from_config.
  static ConvOptions options_from_config(const Json& config, int spatial_rank, const std::string& where);
  void apply_config(const Json& config, const std::string& where);
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  // Samples per im2col chunk, so that the column buffer stays within a fixed budget.
  std::int64_t chunk_samples(const kernels::WindowGeometry& g, std::int64_t samples) const;
  bool is_pointwise(const kernels::WindowGeometry& g) const;

  int rank_;
  std::string class_name_;
  ConvOptions options_;
  std::unique_ptr<ActivationFunction> activation_;
  core::Tensor z_;    // pre-activation (kept only when the activation is not linear)
  core::Tensor dz_;   // workspace
  core::Tensor col_;  // im2col of the last forward when the batch fitted in one chunk
  core::Tensor dcol_;
  bool col_holds_batch_ = false;
};

class Conv2D final : public Conv {
 public:
  explicit Conv2D(ConvOptions options) : Conv(2, std::move(options), "Conv2D", "conv2d") {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};

class Conv1D final : public Conv {
 public:
  explicit Conv1D(ConvOptions options) : Conv(1, std::move(options), "Conv1D", "conv1d") {}
  static std::unique_ptr<Layer> from_config(const Json& config);
};

}  // namespace fitcheck::nn
