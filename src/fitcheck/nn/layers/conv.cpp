#include "fitcheck/nn/layers/conv.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {
Conv::Conv(int spatial_rank, ConvOptions options, std::string class_name, const char* default_name)
    : rank_(spatial_rank), class_name_(std::move(class_name)), options_(std::move(options)) {
  set_name(options_.name.empty() ? default_name : options_.name);
  if (options_.filters <= 0) {
    throw core::ConfigError({.where = where() + ": filters", .what = "filters must be positive",
                             .expected = "an integer ≥ 1", .got = std::to_string(options_.filters)});
  }
  if (options_.kernel_size.empty()) {
    throw core::ConfigError({.where = where() + ": kernel_size", .what = "kernel_size is required",
                             .expected = rank_ == 2 ? "an integer or a list of 2, e.g. [3, 3]" : "an integer"});
  }
  options_.kernel_size = window_config::normalize_tuple(options_.kernel_size, rank_, where(), "kernel_size");
  options_.strides = window_config::normalize_tuple(options_.strides.empty() ? std::vector<std::int64_t>{1} : options_.strides,
                                                    rank_, where(), "strides");
  options_.dilation_rate = window_config::normalize_tuple(
      options_.dilation_rate.empty() ? std::vector<std::int64_t>{1} : options_.dilation_rate, rank_, where(),
      "dilation_rate");
  window_config::refuse_strided_dilation(options_.strides, options_.dilation_rate, where());
  options_.padding = window_config::normalize_padding(options_.padding, rank_ == 1, where());
  activation_ = make_activation(options_.activation, where() + ": activation");
}

ConvOptions Conv::options_from_config(const Json& c, int spatial_rank, const std::string& where) {
  window_config::check_data_format(c, where);
  if (config::get_int(c, "groups", where, 1) != 1) {
    throw core::ConfigError({.where = where + ": groups", .what = "grouped convolutions are not supported",
                             .expected = "groups = 1", .got = c["groups"].dump()});
  }
  ConvOptions o;
  o.name = c.value("name", std::string());
  o.filters = config::get_int(c, "filters", where, 0);
  o.kernel_size = window_config::get_tuple(c, "kernel_size", spatial_rank, where, {});
  o.strides = window_config::get_tuple(c, "strides", spatial_rank, where, {1});
  o.dilation_rate = window_config::get_tuple(c, "dilation_rate", spatial_rank, where, {1});
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
  if (c.contains("kernel_initializer") && !c["kernel_initializer"].is_null()) o.kernel_initializer = c["kernel_initializer"];
  if (c.contains("bias_initializer") && !c["bias_initializer"].is_null()) o.bias_initializer = c["bias_initializer"];
  return o;
}

void Conv::apply_config(const Json& c, const std::string& where) {
  if (c.contains("activation") && c["activation"].is_object()) {
    activation_ = make_activation(c["activation"], where + ": activation");
  }
  apply_base_config(c);
}

std::unique_ptr<Layer> Conv2D::from_config(const Json& c) {
  const std::string where = "Conv2D \"" + c.value("name", std::string("conv2d")) + "\"";
  auto layer = std::make_unique<Conv2D>(options_from_config(c, 2, where));
  layer->apply_config(c, where);
  return layer;
}

std::unique_ptr<Layer> Conv1D::from_config(const Json& c) {
  const std::string where = "Conv1D \"" + c.value("name", std::string("conv1d")) + "\"";
  auto layer = std::make_unique<Conv1D>(options_from_config(c, 1, where));
  layer->apply_config(c, where);
  return layer;
}

core::Shape Conv::compute_output_shape(const core::Shape& input) const {
  window_config::input_channels(*this, input, rank_);  // checks rank and channels
  auto dims = window_config::spatial_output(*this, input, options_.kernel_size, options_.strides,
                                            options_.dilation_rate, options_.padding);
  dims.insert(dims.begin(), input[0]);
  dims.push_back(options_.filters);
  return core::Shape(std::move(dims));
}

void Conv::create_parameters(const core::Shape& input, core::Rng& rng) {
  std::vector<std::int64_t> kernel = options_.kernel_size;
  kernel.push_back(input[input.rank() - 1]);
  kernel.push_back(options_.filters);
  add_parameter("kernel", core::Shape(std::move(kernel)), options_.kernel_initializer, rng);
  if (options_.use_bias) add_parameter("bias", core::Shape{options_.filters}, options_.bias_initializer, rng);
}

std::int64_t Conv::chunk_samples(const kernels::WindowGeometry& g, std::int64_t samples) const {
  return window_config::im2col_chunk_samples(g, samples);
}

// A 1×1 kernel with stride 1 reads the input as it is: im2col would be a copy.
bool Conv::is_pointwise(const kernels::WindowGeometry& g) const {
  return g.taps() == 1 && g.h.stride == 1 && g.w.stride == 1 && g.h.pad_before == 0 && g.w.pad_before == 0;
}

