#include "fitcheck/nn/layers/gru.hpp"

#include <cstring>

// GCC 12 reports -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (the false positive
// kernels/gemm.cpp documents); silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>

#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;
using ArrayRM = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Block = Eigen::Map<ArrayRM, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstBlock = Eigen::Map<const ArrayRM, Eigen::Unaligned, Eigen::OuterStride<>>;

// `cols` columns from p of a (rows, ld) row-major buffer.
Block cols_of(float* p, Index rows, Index cols, Index ld) { return {p, rows, cols, Eigen::OuterStride<>(ld)}; }
ConstBlock cols_of(const float* p, Index rows, Index cols, Index ld) {
  return {p, rows, cols, Eigen::OuterStride<>(ld)};
}

}  // namespace

GRU::GRU(GRUOptions o)
    : Recurrent({.units = o.units, .activation = o.activation, .use_bias = o.use_bias,
                 .return_sequences = o.return_sequences, .go_backwards = o.go_backwards,
                 .kernel_initializer = o.kernel_initializer, .recurrent_initializer = o.recurrent_initializer,
                 .bias_initializer = o.bias_initializer, .dropout = o.dropout,
                 .recurrent_dropout = o.recurrent_dropout, .name = o.name},
                3, "GRU", "gru"),
      reset_after_(o.reset_after) {
  recurrent_activation_ = make_activation(o.recurrent_activation, where() + ": recurrent_activation");
}

std::unique_ptr<Layer> GRU::from_config(const Json& c) {
  const std::string where = "GRU \"" + c.value("name", std::string("gru")) + "\"";
  const RecurrentOptions b = base_from_config(c, where);
  GRUOptions o{.units = b.units, .activation = b.activation, .use_bias = b.use_bias,
               .return_sequences = b.return_sequences, .go_backwards = b.go_backwards,
               .kernel_initializer = b.kernel_initializer, .recurrent_initializer = b.recurrent_initializer,
               .bias_initializer = b.bias_initializer, .dropout = b.dropout,
                .recurrent_dropout = b.recurrent_dropout, .name = b.name};
  if (c.contains("recurrent_activation")) {
    o.recurrent_activation = activation_name(c["recurrent_activation"], where + ": recurrent_activation");
  }
  o.reset_after = config::get_bool(c, "reset_after", where, true);
  auto layer = std::make_unique<GRU>(o);
  layer->apply_base_config(c);
  return layer;
}

void GRU::create_parameters(const core::Shape& input, core::Rng& rng) {
  create_kernels(input, rng);
  if (!base_.use_bias) return;
  const Index g = 3 * base_.units;
  add_parameter("bias", reset_after_ ? core::Shape{2, g} : core::Shape{g}, base_.bias_initializer, rng);
}

void GRU::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  const Index u = base_.units, g = 3 * u;
  const float* bias = base_.use_bias ? parameters()[2].value.data() : nullptr;
  project_inputs(x, bias, ctx);  // with reset_after, row 0 of the bias
  const Index b = batch_, t = steps_;
  a_.resize(core::Shape{t * b, g});
  const float* rk = parameters()[1].value.data();
  if (reset_after_) {
    rx_.resize(core::Shape{t * b, g});
  } else {
    rh_.resize(core::Shape{t * b, u});
    uzr_.resize(core::Shape{u, 2 * u});
    uh_.resize(core::Shape{u, u});
    for (Index i = 0; i < u; ++i) {
      std::memcpy(uzr_.data() + i * 2 * u, rk + i * g, static_cast<std::size_t>(2 * u) * sizeof(float));
      std::memcpy(uh_.data() + i * u, rk + i * g + 2 * u, static_cast<std::size_t>(u) * sizeof(float));
    }
    tmp_.resize(core::Shape{b, 2 * u});
  }
  const ActivationFunction& ra = *recurrent_activation_;
  for (Index s = 0; s < t; ++s) {
    float* z = zx_.data() + s * b * g;
    float* a = a_.data() + s * b * g;
    float* hs = h_.data() + s * b * u;
    if (reset_after_) {
      float* rx = rx_.data() + s * b * g;
      recurrent_product(s, rk, g, 3, rx, false);
      if (bias != nullptr) detail::UnalignedMatrixMap(rx, b, g).rowwise() += detail::ConstRowVectorMap(bias + g, g);
      cols_of(z, b, 2 * u, g) += cols_of(rx, b, 2 * u, g);
      activate_gates(ra, z, a, b, u, 2, g);
      cols_of(z + 2 * u, b, u, g) += cols_of(a + u, b, u, g) * cols_of(rx + 2 * u, b, u, g);
    } else {
      recurrent_product(s, uzr_.data(), 2 * u, 2, tmp_.data(), false);
      cols_of(z, b, 2 * u, g) += cols_of(tmp_.data(), b, 2 * u, 2 * u);
      activate_gates(ra, z, a, b, u, 2, g);
      float* rh = rh_.data() + s * b * u;
      // ĥ's block reads the state through its own mask (the third) when the gates have one each
      const float* hh = recurrent_input(s, per_gate_recurrent() ? 2 : 0);
      cols_of(rh, b, u, u) = cols_of(a + u, b, u, g) * cols_of(hh, b, u, u);
      kernels::gemm(false, false, b, u, u, rh, uh_.data(), tmp_.data());
      cols_of(z + 2 * u, b, u, g) += cols_of(tmp_.data(), b, u, u);
    }
    activate(*activation_, z + 2 * u, a + 2 * u, b, u, g);
    cols_of(hs + b * u, b, u, u) =
        cols_of(a, b, u, g) * cols_of(hs, b, u, u) + (1.0f - cols_of(a, b, u, g)) * cols_of(a + 2 * u, b, u, g);
  }
  write_output(y);
}

