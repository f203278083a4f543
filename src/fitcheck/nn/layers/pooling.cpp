#include "fitcheck/nn/layers/pooling.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {
namespace {

std::string pooling_class(PoolKind kind, int rank, bool global) {
  return fmt::format("{}{}Pooling{}D", global ? "Global" : "", kind == PoolKind::max ? "Max" : "Average", rank);
}

std::string snake_name(PoolKind kind, int rank) {
  return fmt::format("{}_pooling{}d", kind == PoolKind::max ? "max" : "average", rank);
}


}  // namespace

// ----- windowed pooling -----

Pooling::Pooling(int spatial_rank, PoolKind kind, PoolingOptions options)
    : rank_(spatial_rank), kind_(kind), options_(std::move(options)) {
  set_name(options_.name.empty() ? snake_name(kind_, rank_) : options_.name);
  options_.pool_size = window_config::normalize_tuple(
      options_.pool_size.empty() ? std::vector<std::int64_t>{2} : options_.pool_size, rank_, where(), "pool_size");
  options_.strides = options_.strides.empty()
                         ? options_.pool_size
                         : window_config::normalize_tuple(options_.strides, rank_, where(), "strides");
  options_.padding = window_config::normalize_padding(options_.padding, false, where());
}

std::string Pooling::class_name() const { return pooling_class(kind_, rank_, false); }

PoolingOptions Pooling::options_from_config(const Json& c, int spatial_rank, const std::string& where) {
  window_config::check_data_format(c, where);
  PoolingOptions o;
  o.name = c.value("name", std::string());
  o.pool_size = window_config::get_tuple(c, "pool_size", spatial_rank, where, {});
  o.strides = window_config::get_tuple(c, "strides", spatial_rank, where, {});
  if (c.contains("padding") && !c["padding"].is_null()) {
    if (!c["padding"].is_string()) {
      throw core::ConfigError({.where = where + ": padding", .what = "not a string", .expected = "\"valid\" or \"same\"",
                               .got = c["padding"].dump()});
    }
    o.padding = c["padding"].get<std::string>();
  }
  return o;
}

template <typename T>
std::unique_ptr<Layer> Pooling::from_config_as(const Json& c, int spatial_rank, const char* class_name) {
  const std::string where = std::string(class_name) + " \"" + c.value("name", std::string()) + "\"";
  auto layer = std::make_unique<T>(options_from_config(c, spatial_rank, where));
  layer->apply_base_config(c);
  return layer;
}

std::unique_ptr<Layer> MaxPooling2D::from_config(const Json& c) { return from_config_as<MaxPooling2D>(c, 2, "MaxPooling2D"); }
std::unique_ptr<Layer> AveragePooling2D::from_config(const Json& c) {
  return from_config_as<AveragePooling2D>(c, 2, "AveragePooling2D");
}
std::unique_ptr<Layer> MaxPooling1D::from_config(const Json& c) { return from_config_as<MaxPooling1D>(c, 1, "MaxPooling1D"); }
std::unique_ptr<Layer> AveragePooling1D::from_config(const Json& c) {
  return from_config_as<AveragePooling1D>(c, 1, "AveragePooling1D");
}

core::Shape Pooling::compute_output_shape(const core::Shape& input) const {
  if (input.rank() != rank_ + 2) window_config::throw_rank_error(*this, input, rank_);
  const std::vector<std::int64_t> dilation(static_cast<std::size_t>(rank_), 1);
  auto dims = window_config::spatial_output(*this, input, options_.pool_size, options_.strides, dilation,
                                            options_.padding);
  dims.insert(dims.begin(), input[0]);
  dims.push_back(input[input.rank() - 1]);
  return core::Shape(std::move(dims));
}

void Pooling::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  const std::vector<std::int64_t> dilation(static_cast<std::size_t>(rank_), 1);
  const auto g = window_config::geometry(*this, x.shape(), rank_, options_.pool_size, options_.strides, dilation,
                                         options_.padding);
  const std::int64_t n = x.dim(0);
  std::vector<std::int64_t> dims = {n};
  if (rank_ == 2) dims.push_back(g.h.out);
  dims.push_back(g.w.out);
  dims.push_back(g.channels);
  y.resize(core::Shape(std::move(dims)));
  if (kind_ == PoolKind::max) {
    argmax_.resize(static_cast<std::size_t>(y.size()));
    kernels::max_pool(g, n, x.data(), y.data(), argmax_.data());
  } else {
    kernels::avg_pool(g, n, x.data(), y.data());
  }
}

void Pooling::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  const std::vector<std::int64_t> dilation(static_cast<std::size_t>(rank_), 1);
  const auto g = window_config::geometry(*this, x.shape(), rank_, options_.pool_size, options_.strides, dilation,
                                         options_.padding);
  dx->resize(x.shape());
  if (kind_ == PoolKind::max) {
    kernels::max_pool_backward(g, x.dim(0), dy.data(), argmax_.data(), dx->data());
  } else {
    kernels::avg_pool_backward(g, x.dim(0), dy.data(), dx->data());
  }
}

