#include "fitcheck/nn/layers/recurrent.hpp"

#include <cstring>

// GCC 12 reports -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (the false positive
// kernels/gemm.cpp documents); silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;
using ArrayRM = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Block = Eigen::Map<ArrayRM, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstBlock = Eigen::Map<const ArrayRM, Eigen::Unaligned, Eigen::OuterStride<>>;

std::string dim_text(std::int64_t d) { return d == core::kUnknownDim ? std::string("None") : std::to_string(d); }

// The usual ways from a shape of the wrong rank to (batch, timesteps, features).
std::string rank_hint(const core::Shape& in, const std::string& cls) {
  if (in.rank() == 4) {
    const std::string flat = in[2] != core::kUnknownDim && in[3] != core::kUnknownDim ? std::to_string(in[2] * in[3])
                                                                                       : std::string("-1");
    return fmt::format(
        "{} reads (batch, timesteps, features): insert Reshape(({}, {})) before it to read each row of the feature "
        "map as a time step (TimeDistributed(Flatten()) does the same), or, if the sequence is not needed, use "
        "GlobalAveragePooling2D() or Flatten() followed by Dense instead.",
        cls, dim_text(in[1]), flat);
  }
  if (in.rank() == 2) {
    return fmt::format(
        "{} reads (batch, timesteps, features): give each sample a time axis, e.g. Reshape(({}, 1)) to read the {} "
        "values as {} steps of one feature, or reshape the data to (samples, timesteps, features).",
        cls, dim_text(in[1]), dim_text(in[1]), dim_text(in[1]));
  }
  if (in.rank() > 4) {
    return fmt::format("{} reads (batch, timesteps, features): merge the axes after the time axis with a Reshape.",
                       cls);
  }
  return fmt::format("{} reads (batch, timesteps, features): reshape the data to (samples, timesteps, features).",
                     cls);
}

}  // namespace

std::string Recurrent::activation_name(const Json& spec, const std::string& where) {
  if (spec.is_string()) return spec.get<std::string>();
  return make_activation(spec, where)->name();  // null → linear; dicts validated by name
}

Recurrent::Recurrent(RecurrentOptions base, int gates, const char* cls, const char* default_name)
    : base_(std::move(base)), gates_(gates) {
  set_name(base_.name.empty() ? default_name : base_.name);
  // where() needs class_name(), which is not callable while the base is being constructed.
  const std::string at = fmt::format("{} \"{}\"", cls, name());
  if (base_.units <= 0) {
    throw core::ConfigError({.where = at + ": units", .what = "units must be positive",
                             .expected = "an integer ≥ 1", .got = std::to_string(base_.units)});
  }
  activation_ = make_activation(base_.activation, at + ": activation");
  for (auto [key, rate] : {std::pair{"dropout", base_.dropout}, std::pair{"recurrent_dropout", base_.recurrent_dropout}}) {
    if (!(rate >= 0.0 && rate < 1.0)) {
      throw core::ConfigError({.where = at + ": " + key, .what = "a dropout rate must be in [0, 1)",
                               .expected = "0 ≤ rate < 1", .got = fmt::format("{}", rate)});
    }
  }
}

RecurrentOptions Recurrent::base_from_config(const Json& c, const std::string& where) {
  RecurrentOptions o;
  o.name = c.value("name", std::string());
  o.units = config::get_int(c, "units", where, 0);
  if (c.contains("activation")) o.activation = activation_name(c["activation"], where + ": activation");
  o.use_bias = config::get_bool(c, "use_bias", where, true);
  o.return_sequences = config::get_bool(c, "return_sequences", where, false);
  o.go_backwards = config::get_bool(c, "go_backwards", where, false);
  for (auto [key, field] : {std::pair{"kernel_initializer", &o.kernel_initializer},
                            std::pair{"recurrent_initializer", &o.recurrent_initializer},
                            std::pair{"bias_initializer", &o.bias_initializer}}) {
    if (c.contains(key) && !c[key].is_null()) *field = c[key];
  }
  o.dropout = config::get_double(c, "dropout", where, 0.0);
  o.recurrent_dropout = config::get_double(c, "recurrent_dropout", where, 0.0);
  // Options that change what the layer computes and that this engine does not implement: refused
  // by name rather than silently trained as something else.
  if (config::get_bool(c, "return_state", where, false)) {
    throw core::ConfigError({.where = where + ": return_state", .what = "return_state needs a functional model",
                             .expected = "false", .got = "true",
                             .hint = "A Sequential model passes one tensor between layers; set return_state=False."});
  }
  if (config::get_bool(c, "stateful", where, false)) {
    throw core::ConfigError({.where = where + ": stateful", .what = "stateful recurrent layers are not supported",
                             .expected = "false", .got = "true",
                             .hint = "Set stateful=False; each batch then starts from a zero state."});
  }
  if (config::get_bool(c, "time_major", where, false)) {
    throw core::ConfigError({.where = where + ": time_major", .what = "time-major input is not supported",
                             .expected = "false", .got = "true",
                             .hint = "Give the input as (batch, timesteps, features) and set time_major=False."});
  }
  return o;
}

