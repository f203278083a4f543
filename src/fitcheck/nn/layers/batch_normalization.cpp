#include "fitcheck/nn/layers/batch_normalization.hpp"

#include <cmath>
#include <vector>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/eigen_map.hpp"
#include "fitcheck/nn/initializer.hpp"
#include "fitcheck/nn/layers/normalization_axis.hpp"

namespace fitcheck::nn {

BatchNormalization::BatchNormalization(BatchNormalizationOptions options) : options_(std::move(options)) {
  set_name(options_.name.empty() ? "batch_normalization" : options_.name);
  if (!(options_.epsilon > 0.0)) {
    throw core::ConfigError({.where = where() + ": epsilon", .what = "epsilon must be positive",
                             .expected = "> 0", .got = std::to_string(options_.epsilon)});
  }
}

std::unique_ptr<Layer> BatchNormalization::from_config(const Json& c) {
  BatchNormalizationOptions o;
  o.name = c.value("name", std::string("batch_normalization"));
  const std::string where = "BatchNormalization \"" + o.name + "\"";
  o.axis = NormalizationAxis::from_config(c, where).axis;
  o.momentum = config::get_double(c, "momentum", where, 0.99);
  o.epsilon = config::get_double(c, "epsilon", where, 1e-3);
  o.center = config::get_bool(c, "center", where, true);
  o.scale = config::get_bool(c, "scale", where, true);
  for (auto [key, field] : {std::pair{"beta_initializer", &o.beta_initializer},
                            std::pair{"gamma_initializer", &o.gamma_initializer},
                            std::pair{"moving_mean_initializer", &o.moving_mean_initializer},
                            std::pair{"moving_variance_initializer", &o.moving_variance_initializer}}) {
    if (c.contains(key) && !c[key].is_null()) *field = c[key];
  }
  auto layer = std::make_unique<BatchNormalization>(o);
  layer->apply_base_config(c);
  return layer;
}

core::Shape BatchNormalization::compute_output_shape(const core::Shape& input) const {
  if (!NormalizationAxis{options_.axis}.is_last(input)) {
    throw_shape_error(input, "the normalised axis to be the last one", "axis " + std::to_string(options_.axis),
                      "fitcheck normalises the last axis only: move that axis last (channels_last).");
  }
  if (input.rank() < 2 || input[input.rank() - 1] < 0) {
    throw_shape_error(input, "(None, ..., channels) with a known last axis", "axis -1",
                      "Give the data a feature axis: reshape to (samples, features).");
  }
  if (built() && input[input.rank() - 1] != input_shape()[input_shape().rank() - 1]) {
    throw_shape_error(input, "last axis " + std::to_string(input_shape()[input_shape().rank() - 1]), "axis -1",
                      "The layer was built for a different number of channels.");
  }
  return input;
}

void BatchNormalization::create_parameters(const core::Shape& input, core::Rng& rng) {
  const std::int64_t c = input[input.rank() - 1];
  if (options_.scale) add_parameter("gamma", core::Shape{c}, options_.gamma_initializer, rng);
  if (options_.center) add_parameter("beta", core::Shape{c}, options_.beta_initializer, rng);
  add_parameter("moving_mean", core::Shape{c}, options_.moving_mean_initializer, rng, false);
  add_parameter("moving_variance", core::Shape{c}, options_.moving_variance_initializer, rng, false);
}

const float* BatchNormalization::gamma() const {
  return options_.scale ? parameters()[0].value.data() : nullptr;
}

float* BatchNormalization::moving(const char* name) { return find_parameter(name)->value.data(); }

void BatchNormalization::forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) {
  const std::int64_t c = detail::last_axis(x), n = detail::leading_rows(x);
  used_batch_stats_ = ctx.training && trainable();
  y.resize(x.shape());
  x_hat_.resize(x.shape());
  inv_std_.resize(core::Shape{c});
  const auto xm = detail::as_matrix(x);
  auto hat = detail::as_matrix(x_hat_);
  std::vector<float> mean(static_cast<std::size_t>(c)), var(static_cast<std::size_t>(c));
  float* mm = moving("moving_mean");
  float* mv = moving("moving_variance");
  if (used_batch_stats_) {
    // Moments in double: one pass of sums in float loses digits for large batches.
    Eigen::RowVectorXd sum = xm.cast<double>().colwise().sum();
    Eigen::RowVectorXd mu = sum / static_cast<double>(std::max<std::int64_t>(n, 1));
    Eigen::RowVectorXd sq = (xm.cast<double>().rowwise() - mu).array().square().colwise().sum();
    const float m = static_cast<float>(options_.momentum);
    for (std::int64_t j = 0; j < c; ++j) {
      mean[j] = static_cast<float>(mu(j));
      var[j] = static_cast<float>(sq(j) / static_cast<double>(std::max<std::int64_t>(n, 1)));
      mm[j] = mm[j] * m + mean[j] * (1.0f - m);
      mv[j] = mv[j] * m + var[j] * (1.0f - m);
    }
  } else {
    for (std::int64_t j = 0; j < c; ++j) {
      mean[j] = mm[j];
      var[j] = mv[j];
    }
  }
  for (std::int64_t j = 0; j < c; ++j) {
    inv_std_[j] = 1.0f / std::sqrt(var[j] + static_cast<float>(options_.epsilon));
  }
  const detail::ConstRowVectorMap mu(mean.data(), c), inv(inv_std_.data(), c);
  hat = (xm.rowwise() - mu).array().rowwise() * inv.array();
  auto ym = detail::as_matrix(y);
  ym = hat;
  if (options_.scale) ym.array().rowwise() *= detail::ConstRowVectorMap(gamma(), c).array();
  if (options_.center) ym.rowwise() += detail::ConstRowVectorMap(find_parameter("beta")->value.data(), c);
}

