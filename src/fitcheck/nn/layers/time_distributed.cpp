#include "fitcheck/nn/layers/time_distributed.hpp"

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/wrapped_parameters.hpp"
#include "fitcheck/nn/layers/registry.hpp"

namespace fitcheck::nn {
namespace {

// (batch, time, rest...) → (batch·time, rest...), or (None, rest...) for shapes with None.
core::Shape merge_time(const core::Shape& s) {
  auto dims = s.dims();
  dims[0] = dims[0] == core::kUnknownDim || dims[1] == core::kUnknownDim ? core::kUnknownDim : dims[0] * dims[1];
  dims.erase(dims.begin() + 1);
  return core::Shape(dims);
}

core::Shape split_time(const core::Shape& s, std::int64_t batch, std::int64_t time) {
  auto dims = s.dims();
  dims[0] = batch;
  dims.insert(dims.begin() + 1, time);
  return core::Shape(dims);
}

}  // namespace

TimeDistributed::TimeDistributed(std::unique_ptr<Layer> layer) : layer_(std::move(layer)) {
  if (layer_ == nullptr) {
    throw core::ConfigError({.where = "TimeDistributed: layer", .what = "no layer to wrap"});
  }
}

std::unique_ptr<Layer> TimeDistributed::from_config(const Json& c) {
  const std::string where = "TimeDistributed \"" + c.value("name", std::string("time_distributed")) + "\"";
  if (!c.contains("layer") || !c["layer"].is_object()) {
    throw core::ConfigError({.where = where + ": layer", .what = "missing the wrapped layer",
                             .expected = "{\"class_name\": \"Dense\", \"config\": {...}}"});
  }
  auto layer = std::make_unique<TimeDistributed>(layer_from_config(c["layer"], where + ": layer"));
  layer->apply_base_config(c);
  return layer;
}

core::Shape TimeDistributed::compute_output_shape(const core::Shape& input) const {
  if (input.rank() < 3) {
    throw_shape_error(input, "rank 3 or more: (batch, timesteps, ...)", "rank " + std::to_string(input.rank()),
                      "TimeDistributed applies its layer to each step of axis 1; give the input a time axis, or use "
                      "the layer without the wrapper.");
  }
  core::Shape step_out;
  try {
    step_out = layer_->compute_output_shape(merge_time(input));
  } catch (const core::ShapeError& e) {
    auto d = e.detail();
    d.where = where() + ": " + d.where;
    throw core::ShapeError(d);
  }
  return split_time(step_out, input[0], input[1]);
}

void TimeDistributed::create_parameters(const core::Shape& input, core::Rng& rng) {
  layer_->build(merge_time(input), rng);
  for (auto& p : layer_->parameters()) {
    Parameter& own = add_parameter(p.name, p.value.shape(), "zeros", rng, p.trainable);
    std::swap(own.value, p.value);
    std::swap(own.grad, p.grad);
  }
}

void TimeDistributed::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  const std::int64_t b = x.dim(0), t = x.dim(1);
  xs_ = x;
  xs_.reshape(merge_time(x.shape()));
  {
    detail::LentParameters lend(parameters(), 0, layer_->parameters());
    layer_->forward(xs_, ys_, ctx);
  }
  y = ys_;
  y.reshape(split_time(ys_.shape(), b, t));
  // The loss may work on the logits of the wrapped layer's activation (Sequential's logits path).
  const core::Tensor* z = layer_->output_activation() != "linear" ? layer_->pre_activation() : nullptr;
  has_pre_activation_ = z != nullptr;
  if (has_pre_activation_) {
    pre_ = *z;
    pre_.reshape(split_time(z->shape(), b, t));
  }
}

void TimeDistributed::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy, core::Tensor* dx) {
  dys_ = dy;
  dys_.reshape(ys_.shape());
  layer_->set_gradient_is_pre_activation(gradient_is_pre_activation_);
  {
    detail::LentParameters lend(parameters(), 0, layer_->parameters());
    layer_->backward(xs_, ys_, dys_, dx != nullptr ? &dxs_ : nullptr);
  }
  layer_->set_gradient_is_pre_activation(false);
  if (dx != nullptr) {
    *dx = dxs_;
    dx->reshape(x.shape());
  }
}

void TimeDistributed::add_config(Json& c) const { c["layer"] = layer_to_config(*layer_); }

}  // namespace fitcheck::nn