void Recurrent::add_base_config(Json& c) const {
  c["return_sequences"] = base_.return_sequences;
  c["return_state"] = false;
  c["go_backwards"] = base_.go_backwards;
  c["stateful"] = false;
  c["unroll"] = false;
  c["zero_output_for_mask"] = false;
  c["units"] = base_.units;
  c["activation"] = activation_->to_json();
  c["use_bias"] = base_.use_bias;
  c["kernel_initializer"] = initializer_to_json(base_.kernel_initializer);
  c["recurrent_initializer"] = initializer_to_json(base_.recurrent_initializer);
  c["bias_initializer"] = initializer_to_json(base_.bias_initializer);
  for (const char* k : {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                        "kernel_constraint", "recurrent_constraint", "bias_constraint"}) {
    c[k] = nullptr;
  }
  c["dropout"] = base_.dropout;
  c["recurrent_dropout"] = base_.recurrent_dropout;
}

core::Shape Recurrent::compute_output_shape(const core::Shape& input) const {
  if (input.rank() != 3) {
    throw_shape_error(input, "rank 3: (batch, timesteps, features)", "rank " + std::to_string(input.rank()),
                      rank_hint(input, class_name()));
  }
  if (input[1] == 0) {
    throw_shape_error(input, "at least one time step", "axis 1", "Give each sample one or more time steps.");
  }
  const std::int64_t features = input[2];
  if (features == core::kUnknownDim) {
    throw_shape_error(input, "a known feature axis", "axis 2", "Declare the number of features in the input shape.");
  }
  if (built() && features != input_shape()[2]) {
    const std::int64_t want = input_shape()[2];
    throw_shape_error(input, fmt::format("feature axis {}", want), "axis 2",
                      fmt::format("The kernel was built for {} features per step; give the data {} features, or "
                                  "rebuild the model for {}.",
                                  want, want, features));
  }
  if (base_.return_sequences) return core::Shape{input[0], input[1], base_.units};
  return core::Shape{input[0], base_.units};
}

void Recurrent::create_kernels(const core::Shape& input, core::Rng& rng) {
  const std::int64_t g = gates_ * base_.units;
  add_parameter("kernel", core::Shape{input[2], g}, base_.kernel_initializer, rng);
  add_parameter("recurrent_kernel", core::Shape{base_.units, g}, base_.recurrent_initializer, rng);
}

namespace {

// Inverted-dropout mask: 1/(1 − rate) with probability 1 − rate, else 0.
void draw_mask(core::Tensor& mask, core::Shape shape, double rate, core::Rng& rng) {
  mask.resize(std::move(shape));
  const auto keep = static_cast<float>(1.0 / (1.0 - rate));
  for (auto& v : mask.values()) v = rng.random_sample() >= rate ? keep : 0.0f;
}

}  // namespace