void GRU::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  const Index u = base_.units, g = 3 * u, b = batch_, t = steps_;
  read_output_gradient(dy);
  dzx_.resize(core::Shape{t * b, g});
  da_.resize(core::Shape{b, g});
  dh_.resize(core::Shape{b, u});
  dh_next_.resize(core::Shape{b, u});
  dhm_.resize(core::Shape{b, u});
  dh_.fill(0.0f);
  if (reset_after_) {
    drx_.resize(core::Shape{t * b, g});
  } else {
    dzr_.resize(core::Shape{t * b, 2 * u});
    dzh_.resize(core::Shape{t * b, u});
    drh_.resize(core::Shape{b, u});
  }
  const float* rk = parameters()[1].value.data();
  const ActivationFunction& ra = *recurrent_activation_;
  for (Index s = t - 1; s >= 0; --s) {
    float* a = a_.data() + s * b * g;
    float* z = zx_.data() + s * b * g;
    float* dz = dzx_.data() + s * b * g;
    float* da = da_.data();
    float* hs = h_.data() + s * b * u;
    auto dh = cols_of(dh_.data(), b, u, u);
    dh += cols_of(dh_seq_.data() + s * b * u, b, u, u);
    // h' = z⊙h + (1−z)⊙ĥ
    cols_of(da, b, u, g) = dh * (cols_of(hs, b, u, u) - cols_of(a + 2 * u, b, u, g));
    cols_of(da + 2 * u, b, u, g) = dh * (1.0f - cols_of(a, b, u, g));
    activate_backward(*activation_, z + 2 * u, a + 2 * u, da + 2 * u, dz + 2 * u, b, u, g);
    cols_of(dh_next_.data(), b, u, u) = dh * cols_of(a, b, u, g);
    if (reset_after_) {
      // ĥ's pre-activation xh + r⊙(h·U_h + b_rec,h)
      float* drx = drx_.data() + s * b * g;
      const float* rx = rx_.data() + s * b * g;
      cols_of(drx + 2 * u, b, u, g) = cols_of(dz + 2 * u, b, u, g) * cols_of(a + u, b, u, g);
      cols_of(da + u, b, u, g) = cols_of(dz + 2 * u, b, u, g) * cols_of(rx + 2 * u, b, u, g);
      activate_gates_backward(ra, z, a, da, dz, b, u, 2, g);
      cols_of(drx, b, 2 * u, g) = cols_of(dz, b, 2 * u, g);
      if (s > 0) recurrent_product_backward(drx, rk, g, 3, dh_next_.data(), true);
    } else {
      // ĥ's pre-activation xh + (r⊙h)·U_h
      float* dzh = dzh_.data() + s * b * u;
      cols_of(dzh, b, u, u) = cols_of(dz + 2 * u, b, u, g);
      kernels::gemm(false, true, b, u, u, dzh, uh_.data(), drh_.data());
      // r⊙hh: hh is h_s as ĥ's block saw it (after recurrent dropout)
      const Index kh = per_gate_recurrent() ? 2 : 0;
      const float* hh = recurrent_mask_active() ? recurrent_inputs(kh) + s * b * u : hs;
      cols_of(da + u, b, u, g) = cols_of(drh_.data(), b, u, u) * cols_of(hh, b, u, u);
      activate_gates_backward(ra, z, a, da, dz, b, u, 2, g);
      float* dzr = dzr_.data() + s * b * 2 * u;
      cols_of(dzr, b, 2 * u, 2 * u) = cols_of(dz, b, 2 * u, g);
      if (s > 0) {
        cols_of(dhm_.data(), b, u, u) = cols_of(drh_.data(), b, u, u) * cols_of(a + u, b, u, g);
        unmask_recurrent_gradient(dhm_.data(), kh);
        cols_of(dh_next_.data(), b, u, u) += cols_of(dhm_.data(), b, u, u);
        recurrent_product_backward(dzr, uzr_.data(), 2 * u, 2, dh_next_.data(), true);
      }
    }
    std::swap(dh_, dh_next_);
  }
  Parameter& rk_param = parameters()[1];
  float* bias_grad = base_.use_bias ? parameters()[2].grad.data() : nullptr;
  if (reset_after_) {
    recurrent_kernel_gradient(drx_.data(), g, 3, rk_param.grad.data());
    if (bias_grad != nullptr) detail::RowVectorMap(bias_grad + g, g) = detail::as_matrix(drx_).colwise().sum();
  } else {
    // The z, r columns of the recurrent kernel saw h (masked), the ĥ columns r⊙h.
    dsplit_.resize(core::Shape{u, 2 * u});
    recurrent_kernel_gradient(dzr_.data(), 2 * u, 2, dsplit_.data());
    cols_of(rk_param.grad.data(), u, 2 * u, g) = cols_of(dsplit_.data(), u, 2 * u, 2 * u);
    kernels::gemm(true, false, u, u, t * b, rh_.data(), dzh_.data(), dsplit_.data());
    cols_of(rk_param.grad.data() + 2 * u, u, u, g) = cols_of(dsplit_.data(), u, u, u);
  }
  input_gradients(x, bias_grad, dx);
}

void GRU::add_config(Json& c) const {
  add_base_config(c);
  c["recurrent_activation"] = recurrent_activation_->to_json();
  c["reset_after"] = reset_after_;
  c["seed"] = nullptr;
}

}  // namespace fitcheck::nn
