#include "fitcheck/nn/layers/separable_conv2d.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"
#include "fitcheck/nn/layers/depthwise_conv2d.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {
SeparableConv2D::SeparableConv2D(SeparableConvOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "separable_conv2d" : options_.name);
  if (options_.filters <= 0) {
    throw core::ConfigError({.where = where() + ": filters", .what = "filters must be positive",
                             .expected = "an integer ≥ 1", .got = std::to_string(options_.filters)});
  }
  if (options_.kernel_size.empty()) {
    throw core::ConfigError({.where = where() + ": kernel_size", .what = "kernel_size is required",
                             .expected = "an integer or a list of 2, e.g. [3, 3]"});
  }
  if (options_.depth_multiplier <= 0) {
    throw core::ConfigError({.where = where() + ": depth_multiplier", .what = "depth_multiplier must be positive",
                             .expected = "an integer ≥ 1", .got = std::to_string(options_.depth_multiplier)});
  }
  options_.kernel_size = window_config::normalize_tuple(options_.kernel_size, 2, where(), "kernel_size");
  options_.strides = window_config::normalize_tuple(
      options_.strides.empty() ? std::vector<std::int64_t>{1} : options_.strides, 2, where(), "strides");
  options_.dilation_rate = window_config::normalize_tuple(
      options_.dilation_rate.empty() ? std::vector<std::int64_t>{1} : options_.dilation_rate, 2, where(),
      "dilation_rate");
  window_config::refuse_strided_dilation(options_.strides, options_.dilation_rate, where());
  options_.padding = window_config::normalize_padding(options_.padding, false, where());
  activation_ = make_activation(options_.activation, where() + ": activation");
}

std::unique_ptr<Layer> SeparableConv2D::from_config(const Json& c) {
  const std::string where = "SeparableConv2D \"" + c.value("name", std::string("separable_conv2d")) + "\"";
  window_config::check_data_format(c, where);
  SeparableConvOptions o;
  o.name = c.value("name", std::string());
  o.filters = config::get_int(c, "filters", where, 0);
  o.kernel_size = window_config::get_tuple(c, "kernel_size", 2, where, {});
  o.strides = window_config::get_tuple(c, "strides", 2, where, {1});
  o.dilation_rate = window_config::get_tuple(c, "dilation_rate", 2, where, {1});
  o.depth_multiplier = config::get_int(c, "depth_multiplier", where, 1);
  if (c.contains("padding") && !c["padding"].is_null()) {
    if (!c["padding"].is_string()) {
      throw core::ConfigError({.where = where + ": padding", .what = "not a string", .expected = "\"valid\" or \"same\"",
                               .got = c["padding"].dump()});
    }
    o.padding = c["padding"].get<std::string>();
  }
  o.activation = c.contains("activation") && c["activation"].is_string() ? c["activation"].get<std::string>()
                                                                          : std::string("linear");
  o.use_bias = config::get_bool(c, "use_bias", where, true);
  for (auto [key, target] : {std::pair{"depthwise_initializer", &o.depthwise_initializer},
                             std::pair{"pointwise_initializer", &o.pointwise_initializer},
                             std::pair{"bias_initializer", &o.bias_initializer}}) {
    if (c.contains(key) && !c[key].is_null()) *target = c[key];
  }
  auto layer = std::make_unique<SeparableConv2D>(std::move(o));
  if (c.contains("activation") && c["activation"].is_object()) {
    layer->activation_ = make_activation(c["activation"], where + ": activation");
  }
  layer->apply_base_config(c);
  return layer;
}

core::Shape SeparableConv2D::compute_output_shape(const core::Shape& input) const {
  window_config::input_channels(*this, input, 2, "depthwise kernel");
  auto dims = window_config::spatial_output(*this, input, options_.kernel_size, options_.strides,
                                            options_.dilation_rate, options_.padding);
  dims.insert(dims.begin(), input[0]);
  dims.push_back(options_.filters);
  return core::Shape(std::move(dims));
}

void SeparableConv2D::create_parameters(const core::Shape& input, core::Rng& rng) {
  const std::int64_t c = input[3], m = options_.depth_multiplier;
  add_parameter("depthwise_kernel", core::Shape{options_.kernel_size[0], options_.kernel_size[1], c, m},
                options_.depthwise_initializer, rng);
  add_parameter("pointwise_kernel", core::Shape{1, 1, c * m, options_.filters}, options_.pointwise_initializer, rng);
  if (options_.use_bias) add_parameter("bias", core::Shape{options_.filters}, options_.bias_initializer, rng);
}

kernels::WindowGeometry SeparableConv2D::geometry(const core::Shape& input) const {
  return window_config::geometry(*this, input, 2, options_.kernel_size, options_.strides, options_.dilation_rate,
                                 options_.padding);
}

