#pragma once
// SimpleRNN (Keras 3 semantics): h' = activation(x·W + b + h·U). kernel (in, units),
// recurrent_kernel (units, units), bias (units) — Keras' layout.

#include "fitcheck/nn/layers/recurrent.hpp"

namespace fitcheck::nn {

struct SimpleRNNOptions {
  std::int64_t units = 0;
  std::string activation = "tanh";
  bool use_bias = true;
  bool return_sequences = false;
  bool go_backwards = false;
  Json kernel_initializer = "glorot_uniform";
  Json recurrent_initializer = "orthogonal";
  Json bias_initializer = "zeros";
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::string name;
};

class SimpleRNN final : public Recurrent {
 public:
  explicit SimpleRNN(SimpleRNNOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "SimpleRNN"; }
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  core::Tensor dh_;  // backward workspace
};

}  // namespace fitcheck::nn
