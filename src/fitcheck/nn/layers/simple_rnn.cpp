#include "fitcheck/nn/layers/simple_rnn.hpp"

#include "fitcheck/nn/kernels/gemm.hpp"

namespace fitcheck::nn {

using Index = std::int64_t;

SimpleRNN::SimpleRNN(SimpleRNNOptions o)
    : Recurrent({.units = o.units, .activation = o.activation, .use_bias = o.use_bias,
                 .return_sequences = o.return_sequences, .go_backwards = o.go_backwards,
                 .kernel_initializer = o.kernel_initializer, .recurrent_initializer = o.recurrent_initializer,
                 .bias_initializer = o.bias_initializer, .dropout = o.dropout,
                 .recurrent_dropout = o.recurrent_dropout, .name = o.name},
                1, "SimpleRNN", "simple_rnn") {}

std::unique_ptr<Layer> SimpleRNN::from_config(const Json& c) {
  const std::string where = "SimpleRNN \"" + c.value("name", std::string("simple_rnn")) + "\"";
  const RecurrentOptions b = base_from_config(c, where);
  auto layer = std::make_unique<SimpleRNN>(SimpleRNNOptions{
      .units = b.units, .activation = b.activation, .use_bias = b.use_bias, .return_sequences = b.return_sequences,
      .go_backwards = b.go_backwards, .kernel_initializer = b.kernel_initializer,
      .recurrent_initializer = b.recurrent_initializer, .bias_initializer = b.bias_initializer,
      .dropout = b.dropout, .recurrent_dropout = b.recurrent_dropout, .name = b.name});
  layer->apply_base_config(c);
  return layer;
}

void SimpleRNN::create_parameters(const core::Shape& input, core::Rng& rng) {
  create_kernels(input, rng);
  if (base_.use_bias) add_parameter("bias", core::Shape{base_.units}, base_.bias_initializer, rng);
}

void SimpleRNN::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  const Index u = base_.units;
  project_inputs(x, base_.use_bias ? parameters()[2].value.data() : nullptr, ctx);
  const Index b = batch_, t = steps_;
  const float* rk = parameters()[1].value.data();
  for (Index s = 0; s < t; ++s) {
    float* z = zx_.data() + s * b * u;
    recurrent_product(s, rk, u, 1, z, true);
    activate(*activation_, z, h_.data() + (s + 1) * b * u, b, u, u);
  }
  write_output(y);
}

void SimpleRNN::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  const Index u = base_.units, b = batch_, t = steps_;
  read_output_gradient(dy);
  dzx_.resize(core::Shape{t * b, u});
  dh_.resize(core::Shape{b, u});
  dh_.fill(0.0f);
  const float* rk = parameters()[1].value.data();
  for (Index s = t - 1; s >= 0; --s) {
    float* dh = dh_.data();
    const float* from_output = dh_seq_.data() + s * b * u;
    for (Index i = 0; i < b * u; ++i) dh[i] += from_output[i];
    float* dz = dzx_.data() + s * b * u;
    activate_backward(*activation_, zx_.data() + s * b * u, h_.data() + (s + 1) * b * u, dh, dz, b, u, u);
    if (s > 0) recurrent_product_backward(dz, rk, u, 1, dh, false);
  }
  recurrent_kernel_gradient(dzx_.data(), u, 1, parameters()[1].grad.data());
  input_gradients(x, base_.use_bias ? parameters()[2].grad.data() : nullptr, dx);
}

void SimpleRNN::add_config(Json& c) const {
  add_base_config(c);
  c["seed"] = nullptr;
}

}  // namespace fitcheck::nn