void SeparableConv2D::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  const auto g = geometry(x.shape());
  const std::int64_t n = x.dim(0), c = g.channels, m = options_.depth_multiplier, p = g.out_pixels(), t = g.taps();
  const std::int64_t f = options_.filters;
  const core::Shape out_shape{n, g.h.out, g.w.out, f};
  const std::int64_t chunk = window_config::im2col_chunk_samples(g, n);
  mid_.resize(core::Shape{n * p, c * m});
  col_.resize(core::Shape{std::min(chunk, n) * p, t * c});
  for (std::int64_t s0 = 0; s0 < n; s0 += chunk) {
    const std::int64_t s = std::min(chunk, n - s0);
    kernels::im2col(g, s, x.data() + s0 * g.in_pixels() * c, col_.data());
    depthwise::forward(s * p, t, c, m, col_.data(), parameters()[0].value.data(), mid_.data() + s0 * p * c * m);
  }
  const bool linear = activation_->is_linear();
  core::Tensor& z = linear ? y : z_;
  z.resize(out_shape);
  kernels::gemm(false, false, n * p, f, c * m, mid_.data(), parameters()[1].value.data(), z.data());
  if (options_.use_bias) {
    detail::UnalignedMatrixMap zm(z.data(), n * p, f);
    zm.rowwise() += detail::ConstRowVectorMap(parameters()[2].value.data(), f);
  }
  if (!linear) {
    y.resize(out_shape);
    activation_->forward(z.data(), y.data(), n * p, f);
  }
}

void SeparableConv2D::backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy,
                               core::Tensor* dx) {
  const auto g = geometry(x.shape());
  const std::int64_t n = x.dim(0), c = g.channels, m = options_.depth_multiplier, p = g.out_pixels(), t = g.taps();
  const std::int64_t f = options_.filters;
  const core::Tensor* dz = &dy;
  if (!activation_->is_linear() && !gradient_is_pre_activation_) {
    dz_.resize(dy.shape());
    activation_->backward(z_.data(), y.data(), dy.data(), dz_.data(), n * p, f);
    dz = &dz_;
  }
  Parameter& depthwise_kernel = parameters()[0];
  Parameter& pointwise_kernel = parameters()[1];
  if (options_.use_bias) {
    detail::RowVectorMap(parameters()[2].grad.data(), f) =
        detail::ConstUnalignedMatrixMap(dz->data(), n * p, f).colwise().sum();
  }
  // Pointwise step: a (c·m, f) matrix product.
  kernels::gemm(true, false, c * m, f, n * p, mid_.data(), dz->data(), pointwise_kernel.grad.data());
  dmid_.resize(core::Shape{n * p, c * m});
  kernels::gemm(false, true, n * p, c * m, f, dz->data(), pointwise_kernel.value.data(), dmid_.data());
  // Depthwise step.
  std::fill(depthwise_kernel.grad.values().begin(), depthwise_kernel.grad.values().end(), 0.0f);
  if (dx != nullptr) dx->resize(x.shape());
  const std::int64_t chunk = window_config::im2col_chunk_samples(g, n);
  col_.resize(core::Shape{std::min(chunk, n) * p, t * c});
  if (dx != nullptr) dcol_.resize(core::Shape{std::min(chunk, n) * p, t * c});
  for (std::int64_t s0 = 0; s0 < n; s0 += chunk) {
    const std::int64_t s = std::min(chunk, n - s0);
    kernels::im2col(g, s, x.data() + s0 * g.in_pixels() * c, col_.data());
    depthwise::backward(s * p, t, c, m, col_.data(), depthwise_kernel.value.data(), dmid_.data() + s0 * p * c * m,
                        depthwise_kernel.grad.data(), dx != nullptr ? dcol_.data() : nullptr);
    if (dx != nullptr) kernels::col2im(g, s, dcol_.data(), dx->data() + s0 * g.in_pixels() * c);
  }
}

void SeparableConv2D::add_config(Json& c) const {
  c["filters"] = options_.filters;
  c["kernel_size"] = window_config::tuple_to_json(options_.kernel_size);
  c["strides"] = window_config::tuple_to_json(options_.strides);
  c["padding"] = options_.padding;
  c["data_format"] = "channels_last";
  c["dilation_rate"] = window_config::tuple_to_json(options_.dilation_rate);
  c["depth_multiplier"] = options_.depth_multiplier;
  c["activation"] = activation_->to_json();
  c["use_bias"] = options_.use_bias;
  c["depthwise_initializer"] = initializer_to_json(options_.depthwise_initializer);
  c["pointwise_initializer"] = initializer_to_json(options_.pointwise_initializer);
  c["bias_initializer"] = initializer_to_json(options_.bias_initializer);
  for (const char* key : {"depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
                          "activity_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint"}) {
    c[key] = nullptr;
  }
}

}  // namespace fitcheck::nn
