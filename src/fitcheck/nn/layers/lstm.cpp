#include "fitcheck/nn/layers/lstm.hpp"

// GCC 12 reports -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (the false positive
// kernels/gemm.cpp documents); silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>

#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;
using ArrayRM = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Block = Eigen::Map<ArrayRM, Eigen::Unaligned, Eigen::OuterStride<>>;

// Columns [k·u, (k+1)·u) of a (rows, 4u) row-major buffer.
Block gate(float* p, Index rows, Index u, int k) { return {p + k * u, rows, u, Eigen::OuterStride<>(4 * u)}; }
Block plain(float* p, Index rows, Index u) { return {p, rows, u, Eigen::OuterStride<>(u)}; }

}  // namespace

LSTM::LSTM(LSTMOptions o)
    : Recurrent({.units = o.units, .activation = o.activation, .use_bias = o.use_bias,
                 .return_sequences = o.return_sequences, .go_backwards = o.go_backwards,
                 .kernel_initializer = o.kernel_initializer, .recurrent_initializer = o.recurrent_initializer,
                 .bias_initializer = o.bias_initializer, .dropout = o.dropout,
                 .recurrent_dropout = o.recurrent_dropout, .name = o.name},
                4, "LSTM", "lstm"),
      unit_forget_bias_(o.unit_forget_bias) {
  recurrent_activation_ = make_activation(o.recurrent_activation, where() + ": recurrent_activation");
}

std::unique_ptr<Layer> LSTM::from_config(const Json& c) {
  const std::string where = "LSTM \"" + c.value("name", std::string("lstm")) + "\"";
  const RecurrentOptions b = base_from_config(c, where);
  LSTMOptions o{.units = b.units, .activation = b.activation, .use_bias = b.use_bias,
                .return_sequences = b.return_sequences, .go_backwards = b.go_backwards,
                .kernel_initializer = b.kernel_initializer, .recurrent_initializer = b.recurrent_initializer,
                .bias_initializer = b.bias_initializer, .dropout = b.dropout,
                .recurrent_dropout = b.recurrent_dropout, .name = b.name};
  if (c.contains("recurrent_activation")) {
    o.recurrent_activation = activation_name(c["recurrent_activation"], where + ": recurrent_activation");
  }
  o.unit_forget_bias = config::get_bool(c, "unit_forget_bias", where, true);
  auto layer = std::make_unique<LSTM>(o);
  layer->apply_base_config(c);
  return layer;
}

void LSTM::create_parameters(const core::Shape& input, core::Rng& rng) {
  create_kernels(input, rng);
  if (!base_.use_bias) return;
  const Index u = base_.units;
  Parameter& bias = add_parameter("bias", core::Shape{4 * u}, base_.bias_initializer, rng);
  // Keras: [bias_initializer(u), ones(u), bias_initializer(2u)].
  if (unit_forget_bias_) std::fill_n(bias.value.data() + u, u, 1.0f);
}

void LSTM::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  const Index u = base_.units, g = 4 * u;
  project_inputs(x, base_.use_bias ? parameters()[2].value.data() : nullptr, ctx);
  const Index b = batch_, t = steps_;
  a_.resize(core::Shape{t * b, g});
  c_.resize(core::Shape{t + 1, b, u});
  tc_.resize(core::Shape{t, b, u});
  std::fill_n(c_.data(), b * u, 0.0f);
  const float* rk = parameters()[1].value.data();
  const ActivationFunction& ra = *recurrent_activation_;
  for (Index s = 0; s < t; ++s) {
    float* z = zx_.data() + s * b * g;
    float* a = a_.data() + s * b * g;
    // z += h_s·U, then the gates (i and f are adjacent blocks).
    recurrent_product(s, rk, g, 4, z, true);
    activate_gates(ra, z, a, b, u, 2, g);
    activate(*activation_, z + 2 * u, a + 2 * u, b, u, g);
    activate(ra, z + 3 * u, a + 3 * u, b, u, g);
    float* c_prev = c_.data() + s * b * u;
    float* c_next = c_prev + b * u;
    float* tc = tc_.data() + s * b * u;
    plain(c_next, b, u) = gate(a, b, u, 1) * plain(c_prev, b, u) + gate(a, b, u, 0) * gate(a, b, u, 2);
    activate(*activation_, c_next, tc, b, u, u);
    plain(h_.data() + (s + 1) * b * u, b, u) = gate(a, b, u, 3) * plain(tc, b, u);
  }
  write_output(y);
}

void LSTM::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  const Index u = base_.units, g = 4 * u, b = batch_, t = steps_;
  read_output_gradient(dy);
  dzx_.resize(core::Shape{t * b, g});
  da_.resize(core::Shape{b, g});
  dh_.resize(core::Shape{b, u});
  dc_.resize(core::Shape{b, u});
  dtc_.resize(core::Shape{b, u});
  dh_.fill(0.0f);
  dc_.fill(0.0f);
  const float* rk = parameters()[1].value.data();
  const ActivationFunction& ra = *recurrent_activation_;
  for (Index s = t - 1; s >= 0; --s) {
    float* a = a_.data() + s * b * g;
    float* z = zx_.data() + s * b * g;
    float* dz = dzx_.data() + s * b * g;
    float* da = da_.data();
    float* tc = tc_.data() + s * b * u;
    float* c_prev = c_.data() + s * b * u;
    // dh = dL/dh_{s+1}: from the output at this step plus from the next step's gates.
    plain(dh_.data(), b, u) += plain(dh_seq_.data() + s * b * u, b, u);
    gate(da, b, u, 3) = plain(dh_.data(), b, u) * plain(tc, b, u);
    plain(dtc_.data(), b, u) = plain(dh_.data(), b, u) * gate(a, b, u, 3);
    // dc += dtc · tanh'(c), computed in place in dtc_.
    activate_backward(*activation_, c_prev + b * u, tc, dtc_.data(), dtc_.data(), b, u, u);
    plain(dc_.data(), b, u) += plain(dtc_.data(), b, u);
    gate(da, b, u, 0) = plain(dc_.data(), b, u) * gate(a, b, u, 2);
    gate(da, b, u, 1) = plain(dc_.data(), b, u) * plain(c_prev, b, u);
    gate(da, b, u, 2) = plain(dc_.data(), b, u) * gate(a, b, u, 0);
    plain(dc_.data(), b, u) *= gate(a, b, u, 1);
    activate_gates_backward(ra, z, a, da, dz, b, u, 2, g);
    activate_backward(*activation_, z + 2 * u, a + 2 * u, da + 2 * u, dz + 2 * u, b, u, g);
    activate_backward(ra, z + 3 * u, a + 3 * u, da + 3 * u, dz + 3 * u, b, u, g);
    if (s > 0) recurrent_product_backward(dz, rk, g, 4, dh_.data(), false);
  }
  // All steps' recurrent-kernel gradients in one GEMM: Σ_s h_sᵀ·dz_s (h_s as the kernel saw it).
  recurrent_kernel_gradient(dzx_.data(), g, 4, parameters()[1].grad.data());
  input_gradients(x, base_.use_bias ? parameters()[2].grad.data() : nullptr, dx);
}

void LSTM::add_config(Json& c) const {
  add_base_config(c);
  c["recurrent_activation"] = recurrent_activation_->to_json();
  c["unit_forget_bias"] = unit_forget_bias_;
  c["seed"] = nullptr;
}

}  // namespace fitcheck::nn