void Pooling::add_config(Json& c) const {
  c["pool_size"] = window_config::tuple_to_json(options_.pool_size);
  c["padding"] = options_.padding;
  c["strides"] = window_config::tuple_to_json(options_.strides);
  c["data_format"] = "channels_last";
}

// ----- global pooling -----

GlobalPooling::GlobalPooling(int spatial_rank, PoolKind kind, std::string name, bool keepdims)
    : rank_(spatial_rank), kind_(kind), keepdims_(keepdims) {
  set_name(std::move(name));
}

std::string GlobalPooling::class_name() const { return pooling_class(kind_, rank_, true); }

template <typename T>
std::unique_ptr<Layer> GlobalPooling::from_config_as(const Json& c, const char* default_name) {
  auto layer = std::make_unique<T>(c.value("name", std::string(default_name)), false);
  window_config::check_data_format(c, layer->where());
  static_cast<GlobalPooling&>(*layer).keepdims_ = config::get_bool(c, "keepdims", layer->where(), false);
  layer->apply_base_config(c);
  return layer;
}

std::unique_ptr<Layer> GlobalMaxPooling2D::from_config(const Json& c) {
  return from_config_as<GlobalMaxPooling2D>(c, "global_max_pooling2d");
}
std::unique_ptr<Layer> GlobalAveragePooling2D::from_config(const Json& c) {
  return from_config_as<GlobalAveragePooling2D>(c, "global_average_pooling2d");
}
std::unique_ptr<Layer> GlobalMaxPooling1D::from_config(const Json& c) {
  return from_config_as<GlobalMaxPooling1D>(c, "global_max_pooling1d");
}
std::unique_ptr<Layer> GlobalAveragePooling1D::from_config(const Json& c) {
  return from_config_as<GlobalAveragePooling1D>(c, "global_average_pooling1d");
}

core::Shape GlobalPooling::compute_output_shape(const core::Shape& input) const {
  if (input.rank() != rank_ + 2) window_config::throw_rank_error(*this, input, rank_);
  const std::int64_t channels = input[input.rank() - 1];
  if (!keepdims_) return core::Shape{input[0], channels};
  return rank_ == 2 ? core::Shape{input[0], 1, 1, channels} : core::Shape{input[0], 1, channels};
}

void GlobalPooling::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  const std::int64_t n = x.dim(0), c = x.dim(x.rank() - 1);
  const std::int64_t pixels = n * c == 0 ? 0 : x.size() / (n * c);
  y.resize(compute_output_shape(x.shape()));
  if (kind_ == PoolKind::max) argmax_.assign(static_cast<std::size_t>(n * c), 0);
  for (std::int64_t s = 0; s < n; ++s) {
    const float* xs = x.data() + s * pixels * c;
    float* ys = y.data() + s * c;
    if (kind_ == PoolKind::average) {
      std::fill_n(ys, c, 0.0f);
      for (std::int64_t p = 0; p < pixels; ++p) {
        for (std::int64_t k = 0; k < c; ++k) ys[k] += xs[p * c + k];
      }
      const float inv = pixels > 0 ? 1.0f / static_cast<float>(pixels) : 0.0f;
      for (std::int64_t k = 0; k < c; ++k) ys[k] *= inv;
    } else {
      std::int64_t* as = argmax_.data() + s * c;
      std::fill_n(ys, c, -std::numeric_limits<float>::infinity());
      for (std::int64_t p = 0; p < pixels; ++p) {
        for (std::int64_t k = 0; k < c; ++k) {
          const float v = xs[p * c + k];
          if (p == 0 || v > ys[k] || (v != v && ys[k] == ys[k])) {
            ys[k] = v;
            as[k] = p;
          }
        }
      }
    }
  }
}

void GlobalPooling::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  const std::int64_t n = x.dim(0), c = x.dim(x.rank() - 1);
  const std::int64_t pixels = n * c == 0 ? 0 : x.size() / (n * c);
  dx->resize(x.shape());
  for (std::int64_t s = 0; s < n; ++s) {
    float* dxs = dx->data() + s * pixels * c;
    const float* dys = dy.data() + s * c;
    if (kind_ == PoolKind::average) {
      const float inv = pixels > 0 ? 1.0f / static_cast<float>(pixels) : 0.0f;
      for (std::int64_t p = 0; p < pixels; ++p) {
        for (std::int64_t k = 0; k < c; ++k) dxs[p * c + k] = dys[k] * inv;
      }
    } else {
      std::fill_n(dxs, pixels * c, 0.0f);
      const std::int64_t* as = argmax_.data() + s * c;
      for (std::int64_t k = 0; k < c; ++k) dxs[as[k] * c + k] = dys[k];
    }
  }
}

void GlobalPooling::add_config(Json& c) const {
  c["data_format"] = "channels_last";
  c["keepdims"] = keepdims_;
}

}  // namespace fitcheck::nn
