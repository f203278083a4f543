#include "fitcheck/nn/layers/up_sampling2d.hpp"

#include <algorithm>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {

UpSampling2D::UpSampling2D(std::vector<std::int64_t> size, std::string name) {
  set_name(std::move(name));
  size_ = window_config::normalize_tuple(std::move(size), 2, where(), "size");
}

std::unique_ptr<Layer> UpSampling2D::from_config(const Json& c) {
  const std::string name = c.value("name", std::string("up_sampling2d"));
  const std::string where = "UpSampling2D \"" + name + "\"";
  window_config::check_data_format(c, where);
  if (c.contains("interpolation") && !c["interpolation"].is_null() && c["interpolation"] != "nearest") {
    throw core::ConfigError({.where = where + ": interpolation", .what = "only nearest-neighbour upsampling is supported",
                             .expected = "\"nearest\"", .got = c["interpolation"].dump()});
  }
  auto layer = std::make_unique<UpSampling2D>(window_config::get_tuple(c, "size", 2, where, {2, 2}), name);
  layer->apply_base_config(c);
  return layer;
}

core::Shape UpSampling2D::compute_output_shape(const core::Shape& in) const {
  if (in.rank() != 4) window_config::throw_rank_error(*this, in, 2);
  auto up = [](std::int64_t d, std::int64_t s) { return d < 0 ? d : d * s; };
  return core::Shape{in[0], up(in[1], size_[0]), up(in[2], size_[1]), in[3]};
}

void UpSampling2D::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  y.resize(compute_output_shape(x.shape()));
  const std::int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
  const std::int64_t sh = size_[0], sw = size_[1], ow = w * sw;
  for (std::int64_t s = 0; s < n; ++s) {
    for (std::int64_t i = 0; i < h; ++i) {
      const float* row = x.data() + ((s * h + i) * w) * c;
      float* first = y.data() + ((s * h * sh + i * sh) * ow) * c;
      for (std::int64_t j = 0; j < w; ++j) {
        for (std::int64_t r = 0; r < sw; ++r) std::copy_n(row + j * c, c, first + (j * sw + r) * c);
      }
      for (std::int64_t r = 1; r < sh; ++r) std::copy_n(first, ow * c, first + r * ow * c);
    }
  }
}

void UpSampling2D::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  dx->resize(x.shape());
  dx->fill(0.0f);
  const std::int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
  const std::int64_t sh = size_[0], sw = size_[1], oh = h * sh, ow = w * sw;
  for (std::int64_t s = 0; s < n; ++s) {
    for (std::int64_t i = 0; i < oh; ++i) {
      float* drow = dx->data() + ((s * h + i / sh) * w) * c;
      const float* g = dy.data() + ((s * oh + i) * ow) * c;
      for (std::int64_t j = 0; j < ow; ++j) {
        float* d = drow + (j / sw) * c;
        for (std::int64_t k = 0; k < c; ++k) d[k] += g[j * c + k];
      }
    }
  }
}

void UpSampling2D::add_config(Json& c) const {
  c["size"] = window_config::tuple_to_json(size_);
  c["data_format"] = "channels_last";
  c["interpolation"] = "nearest";
}

}  // namespace fitcheck::nn
