#pragma once
// LSTM (Keras 3 semantics): z = x·W + h·U + b split into the gate blocks i, f, c, o;
// c' = σ(f)⊙c + σ(i)⊙tanh(c̃), h' = σ(o)⊙tanh(c') (σ = recurrent_activation, tanh = activation).
// kernel (in, 4·units), recurrent_kernel (units, 4·units), bias (4·units) — Keras' layout, so
// Keras weights load unchanged. unit_forget_bias sets the forget block of the initial bias to 1.

#include "fitcheck/nn/layers/recurrent.hpp"

namespace fitcheck::nn {

struct LSTMOptions {
  std::int64_t units = 0;
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";
  bool use_bias = true;
  bool unit_forget_bias = true;
  bool return_sequences = false;
  bool go_backwards = false;
  Json kernel_initializer = "glorot_uniform";
  Json recurrent_initializer = "orthogonal";
  Json bias_initializer = "zeros";
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::string name;
};

class LSTM final : public Recurrent {
 public:
  explicit LSTM(LSTMOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "LSTM"; }
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  bool unit_forget_bias_;
  std::unique_ptr<ActivationFunction> recurrent_activation_;
  // Per step, time-major: gate activations a_ (T·B, 4U) = [i, f, c̃, o], cell states c_ (T+1, B, U)
  // with c_0 = 0, and tanh(c) tc_ (T, B, U). zx_ holds the gates' pre-activations.
  core::Tensor a_, c_, tc_;
  core::Tensor da_, dh_, dc_, dtc_;  // backward workspaces
};

}  // namespace fitcheck::nn