void Recurrent::project_inputs(const core::Tensor& x, const float* input_bias, const ForwardContext& ctx) {
  batch_ = x.dim(0);
  steps_ = x.dim(1);
  features_ = x.dim(2);
  const Index b = batch_, t = steps_, f = features_, u = base_.units, g = gates_ * u;
  // Masks are drawn once per sequence (the same at every step). Keras uses one input mask unless
  // recurrent_dropout is set; then (its implementation 1) one mask per gate for the inputs and
  // for the state.
  input_mask_active_ = ctx.training && base_.dropout > 0.0;
  recurrent_mask_active_ = ctx.training && base_.recurrent_dropout > 0.0;
  const Index k_masks = mask_count();
  if (input_mask_active_ || recurrent_mask_active_) {
    FITCHECK_CHECK(ctx.rng != nullptr, "recurrent dropout needs an Rng in training");
  }
  if (input_mask_active_) draw_mask(input_mask_, core::Shape{k_masks, b, f}, base_.dropout, *ctx.rng);
  if (recurrent_mask_active_) {
    draw_mask(recurrent_mask_, core::Shape{k_masks, b, u}, base_.recurrent_dropout, *ctx.rng);
    hm_.resize(core::Shape{k_masks, t, b, u});
  }
  xt_.resize(core::Shape{t, b, f});
  const std::size_t row_bytes = static_cast<std::size_t>(f) * sizeof(float);
  for (Index s = 0; s < t; ++s) {
    const Index src_t = base_.go_backwards ? t - 1 - s : s;
    for (Index i = 0; i < b; ++i) std::memcpy(xt_.data() + (s * b + i) * f, x.data() + (i * t + src_t) * f, row_bytes);
  }
  zx_.resize(core::Shape{t * b, g});
  const float* kernel = parameters()[0].value.data();
  if (!input_mask_active_) {
    kernels::gemm(false, false, t * b, g, f, xt_.data(), kernel, zx_.data());
  } else {
    // Gate block k reads the inputs through mask k: xm_ (K, T·B, F) keeps them for the kernel's gradient.
    xm_.resize(core::Shape{k_masks, t * b, f});
    for (Index k = 0; k < k_masks; ++k) {
      float* xm = xm_.data() + k * t * b * f;
      for (Index s = 0; s < t; ++s) {
        detail::UnalignedMatrixMap(xm + s * b * f, b, f).array() =
            detail::ConstUnalignedMatrixMap(xt_.data() + s * b * f, b, f).array() *
            detail::ConstUnalignedMatrixMap(input_mask_.data() + k * b * f, b, f).array();
      }
      const Index cols = k_masks == 1 ? g : u;
      strided_gemm(false, false, t * b, cols, f, xm, f, kernel + k * u, g, zx_.data() + k * u, g, false);
    }
  }
  if (input_bias != nullptr) detail::as_matrix(zx_).rowwise() += detail::ConstRowVectorMap(input_bias, g);
  h_.resize(core::Shape{t + 1, b, u});
  std::fill_n(h_.data(), b * u, 0.0f);
}

const float* Recurrent::recurrent_input(Index s, Index k) {
  const Index n = batch_ * base_.units;
  if (!recurrent_mask_active_) return h_.data() + s * n;
  float* hm = hm_.data() + (k * steps_ + s) * n;
  const float* h = h_.data() + s * n;
  const float* m = recurrent_mask_.data() + k * n;
  for (Index i = 0; i < n; ++i) hm[i] = h[i] * m[i];
  return hm;
}

const float* Recurrent::recurrent_inputs(Index k) const {
  return recurrent_mask_active_ ? hm_.data() + k * steps_ * batch_ * base_.units : h_.data();
}

void Recurrent::unmask_recurrent_gradient(float* d, Index k) const {
  if (!recurrent_mask_active_) return;
  const Index n = batch_ * base_.units;
  const float* m = recurrent_mask_.data() + k * n;
  for (Index i = 0; i < n; ++i) d[i] *= m[i];
}

void Recurrent::recurrent_product(Index s, const float* rk, Index ld, int blocks, float* out, bool accumulate) {
  const Index b = batch_, u = base_.units;
  if (!per_gate_recurrent() && ld == blocks * u) {
    kernels::gemm(false, false, b, ld, u, recurrent_input(s), rk, out, accumulate);
    return;
  }
  if (!per_gate_recurrent()) {
    strided_gemm(false, false, b, blocks * u, u, recurrent_input(s), u, rk, ld, out, ld, accumulate);
    return;
  }
  for (Index k = 0; k < blocks; ++k) {
    strided_gemm(false, false, b, u, u, recurrent_input(s, k), u, rk + k * u, ld, out + k * u, ld, accumulate);
  }
}

