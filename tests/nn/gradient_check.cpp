#include "gradient_check.hpp"

#include <cmath>

#include <fmt/format.h>

#include "fitcheck/core/rng.hpp"

namespace fitcheck::nn::testing {
namespace {

constexpr double kStep = 1e-3;
constexpr double kAbsTol = 3e-3;
constexpr double kRelTol = 3e-2;

void compare(const std::string& what, const core::Tensor& analytic, const std::vector<double>& numeric,
             GradientReport& report) {
  for (std::int64_t i = 0; i < analytic.size(); ++i) {
    const double a = analytic[i], n = numeric[static_cast<std::size_t>(i)];
    const double excess = std::fabs(a - n) - (kAbsTol + kRelTol * std::fabs(n));
    if (excess > report.worst || (!std::isfinite(a) && report.ok)) {
      report.worst = std::isfinite(a) ? excess : INFINITY;
      report.ok = false;
      report.message = fmt::format("{}[{}]: analytic {} vs numeric {}", what, i, a, n);
    }
  }
}

}  // namespace

core::Tensor random_away_from_zero(const core::Shape& shape, std::uint32_t seed, double scale) {
  core::Rng rng(seed);
  core::Tensor t(shape);
  for (auto& v : t.values()) {
    const double mag = rng.uniform(0.1, scale);
    v = static_cast<float>(rng.random_sample() < 0.5 ? -mag : mag);
  }
  return t;
}

GradientReport check_layer_gradients(Layer& layer, const core::Tensor& x_in, bool training, bool check_input) {
  core::Rng build_rng(7);
  core::Shape in_shape = x_in.shape();
  in_shape[0] = core::kUnknownDim;
  layer.build(in_shape, build_rng);
  // Dropout masks must be identical in every evaluation: a fresh Rng with the same seed each time.
  auto run = [&](const core::Tensor& x, core::Tensor& y) {
    core::Rng rng(11);
    layer.forward(x, y, ForwardContext{.training = training, .rng = &rng});
  };
  core::Tensor x = x_in, y;
  run(x, y);
  const core::Tensor r = random_away_from_zero(y.shape(), 99);
  auto objective = [&](const core::Tensor& xx) {
    core::Tensor yy;
    run(xx, yy);
    double s = 0.0;
    for (std::int64_t i = 0; i < yy.size(); ++i) s += static_cast<double>(yy[i]) * r[i];
    return s;
  };
  // Analytic: forward at x (restoring caches), then backward with dy = r.
  run(x, y);
  core::Tensor dx;
  layer.backward(x, y, r, check_input ? &dx : nullptr);
  GradientReport report;
  if (check_input) {
    std::vector<double> numeric(static_cast<std::size_t>(x.size()));
    for (std::int64_t i = 0; i < x.size(); ++i) {
      const float orig = x[i];
      x[i] = static_cast<float>(orig + kStep);
      const double up = objective(x);
      x[i] = static_cast<float>(orig - kStep);
      const double down = objective(x);
      x[i] = orig;
      numeric[static_cast<std::size_t>(i)] = (up - down) / (static_cast<double>(static_cast<float>(orig + kStep)) -
                                                             static_cast<double>(static_cast<float>(orig - kStep)));
    }
    compare("input", dx, numeric, report);
  }
  for (auto& p : layer.parameters()) {
    if (!p.trainable) continue;
    const core::Tensor analytic = p.grad;
    std::vector<double> numeric(static_cast<std::size_t>(p.value.size()));
    // Non-trainable state (BN moving stats) changes in training forwards; restore it after.
    std::vector<core::Tensor> state;
    for (auto& q : layer.parameters()) state.push_back(q.value);
    for (std::int64_t i = 0; i < p.value.size(); ++i) {
      const float orig = p.value[i];
      p.value[i] = static_cast<float>(orig + kStep);
      const double up = objective(x);
      p.value[i] = static_cast<float>(orig - kStep);
      const double down = objective(x);
      p.value[i] = orig;
      numeric[static_cast<std::size_t>(i)] = (up - down) / (static_cast<double>(static_cast<float>(orig + kStep)) -
                                                             static_cast<double>(static_cast<float>(orig - kStep)));
    }
    std::size_t k = 0;
    for (auto& q : layer.parameters()) q.value = state[k++];
    compare(p.name, analytic, numeric, report);
  }
  return report;
}

GradientReport check_loss_gradient(const Loss& loss, const core::Tensor& y_true, const core::Tensor& y_pred_in,
                                   bool logits) {
  core::Tensor y_pred = y_pred_in, grad;
  auto value = [&](const core::Tensor& p, core::Tensor* g) {
    return logits ? loss.compute_from_logits(y_true, p, nullptr, g) : loss.compute(y_true, p, nullptr, g);
  };
  value(y_pred, &grad);
  std::vector<double> numeric(static_cast<std::size_t>(y_pred.size()));
  // Losses are O(1) means of a few values: a smaller step keeps truncation error down near the
  // curved parts of log(p); the loss itself is accumulated in double.
  const double h = 1e-4;
  for (std::int64_t i = 0; i < y_pred.size(); ++i) {
    const float orig = y_pred[i];
    y_pred[i] = static_cast<float>(orig + h);
    const double up = value(y_pred, nullptr);
    y_pred[i] = static_cast<float>(orig - h);
    const double down = value(y_pred, nullptr);
    y_pred[i] = orig;
    numeric[static_cast<std::size_t>(i)] = (up - down) / (static_cast<double>(static_cast<float>(orig + h)) -
                                                           static_cast<double>(static_cast<float>(orig - h)));
  }
  GradientReport report;
  compare(loss.name(), grad, numeric, report);
  return report;
}

}  // namespace fitcheck::nn::testing
