#include "fitcheck/nn/layers/conv2d_transpose.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/kernels/gemm.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {
kernels::WindowAxis conv_transpose_axis(std::int64_t in, std::int64_t taps, std::int64_t stride,
                                        std::int64_t dilation, const std::string& padding,
                                        std::int64_t output_padding) {
  // Keras 3 pads the stride-dilated input by (left, right) and runs a stride-1 conv with the
  // flipped kernel; the inverted conv then pads its own input by kernel − 1 − left.
  const std::int64_t kernel = (taps - 1) * dilation + 1;
  std::int64_t left = 0, right = 0;
  if (padding == "valid") {
    const std::int64_t extra = output_padding < 0 ? std::max(kernel, stride) - kernel : output_padding;
    left = kernel - 1;
    right = kernel - 1 + extra;
  } else {
    const std::int64_t pad_len =
        output_padding < 0 ? stride + kernel - 2 : kernel + kernel % 2 - 2 + output_padding;
    left = std::min(pad_len / 2 + pad_len % 2, kernel - 1);
    right = pad_len - left;
  }
  kernels::WindowAxis a{.in = (in - 1) * stride + 1 + left + right - (kernel - 1), .window = taps, .stride = stride,
                        .dilation = dilation};
  a.pad_before = kernel - 1 - left;
  a.out = in;
  return a;
}

Conv2DTranspose::Conv2DTranspose(ConvTransposeOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "conv2d_transpose" : options_.name);
  if (options_.filters <= 0) {
    throw core::ConfigError({.where = where() + ": filters", .what = "filters must be positive",
                             .expected = "an integer ≥ 1", .got = std::to_string(options_.filters)});
  }
  if (options_.kernel_size.empty()) {
    throw core::ConfigError({.where = where() + ": kernel_size", .what = "kernel_size is required",
                             .expected = "an integer or a list of 2, e.g. [3, 3]"});
  }
  options_.kernel_size = window_config::normalize_tuple(options_.kernel_size, 2, where(), "kernel_size");
  options_.strides = window_config::normalize_tuple(
      options_.strides.empty() ? std::vector<std::int64_t>{1} : options_.strides, 2, where(), "strides");
  options_.dilation_rate = window_config::normalize_tuple(
      options_.dilation_rate.empty() ? std::vector<std::int64_t>{1} : options_.dilation_rate, 2, where(),
      "dilation_rate");
  options_.padding = window_config::normalize_padding(options_.padding, false, where());
  if (!options_.output_padding.empty()) {
    if (options_.output_padding.size() == 1) options_.output_padding.push_back(options_.output_padding[0]);
    if (options_.output_padding.size() != 2) {
      throw core::ConfigError({.where = where() + ": output_padding", .what = "needs one value per spatial axis",
                               .expected = "null, an integer or a list of 2",
                               .got = window_config::tuple_to_json(options_.output_padding).dump()});
    }
    for (int i = 0; i < 2; ++i) {
      // Keras refuses it too: a padding of a whole stride would be an extra input pixel.
      if (options_.output_padding[i] < 0 || options_.output_padding[i] >= options_.strides[i]) {
        throw core::ConfigError(
            {.where = where() + ": output_padding",
             .what = "each output_padding must be at least 0 and smaller than the stride on its axis",
             .expected = fmt::format("0 ≤ output_padding < {} (the stride) on axis {}", options_.strides[i], i + 1),
             .got = window_config::tuple_to_json(options_.output_padding).dump()});
      }
    }
  }
  activation_ = make_activation(options_.activation, where() + ": activation");
}

std::unique_ptr<Layer> Conv2DTranspose::from_config(const Json& c) {
  const std::string where = "Conv2DTranspose \"" + c.value("name", std::string("conv2d_transpose")) + "\"";
  window_config::check_data_format(c, where);
  ConvTransposeOptions o;
  o.name = c.value("name", std::string());
  o.filters = config::get_int(c, "filters", where, 0);
  o.kernel_size = window_config::get_tuple(c, "kernel_size", 2, where, {});
  o.strides = window_config::get_tuple(c, "strides", 2, where, {1});
  o.dilation_rate = window_config::get_tuple(c, "dilation_rate", 2, where, {1});
  if (c.contains("output_padding") && !c["output_padding"].is_null()) {
    const Json& v = c["output_padding"];
    const bool ok = v.is_number_integer() ||
                    (v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_number_integer(); }));
    if (!ok) {
      throw core::ConfigError({.where = where + ": output_padding", .what = "not an integer or a list of integers",
                               .expected = "null, an integer or a list of 2", .got = v.dump()});
    }
    if (v.is_number_integer()) {
      o.output_padding = {v.get<std::int64_t>()};
    } else {
      for (const auto& e : v) o.output_padding.push_back(e.get<std::int64_t>());
    }
  }
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
  auto layer = std::make_unique<Conv2DTranspose>(std::move(o));
  if (c.contains("activation") && c["activation"].is_object()) {
    layer->activation_ = make_activation(c["activation"], where + ": activation");
  }
  layer->apply_base_config(c);
  return layer;
}