void Recurrent::recurrent_product_backward(const float* dz, const float* rk, Index ld, int blocks, float* dh,
                                           bool accumulate) {
  const Index b = batch_, u = base_.units;
  if (!recurrent_mask_active_) {
    if (ld == blocks * u) {
      kernels::gemm(false, true, b, u, ld, dz, rk, dh, accumulate);
    } else {
      strided_gemm(false, true, b, u, blocks * u, dz, ld, rk, ld, dh, u, accumulate);
    }
    return;
  }
  if (!accumulate) std::fill_n(dh, b * u, 0.0f);
  dhk_.resize(core::Shape{b, u});
  const Index parts = per_gate_recurrent() ? blocks : 1;
  const Index width = per_gate_recurrent() ? u : blocks * u;
  for (Index k = 0; k < parts; ++k) {
    strided_gemm(false, true, b, u, width, dz + k * u, ld, rk + k * u, ld, dhk_.data(), u, false);
    unmask_recurrent_gradient(dhk_.data(), k);
    for (Index i = 0; i < b * u; ++i) dh[i] += dhk_[i];
  }
}

void Recurrent::recurrent_kernel_gradient(const float* dz_all, Index ld, int blocks, float* grad) {
  const Index tb = steps_ * batch_, u = base_.units;
  if (!per_gate_recurrent() && ld == blocks * u) {
    kernels::gemm(true, false, u, ld, tb, recurrent_inputs(), dz_all, grad);
    return;
  }
  if (!per_gate_recurrent()) {
    strided_gemm(true, false, u, blocks * u, tb, recurrent_inputs(), u, dz_all, ld, grad, ld, false);
    return;
  }
  for (Index k = 0; k < blocks; ++k) {
    strided_gemm(true, false, u, u, tb, recurrent_inputs(k), u, dz_all + k * u, ld, grad + k * u, ld, false);
  }
}

void Recurrent::strided_gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, const float* a, Index lda,
                             const float* b, Index ldb, float* c, Index ldc, bool accumulate) {
  using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using In = Eigen::Map<const RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
  using Out = Eigen::Map<RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
  const In am(a, trans_a ? k : m, trans_a ? m : k, Eigen::OuterStride<>(lda));
  const In bm(b, trans_b ? n : k, trans_b ? k : n, Eigen::OuterStride<>(ldb));
  Out cm(c, m, n, Eigen::OuterStride<>(ldc));
  if (!accumulate) cm.setZero();
  if (trans_a && trans_b) {
    cm.noalias() += am.transpose() * bm.transpose();
  } else if (trans_a) {
    cm.noalias() += am.transpose() * bm;
  } else if (trans_b) {
    cm.noalias() += am * bm.transpose();
  } else {
    cm.noalias() += am * bm;
  }
}

void Recurrent::write_output(core::Tensor& y) const {
  const Index b = batch_, t = steps_, u = base_.units;
  if (!base_.return_sequences) {
    y.resize(core::Shape{b, u});
    std::memcpy(y.data(), h_.data() + t * b * u, static_cast<std::size_t>(b * u) * sizeof(float));
    return;
  }
  y.resize(core::Shape{b, t, u});
  const std::size_t row_bytes = static_cast<std::size_t>(u) * sizeof(float);
  for (Index s = 0; s < t; ++s) {
    for (Index i = 0; i < b; ++i) std::memcpy(y.data() + (i * t + s) * u, h_.data() + ((s + 1) * b + i) * u, row_bytes);
  }
}

void Recurrent::read_output_gradient(const core::Tensor& dy) {
  const Index b = batch_, t = steps_, u = base_.units;
  dh_seq_.resize(core::Shape{t, b, u});
  if (!base_.return_sequences) {
    std::fill_n(dh_seq_.data(), (t - 1) * b * u, 0.0f);
    std::memcpy(dh_seq_.data() + (t - 1) * b * u, dy.data(), static_cast<std::size_t>(b * u) * sizeof(float));
    return;
  }
  const std::size_t row_bytes = static_cast<std::size_t>(u) * sizeof(float);
  for (Index s = 0; s < t; ++s) {
    for (Index i = 0; i < b; ++i) std::memcpy(dh_seq_.data() + (s * b + i) * u, dy.data() + (i * t + s) * u, row_bytes);
  }
}

