#include "fitcheck/nn/layers/cropping2d.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {

Cropping2D::Cropping2D(std::vector<std::int64_t> cropping, std::string name) : cropping_(std::move(cropping)) {
  set_name(std::move(name));
  FITCHECK_CHECK(cropping_.size() == 4, "Cropping2D takes {top, bottom, left, right}");
  for (auto p : cropping_) {
    if (p < 0) {
      throw core::ConfigError({.where = where() + ": cropping", .what = "cropping cannot be negative",
                               .expected = "integers ≥ 0", .got = window_config::sides_to_json(cropping_).dump()});
    }
  }
}

std::unique_ptr<Layer> Cropping2D::from_config(const Json& c) {
  const std::string name = c.value("name", std::string("cropping2d"));
  const std::string where = "Cropping2D \"" + name + "\"";
  window_config::check_data_format(c, where);
  auto layer = std::make_unique<Cropping2D>(window_config::get_sides(c, "cropping", where, 0), name);
  layer->apply_base_config(c);
  return layer;
}

core::Shape Cropping2D::compute_output_shape(const core::Shape& in) const {
  if (in.rank() != 4) window_config::throw_rank_error(*this, in, 2);
  core::Shape out = in;
  for (int axis = 1; axis <= 2; ++axis) {
    if (in[axis] < 0) continue;
    const std::int64_t removed = cropping_[2 * (axis - 1)] + cropping_[2 * (axis - 1) + 1];
    if (removed >= in[axis]) {
      throw_shape_error(in, fmt::format("more than {} on axis {}", removed, axis),
                        fmt::format("axis {}: cropping {} of {}", axis, removed, in[axis]),
                        "Crop less: the cropping would leave nothing of the image on this axis.");
    }
    out[axis] = in[axis] - removed;
  }
  return out;
}

void Cropping2D::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  y.resize(compute_output_shape(x.shape()));
  const kernels::Block b{.src_h = x.dim(1), .src_w = x.dim(2), .dst_h = y.dim(1), .dst_w = y.dim(2),
                         .channels = x.dim(3), .src_top = cropping_[0], .src_left = cropping_[2], .dst_top = 0,
                         .dst_left = 0, .rows = y.dim(1), .cols = y.dim(2)};
  kernels::copy_block(b, x.dim(0), x.data(), y.data());
}

void Cropping2D::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  dx->resize(x.shape());
  dx->fill(0.0f);
  const kernels::Block b{.src_h = dy.dim(1), .src_w = dy.dim(2), .dst_h = x.dim(1), .dst_w = x.dim(2),
                         .channels = x.dim(3), .src_top = 0, .src_left = 0, .dst_top = cropping_[0],
                         .dst_left = cropping_[2], .rows = dy.dim(1), .cols = dy.dim(2)};
  kernels::copy_block(b, x.dim(0), dy.data(), dx->data());
}

void Cropping2D::add_config(Json& c) const {
  c["cropping"] = window_config::sides_to_json(cropping_);
  c["data_format"] = "channels_last";
}

}  // namespace fitcheck::nn
