#include "fitcheck/nn/layers/zero_padding2d.hpp"

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layers/window_config.hpp"

namespace fitcheck::nn {

ZeroPadding2D::ZeroPadding2D(std::vector<std::int64_t> padding, std::string name) : padding_(std::move(padding)) {
  set_name(std::move(name));
  FITCHECK_CHECK(padding_.size() == 4, "ZeroPadding2D takes {top, bottom, left, right}");
  for (auto p : padding_) {
    if (p < 0) {
      throw core::ConfigError({.where = where() + ": padding", .what = "padding cannot be negative",
                               .expected = "integers ≥ 0", .got = window_config::sides_to_json(padding_).dump()});
    }
  }
}

std::unique_ptr<Layer> ZeroPadding2D::from_config(const Json& c) {
  const std::string name = c.value("name", std::string("zero_padding2d"));
  const std::string where = "ZeroPadding2D \"" + name + "\"";
  window_config::check_data_format(c, where);
  auto layer = std::make_unique<ZeroPadding2D>(window_config::get_sides(c, "padding", where, 1), name);
  layer->apply_base_config(c);
  return layer;
}

core::Shape ZeroPadding2D::compute_output_shape(const core::Shape& in) const {
  if (in.rank() != 4) window_config::throw_rank_error(*this, in, 2);
  auto grow = [](std::int64_t d, std::int64_t by) { return d < 0 ? d : d + by; };
  return core::Shape{in[0], grow(in[1], padding_[0] + padding_[1]), grow(in[2], padding_[2] + padding_[3]), in[3]};
}

void ZeroPadding2D::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  y.resize(compute_output_shape(x.shape()));
  y.fill(0.0f);
  const kernels::Block b{.src_h = x.dim(1), .src_w = x.dim(2), .dst_h = y.dim(1), .dst_w = y.dim(2),
                         .channels = x.dim(3), .src_top = 0, .src_left = 0, .dst_top = padding_[0],
                         .dst_left = padding_[2], .rows = x.dim(1), .cols = x.dim(2)};
  kernels::copy_block(b, x.dim(0), x.data(), y.data());
}

void ZeroPadding2D::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  dx->resize(x.shape());
  const kernels::Block b{.src_h = dy.dim(1), .src_w = dy.dim(2), .dst_h = x.dim(1), .dst_w = x.dim(2),
                         .channels = x.dim(3), .src_top = padding_[0], .src_left = padding_[2], .dst_top = 0,
                         .dst_left = 0, .rows = x.dim(1), .cols = x.dim(2)};
  kernels::copy_block(b, x.dim(0), dy.data(), dx->data());
}

void ZeroPadding2D::add_config(Json& c) const {
  c["padding"] = window_config::sides_to_json(padding_);
  c["data_format"] = "channels_last";
}

}  // namespace fitcheck::nn