void Recurrent::input_gradients(const core::Tensor& x, float* input_bias_grad, core::Tensor* dx) {
  const Index b = batch_, t = steps_, f = features_, u = base_.units, g = gates_ * u;
  Parameter& kernel = parameters()[0];
  const Index k_masks = input_mask_active_ ? mask_count() : 1;
  const Index cols = k_masks == 1 ? g : u;
  if (!input_mask_active_) {
    kernels::gemm(true, false, f, g, t * b, xt_.data(), dzx_.data(), kernel.grad.data());
  } else {
    for (Index k = 0; k < k_masks; ++k) {
      strided_gemm(true, false, f, cols, t * b, xm_.data() + k * t * b * f, f, dzx_.data() + k * u, g,
                   kernel.grad.data() + k * u, g, false);
    }
  }
  if (input_bias_grad != nullptr) detail::RowVectorMap(input_bias_grad, g) = detail::as_matrix(dzx_).colwise().sum();
  if (dx == nullptr) return;
  dxt_.resize(core::Shape{t, b, f});
  if (!input_mask_active_) {
    kernels::gemm(false, true, t * b, f, g, dzx_.data(), kernel.value.data(), dxt_.data());
  } else {
    // dx = Σ_k (dz_k·W_kᵀ) ⊙ mask_k
    dxm_.resize(core::Shape{t * b, f});
    dxt_.fill(0.0f);
    for (Index k = 0; k < k_masks; ++k) {
      strided_gemm(false, true, t * b, f, cols, dzx_.data() + k * u, g, kernel.value.data() + k * u, g, dxm_.data(), f,
                   false);
      for (Index s = 0; s < t; ++s) {
        detail::UnalignedMatrixMap(dxt_.data() + s * b * f, b, f).array() +=
            detail::ConstUnalignedMatrixMap(dxm_.data() + s * b * f, b, f).array() *
            detail::ConstUnalignedMatrixMap(input_mask_.data() + k * b * f, b, f).array();
      }
    }
  }
  dx->resize(x.shape());
  const std::size_t row_bytes = static_cast<std::size_t>(f) * sizeof(float);
  for (Index s = 0; s < t; ++s) {
    const Index dst_t = base_.go_backwards ? t - 1 - s : s;
    for (Index i = 0; i < b; ++i) std::memcpy(dx->data() + (i * t + dst_t) * f, dxt_.data() + (s * b + i) * f, row_bytes);
  }
}

void Recurrent::activate(const ActivationFunction& f, const float* z, float* a, Index rows, Index cols, Index ld) {
  const std::string name = f.name();
  if (name == "sigmoid" || name == "tanh") {
    const ConstBlock zb(z, rows, cols, Eigen::OuterStride<>(ld));
    Block ab(a, rows, cols, Eigen::OuterStride<>(ld));
    if (name == "sigmoid") {
      ab = zb.logistic();
    } else {
      ab = zb.tanh();
    }
    return;
  }
  for (Index r = 0; r < rows; ++r) f.forward(z + r * ld, a + r * ld, 1, cols);
}

void Recurrent::activate_backward(const ActivationFunction& f, const float* z, const float* a, const float* da,
                                  float* dz, Index rows, Index cols, Index ld) {
  const std::string name = f.name();
  if (name == "sigmoid" || name == "tanh") {
    const ConstBlock ab(a, rows, cols, Eigen::OuterStride<>(ld));
    const ConstBlock dab(da, rows, cols, Eigen::OuterStride<>(ld));
    Block dzb(dz, rows, cols, Eigen::OuterStride<>(ld));
    if (name == "sigmoid") {
      dzb = dab * ab * (1.0f - ab);
    } else {
      dzb = dab * (1.0f - ab.square());
    }
    return;
  }
  for (Index r = 0; r < rows; ++r) f.backward(z + r * ld, a + r * ld, da + r * ld, dz + r * ld, 1, cols);
}

void Recurrent::activate_gates(const ActivationFunction& f, const float* z, float* a, Index rows, Index units,
                               int blocks, Index ld) {
  if (f.name() != "softmax") {
    activate(f, z, a, rows, blocks * units, ld);
    return;
  }
  for (int k = 0; k < blocks; ++k) activate(f, z + k * units, a + k * units, rows, units, ld);
}

void Recurrent::activate_gates_backward(const ActivationFunction& f, const float* z, const float* a, const float* da,
                                        float* dz, Index rows, Index units, int blocks, Index ld) {
  if (f.name() != "softmax") {
    activate_backward(f, z, a, da, dz, rows, blocks * units, ld);
    return;
  }
  for (int k = 0; k < blocks; ++k) {
    activate_backward(f, z + k * units, a + k * units, da + k * units, dz + k * units, rows, units, ld);
  }
}

}  // namespace fitcheck::nn
