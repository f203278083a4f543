#include "fitcheck/nn/layers/reshape.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {

Reshape::Reshape(core::Shape target_shape, std::string name) : target_(std::move(target_shape)) {
  set_name(std::move(name));
  int unknown = 0;
  for (auto d : target_.dims()) {
    if (d == -1) ++unknown;
    if (d < -1 || d == 0) {
      throw core::ConfigError({.where = where() + ": target_shape", .what = "invalid dimension",
                               .expected = "positive sizes and at most one -1", .got = target_.str()});
    }
  }
  if (unknown > 1) {
    throw core::ConfigError({.where = where() + ": target_shape", .what = "more than one -1 axis",
                             .expected = "at most one inferred axis", .got = target_.str()});
  }
}

std::unique_ptr<Layer> Reshape::from_config(const Json& c) {
  const std::string name = c.value("name", std::string("reshape"));
  if (!c.contains("target_shape") || !c["target_shape"].is_array()) {
    throw core::ConfigError({.where = "Reshape \"" + name + "\": target_shape", .what = "missing target shape",
                             .expected = "a list such as [28, 28, 1]", .got = c.dump()});
  }
  std::vector<std::int64_t> dims;
  for (const auto& d : c["target_shape"]) dims.push_back(d.is_number_integer() ? d.get<std::int64_t>() : 0);
  auto layer = std::make_unique<Reshape>(core::Shape(dims), name);
  layer->apply_base_config(c);
  return layer;
}

core::Shape Reshape::compute_output_shape(const core::Shape& input) const {
  std::int64_t in = 1;
  bool known = true;
  for (int i = 1; i < input.rank(); ++i) {
    if (input[i] < 0) known = false; else in *= input[i];
  }
  std::vector<std::int64_t> out{input.rank() > 0 ? input[0] : core::kUnknownDim};
  std::int64_t fixed = 1;
  for (auto d : target_.dims()) {
    if (d > 0) fixed *= d;
  }
  for (auto d : target_.dims()) {
    if (d == -1) {
      if (!known) {
        out.push_back(core::kUnknownDim);
      } else if (in % fixed != 0) {
        throw_shape_error(input, fmt::format("a per-sample size divisible by {}", fixed), "all sample axes",
                          fmt::format("{} values per sample cannot be reshaped to {}.", in, target_.str()));
      } else {
        out.push_back(in / fixed);
      }
    } else {
      out.push_back(d);
    }
  }
  core::Shape result(out);
  const bool has_unknown = std::find(target_.dims().begin(), target_.dims().end(), -1) != target_.dims().end();
  if (known && !has_unknown && in != fixed) {
    throw_shape_error(input, fmt::format("{} values per sample (to reshape to {})", fixed, target_.str()),
                      "all sample axes",
                      fmt::format("Each sample has {} values; choose a target_shape with the same product, or -1 "
                                  "for one axis.",
                                  in));
  }
  return result;
}

void Reshape::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  core::Shape out = compute_output_shape(x.shape());
  out[0] = x.dim(0);
  y = x;
  y.reshape(out);
}

void Reshape::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  *dx = dy;
  dx->reshape(x.shape());
}

void Reshape::add_config(Json& c) const { c["target_shape"] = target_.dims(); }

}  // namespace fitcheck::nn
