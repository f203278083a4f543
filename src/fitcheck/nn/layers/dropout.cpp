#include "fitcheck/nn/layers/dropout.hpp"

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {

Dropout::Dropout(DropoutOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "dropout" : options_.name);
  if (!(options_.rate >= 0.0 && options_.rate < 1.0)) {
    throw core::ConfigError({.where = where() + ": rate", .what = "dropout rate out of range",
                             .expected = "0 ≤ rate < 1", .got = std::to_string(options_.rate),
                             .hint = "A rate of 1 drops every value; use a rate such as 0.2–0.5."});
  }
}

std::unique_ptr<Layer> Dropout::from_config(const Json& c) {
  DropoutOptions o;
  o.name = c.value("name", std::string("dropout"));
  o.rate = config::get_double(c, "rate", "Dropout \"" + o.name + "\"", 0.0);
  auto layer = std::make_unique<Dropout>(o);
  layer->apply_base_config(c);
  return layer;
}

core::Shape Dropout::compute_output_shape(const core::Shape& input) const { return input; }

void Dropout::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  mask_active_ = ctx.training && options_.rate > 0.0;
  y = x;
  if (!mask_active_) return;
  FITCHECK_CHECK(ctx.rng != nullptr, "Dropout needs an Rng in training");
  mask_.resize(x.shape());
  const float keep_scale = static_cast<float>(1.0 / (1.0 - options_.rate));
  for (std::int64_t i = 0; i < x.size(); ++i) {
    mask_[i] = ctx.rng->random_sample() >= options_.rate ? keep_scale : 0.0f;
    y[i] *= mask_[i];
  }
}

void Dropout::backward(const core::Tensor&, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  if (dx == nullptr) return;
  *dx = dy;
  if (!mask_active_) return;
  for (std::int64_t i = 0; i < dy.size(); ++i) (*dx)[i] *= mask_[i];
}

void Dropout::add_config(Json& c) const {
  c["rate"] = options_.rate;
  c["seed"] = nullptr;
  c["noise_shape"] = nullptr;
}

}  // namespace fitcheck::nn
