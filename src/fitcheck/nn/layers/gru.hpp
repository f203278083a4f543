#pragma once
// GRU (Keras 3 semantics), gate blocks z, r, h. With reset_after (Keras' default, as cuDNN and
// torch.nn.GRU): x·W + b_in and h·U + b_rec are formed separately, z = σ(xz + hz), r = σ(xr + hr),
// ĥ = tanh(xh + r⊙hh); without it: ĥ = tanh(xh + (r⊙h)·U_h) with one bias. h' = z⊙h + (1−z)⊙ĥ
// (z weights the old state). kernel (in, 3·units), recurrent_kernel (units, 3·units), bias
// (2, 3·units) with reset_after — row 0 the input bias, row 1 the recurrent bias — else (3·units).

#include "fitcheck/nn/layers/recurrent.hpp"

namespace fitcheck::nn {

struct GRUOptions {
  std::int64_t units = 0;
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  bool reset_after = true;
  bool return_sequences = false;
  bool go_backwards = false;
  Json kernel_initializer = "glorot_uniform";
  Json recurrent_initializer = "orthogonal";
  Json bias_initializer = "zeros";
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::string name;
};

class GRU final : public Recurrent {
 public:
  explicit GRU(GRUOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "GRU"; }
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  bool reset_after_;
  std::unique_ptr<ActivationFunction> recurrent_activation_;
  // Time-major per step: gate activations a_ (T·B, 3U) = [z, r, ĥ] (zx_ holds their
  // pre-activations); with reset_after the recurrent products rx_ (T·B, 3U) = h·U + b_rec, else
  // r⊙h in rh_ (T·B, U) and the recurrent kernel split into contiguous copies uzr_ (U, 2U), uh_ (U, U).
  core::Tensor a_, rx_, rh_, uzr_, uh_, tmp_;
  core::Tensor da_, dh_, dh_next_, dhm_, drx_, dzr_, dzh_, drh_, dsplit_;  // backward workspaces
};

}  // namespace fitcheck::nn