void BatchNormalization::backward(const core::Tensor& x, const core::Tensor&, const core::Tensor& dy,
                                  core::Tensor* dx) {
  const std::int64_t c = detail::last_axis(x), n = detail::leading_rows(x);
  const auto dym = detail::as_matrix(dy);
  const auto hat = detail::as_matrix(x_hat_);
  if (options_.scale) {
    detail::RowVectorMap(parameters()[0].grad.data(), c) = (dym.array() * hat.array()).colwise().sum();
  }
  if (options_.center) {
    detail::RowVectorMap(find_parameter("beta")->grad.data(), c) = dym.colwise().sum();
  }
  if (dx == nullptr) return;
  dx->resize(x.shape());
  auto dxm = detail::as_matrix(*dx);
  Eigen::RowVectorXf g = options_.scale ? Eigen::RowVectorXf(detail::ConstRowVectorMap(gamma(), c))
                                        : Eigen::RowVectorXf::Ones(c);
  const detail::ConstRowVectorMap inv(inv_std_.data(), c);
  const Eigen::RowVectorXf scale = g.array() * inv.array();
  if (!used_batch_stats_) {
    dxm = dym.array().rowwise() * scale.array();
    return;
  }
  // dx = γ·inv/N · (N·dy − Σdy − x̂·Σ(dy·x̂)), per channel.
  const Eigen::RowVectorXf sum_dy = dym.colwise().sum();
  const Eigen::RowVectorXf sum_dy_hat = (dym.array() * hat.array()).colwise().sum();
  const float inv_n = 1.0f / static_cast<float>(n);
  dxm = ((dym.rowwise() - sum_dy * inv_n).array() - hat.array().rowwise() * (sum_dy_hat * inv_n).array())
            .rowwise() *
        scale.array();
}

void BatchNormalization::add_config(Json& c) const {
  c["axis"] = -1;
  c["momentum"] = options_.momentum;
  c["epsilon"] = options_.epsilon;
  c["center"] = options_.center;
  c["scale"] = options_.scale;
  c["beta_initializer"] = initializer_to_json(options_.beta_initializer);
  c["gamma_initializer"] = initializer_to_json(options_.gamma_initializer);
  c["moving_mean_initializer"] = initializer_to_json(options_.moving_mean_initializer);
  c["moving_variance_initializer"] = initializer_to_json(options_.moving_variance_initializer);
  for (const char* k : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) c[k] = nullptr;
}

}  // namespace fitcheck::nn
