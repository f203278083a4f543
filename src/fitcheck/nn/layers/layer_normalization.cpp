#include "fitcheck/nn/layers/layer_normalization.hpp"

#include <cmath>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/layers/normalization_axis.hpp"

namespace fitcheck::nn {

LayerNormalization::LayerNormalization(LayerNormalizationOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "layer_normalization" : options_.name);
  if (!(options_.epsilon > 0.0)) {
    throw core::ConfigError({.where = where() + ": epsilon", .what = "epsilon must be positive",
                             .expected = "> 0", .got = std::to_string(options_.epsilon)});
  }
}

std::unique_ptr<Layer> LayerNormalization::from_config(const Json& c) {
  LayerNormalizationOptions o;
  o.name = c.value("name", std::string("layer_normalization"));
  const std::string where = "LayerNormalization \"" + o.name + "\"";
  o.axis = NormalizationAxis::from_config(c, where).axis;
  o.epsilon = config::get_double(c, "epsilon", where, 1e-3);
  o.center = config::get_bool(c, "center", where, true);
  o.scale = config::get_bool(c, "scale", where, true);
  if (c.contains("beta_initializer") && !c["beta_initializer"].is_null()) o.beta_initializer = c["beta_initializer"];
  if (c.contains("gamma_initializer") && !c["gamma_initializer"].is_null()) o.gamma_initializer = c["gamma_initializer"];
  auto layer = std::make_unique<LayerNormalization>(o);
  layer->apply_base_config(c);
  return layer;
}

core::Shape LayerNormalization::compute_output_shape(const core::Shape& input) const {
  if (!NormalizationAxis{options_.axis}.is_last(input)) {
    throw_shape_error(input, "the normalised axis to be the last one", "axis " + std::to_string(options_.axis),
                      "fitcheck normalises the last axis only: move that axis last (channels_last).");
  }
  if (input.rank() < 2 || input[input.rank() - 1] < 0) {
    throw_shape_error(input, "(None, ..., features) with a known last axis", "axis -1",
                      "Give the data a feature axis: reshape to (samples, features).");
  }
  if (built() && input[input.rank() - 1] != input_shape()[input_shape().rank() - 1]) {
    throw_shape_error(input, "last axis " + std::to_string(input_shape()[input_shape().rank() - 1]), "axis -1",
                      "The layer was built for a different number of features.");
  }
  return input;
}

void LayerNormalization::create_parameters(const core::Shape& input, core::Rng& rng) {
  const std::int64_t c = input[input.rank() - 1];
  if (options_.scale) add_parameter("gamma", core::Shape{c}, options_.gamma_initializer, rng);
  if (options_.center) add_parameter("beta", core::Shape{c}, options_.beta_initializer, rng);
}

void LayerNormalization::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext&) {
  const std::int64_t c = detail::last_axis(x), n = detail::leading_rows(x);
  y.resize(x.shape());
  x_hat_.resize(x.shape());
  inv_std_.resize(core::Shape{n});
  const auto xm = detail::as_matrix(x);
  auto hat = detail::as_matrix(x_hat_);
  const float eps = static_cast<float>(options_.epsilon);
  for (std::int64_t r = 0; r < n; ++r) {
    const float mu = xm.row(r).mean();
    const float var = (xm.row(r).array() - mu).square().mean();
    inv_std_[r] = 1.0f / std::sqrt(var + eps);
    hat.row(r) = (xm.row(r).array() - mu) * inv_std_[r];
  }
  auto ym = detail::as_matrix(y);
  ym = hat;
  if (options_.scale) ym.array().rowwise() *= detail::ConstRowVectorMap(find_parameter("gamma")->value.data(), c).array();
  if (options_.center) ym.rowwise() += detail::ConstRowVectorMap(find_parameter("beta")->value.data(), c);
}

void LayerNormalization::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy,
                                  core::Tensor* dx) {
  const std::int64_t c = detail::last_axis(x), n = detail::leading_rows(x);
  const auto dym = detail::as_matrix(dy);
  const auto hat = detail::as_matrix(x_hat_);
  if (options_.scale) {
    detail::RowVectorMap(find_parameter("gamma")->grad.data(), c) = (dym.array() * hat.array()).colwise().sum();
  }
  if (options_.center) detail::RowVectorMap(find_parameter("beta")->grad.data(), c) = dym.colwise().sum();
  if (dx == nullptr) return;
  dx->resize(x.shape());
  auto dxm = detail::as_matrix(*dx);
  const Eigen::RowVectorXf g = options_.scale
                                   ? Eigen::RowVectorXf(detail::ConstRowVectorMap(find_parameter("gamma")->value.data(), c))
                                   : Eigen::RowVectorXf::Ones(c);
  const float inv_c = 1.0f / static_cast<float>(c);
  for (std::int64_t r = 0; r < n; ++r) {
    // dx̂ = dy·γ; dx = inv/C · (C·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)).
    const Eigen::RowVectorXf dhat = dym.row(r).array() * g.array();
    const float s1 = dhat.sum() * inv_c;
    const float s2 = (dhat.array() * hat.row(r).array()).sum() * inv_c;
    dxm.row(r) = (dhat.array() - s1 - hat.row(r).array() * s2) * inv_std_[r];
  }
}

void LayerNormalization::add_config(Json& c) const {
  c["axis"] = -1;
  c["epsilon"] = options_.epsilon;
  c["center"] = options_.center;
  c["scale"] = options_.scale;
  c["rms_scaling"] = false;
  c["beta_initializer"] = initializer_to_json(options_.beta_initializer);
  c["gamma_initializer"] = initializer_to_json(options_.gamma_initializer);
  for (const char* k : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) c[k] = nullptr;
}

}  // namespace fitcheck::nn