void Conv::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  const auto g = window_config::geometry(*this, x.shape(), rank_, options_.kernel_size, options_.strides,
                                         options_.dilation_rate, options_.padding);
  const std::int64_t n = x.dim(0), f = options_.filters, k = g.taps() * g.channels, p = g.out_pixels();
  std::vector<std::int64_t> out_dims = {n};
  if (rank_ == 2) out_dims.push_back(g.h.out);
  out_dims.push_back(g.w.out);
  out_dims.push_back(f);
  const core::Shape out_shape(std::move(out_dims));
  const bool linear = activation_->is_linear();
  core::Tensor& z = linear ? y : z_;
  z.resize(out_shape);
  const float* kernel = parameters()[0].value.data();
  col_holds_batch_ = false;
  if (is_pointwise(g)) {
    kernels::gemm(false, false, n * p, f, k, x.data(), kernel, z.data());
  } else {
    const std::int64_t chunk = chunk_samples(g, n);
    col_.resize(core::Shape{std::min(chunk, n) * p, k});
    for (std::int64_t s0 = 0; s0 < n; s0 += chunk) {
      const std::int64_t s = std::min(chunk, n - s0);
      kernels::im2col(g, s, x.data() + s0 * g.in_pixels() * g.channels, col_.data());
      kernels::gemm(false, false, s * p, f, k, col_.data(), kernel, z.data() + s0 * p * f);
    }
    col_holds_batch_ = chunk >= n;
  }
  if (options_.use_bias) {
    detail::UnalignedMatrixMap zm(z.data(), n * p, f);
    zm.rowwise() += detail::ConstRowVectorMap(parameters()[1].value.data(), f);
  }
  if (!linear) {
    y.resize(out_shape);
    activation_->forward(z.data(), y.data(), n * p, f);
  }
}

void Conv::backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) {
  const auto g = window_config::geometry(*this, x.shape(), rank_, options_.kernel_size, options_.strides,
                                         options_.dilation_rate, options_.padding);
  const std::int64_t n = x.dim(0), f = options_.filters, k = g.taps() * g.channels, p = g.out_pixels();
  const core::Tensor* dz = &dy;
  if (!activation_->is_linear() && !gradient_is_pre_activation_) {
    dz_.resize(dy.shape());
    activation_->backward(z_.data(), y.data(), dy.data(), dz_.data(), n * p, f);
    dz = &dz_;
  }
  Parameter& kernel = parameters()[0];
  if (options_.use_bias) {
    detail::RowVectorMap(parameters()[1].grad.data(), f) =
        detail::ConstUnalignedMatrixMap(dz->data(), n * p, f).colwise().sum();
  }
  if (is_pointwise(g)) {
    kernels::gemm(true, false, k, f, n * p, x.data(), dz->data(), kernel.grad.data());
    if (dx != nullptr) {
      dx->resize(x.shape());
      kernels::gemm(false, true, n * p, k, f, dz->data(), kernel.value.data(), dx->data());
    }
    return;
  }
  if (dx != nullptr) dx->resize(x.shape());
  const std::int64_t chunk = chunk_samples(g, n);
  for (std::int64_t s0 = 0; s0 < n; s0 += chunk) {
    const std::int64_t s = std::min(chunk, n - s0);
    if (!col_holds_batch_) {
      col_.resize(core::Shape{std::min(chunk, n) * p, k});
      kernels::im2col(g, s, x.data() + s0 * g.in_pixels() * g.channels, col_.data());
    }
    const float* dzc = dz->data() + s0 * p * f;
    kernels::gemm(true, false, k, f, s * p, col_.data(), dzc, kernel.grad.data(), s0 > 0);
    if (dx != nullptr) {
      dcol_.resize(core::Shape{s * p, k});
      kernels::gemm(false, true, s * p, k, f, dzc, kernel.value.data(), dcol_.data());
      kernels::col2im(g, s, dcol_.data(), dx->data() + s0 * g.in_pixels() * g.channels);
    }
  }
}

void Conv::add_config(Json& c) const {
  c["filters"] = options_.filters;
  c["kernel_size"] = window_config::tuple_to_json(options_.kernel_size);
  c["strides"] = window_config::tuple_to_json(options_.strides);
  c["padding"] = options_.padding;
  c["data_format"] = "channels_last";
  c["dilation_rate"] = window_config::tuple_to_json(options_.dilation_rate);
  c["groups"] = 1;
  c["activation"] = activation_->to_json();
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = initializer_to_json(options_.kernel_initializer);
  c["bias_initializer"] = initializer_to_json(options_.bias_initializer);
  for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                          "bias_constraint"}) {
    c[key] = nullptr;
  }
}

}  // namespace fitcheck::nn