core::Shape Conv2DTranspose::compute_output_shape(const core::Shape& input) const {
  window_config::input_channels(*this, input, 2);  // checks rank and channels
  std::vector<std::int64_t> dims = {input[0]};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t in = input[1 + i];
    dims.push_back(in < 0 ? in
                          : conv_transpose_axis(in, options_.kernel_size[i], options_.strides[i], options_.dilation_rate[i],
                                                options_.padding, output_padding(i))
                                .in);
  }
  dims.push_back(options_.filters);
  return core::Shape(std::move(dims));
}

void Conv2DTranspose::create_parameters(const core::Shape& input, core::Rng& rng) {
  add_parameter("kernel", core::Shape{options_.kernel_size[0], options_.kernel_size[1], options_.filters, input[3]},
                options_.kernel_initializer, rng);
  if (options_.use_bias) add_parameter("bias", core::Shape{options_.filters}, options_.bias_initializer, rng);
}

kernels::WindowGeometry Conv2DTranspose::geometry(const core::Shape& input) const {
  kernels::WindowGeometry g;
  g.channels = options_.filters;
  for (int i = 0; i < 2; ++i) {
    (i == 0 ? g.h : g.w) = conv_transpose_axis(input[1 + i], options_.kernel_size[i], options_.strides[i],
                                               options_.dilation_rate[i], options_.padding, output_padding(i));
  }
  return g;
}

void Conv2DTranspose::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  (void)compute_output_shape(x.shape());  // rank and channel errors in the user's words
  const auto g = geometry(x.shape());
  const std::int64_t n = x.dim(0), c = x.dim(3), f = options_.filters, p = g.out_pixels(), k = g.taps() * f;
  const core::Shape out_shape{n, g.h.in, g.w.in, f};
  const bool linear = activation_->is_linear();
  core::Tensor& z = linear ? y : z_;
  z.resize(out_shape);
  const std::int64_t chunk =
      std::clamp<std::int64_t>(window_config::kColumnBudget / std::max<std::int64_t>(1, p * k), 1, std::max<std::int64_t>(n, 1));
  col_.resize(core::Shape{std::min(chunk, n) * p, k});
  for (std::int64_t s0 = 0; s0 < n; s0 += chunk) {
    const std::int64_t s = std::min(chunk, n - s0);
    // The inverted conv's backward-data: columns = x · kernelᵀ, then summed into the image.
    kernels::gemm(false, true, s * p, k, c, x.data() + s0 * p * c, parameters()[0].value.data(), col_.data());
    kernels::col2im(g, s, col_.data(), z.data() + s0 * g.in_pixels() * f);
  }
  if (options_.use_bias) {
    detail::UnalignedMatrixMap zm(z.data(), n * g.in_pixels(), f);
    zm.rowwise() += detail::ConstRowVectorMap(parameters()[1].value.data(), f);
  }
  if (!linear) {
    y.resize(out_shape);
    activation_->forward(z.data(), y.data(), n * g.in_pixels(), f);
  }
}

void Conv2DTranspose::backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy,
                               core::Tensor* dx) {
  const auto g = geometry(x.shape());
  const std::int64_t n = x.dim(0), c = x.dim(3), f = options_.filters, p = g.out_pixels(), k = g.taps() * f;
  const std::int64_t out_pixels = g.in_pixels();
  const core::Tensor* dz = &dy;
  if (!activation_->is_linear() && !gradient_is_pre_activation_) {
    dz_.resize(dy.shape());
    activation_->backward(z_.data(), y.data(), dy.data(), dz_.data(), n * out_pixels, f);
    dz = &dz_;
  }
  Parameter& kernel = parameters()[0];
  if (options_.use_bias) {
    detail::RowVectorMap(parameters()[1].grad.data(), f) =
        detail::ConstUnalignedMatrixMap(dz->data(), n * out_pixels, f).colwise().sum();
  }
  if (dx != nullptr) dx->resize(x.shape());
  const std::int64_t chunk =
      std::clamp<std::int64_t>(window_config::kColumnBudget / std::max<std::int64_t>(1, p * k), 1, std::max<std::int64_t>(n, 1));
  col_.resize(core::Shape{std::min(chunk, n) * p, k});
  for (std::int64_t s0 = 0; s0 < n; s0 += chunk) {
    const std::int64_t s = std::min(chunk, n - s0);
    kernels::im2col(g, s, dz->data() + s0 * out_pixels * f, col_.data());
    // kernel (k, c): dkernel = colsᵀ · x; dx = cols · kernel.
    kernels::gemm(true, false, k, c, s * p, col_.data(), x.data() + s0 * p * c, kernel.grad.data(), s0 > 0);
    if (dx != nullptr) kernels::gemm(false, false, s * p, c, k, col_.data(), kernel.value.data(), dx->data() + s0 * p * c);
  }
}

void Conv2DTranspose::add_config(Json& c) const {
  c["filters"] = options_.filters;
  c["kernel_size"] = window_config::tuple_to_json(options_.kernel_size);
  c["strides"] = window_config::tuple_to_json(options_.strides);
  c["padding"] = options_.padding;
  c["output_padding"] = options_.output_padding.empty() ? Json(nullptr) : window_config::tuple_to_json(options_.output_padding);
  c["data_format"] = "channels_last";
  c["dilation_rate"] = window_config::tuple_to_json(options_.dilation_rate);
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
