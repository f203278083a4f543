// Regression losses: mean squared / absolute error, Huber, log-cosh, MAPE, MSLE, cosine similarity.
// Each is Keras 3's formula (keras/src/losses/losses.py), the mean over the last axis unless said.
#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/losses/loss_family.hpp"

namespace fitcheck::nn::losses {
namespace {

using nlohmann::json;

class MeanSquaredError final : public Loss {
 public:
  std::string name() const override { return "mean_squared_error"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double e = static_cast<double>(p[c]) - t[c];
      s += e * e;
      if (g) g[c] = static_cast<float>(2.0 * e / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }
};

class MeanAbsoluteError final : public Loss {
 public:
  std::string name() const override { return "mean_absolute_error"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double e = static_cast<double>(p[c]) - t[c];
      s += std::fabs(e);
      if (g) g[c] = static_cast<float>(sign(e) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }
};

class Huber final : public Loss {
 public:
  explicit Huber(double delta) : delta_(delta) {}
  std::string name() const override { return "huber_loss"; }
  json options() const override { return {{"delta", delta_}}; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double e = static_cast<double>(p[c]) - t[c];
      const double a = std::fabs(e);
      s += a <= delta_ ? 0.5 * e * e : delta_ * (a - 0.5 * delta_);
      if (g) g[c] = static_cast<float>((a <= delta_ ? e : delta_ * sign(e)) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }

 private:
  double delta_;
};

// log(cosh(x)) for x = p − y, as Keras writes it without overflow: x + softplus(−2x) − log 2.
class LogCosh final : public Loss {
 public:
  std::string name() const override { return "log_cosh"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double x = static_cast<double>(p[c]) - t[c];
      const double z = -2.0 * x;
      const double softplus = z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
      s += x + softplus - std::log(2.0);
      if (g) g[c] = static_cast<float>(std::tanh(x) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }
};

// 100 · mean(|y − p| / max(|y|, ε)): a label of 0 divides by 1e-7.
class MeanAbsolutePercentageError final : public Loss {
 public:
  std::string name() const override { return "mean_absolute_percentage_error"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double e = static_cast<double>(p[c]) - t[c];
      const double denom = std::max(std::fabs(static_cast<double>(t[c])), kEps);
      s += std::fabs(e) / denom;
      if (g) g[c] = static_cast<float>(100.0 * sign(e) / denom / static_cast<double>(cols));
    }
    return 100.0 * s / static_cast<double>(cols);
  }
};

// mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))²): predictions and labels below ε count as ε, so a
// prediction below ε gets no gradient.
class MeanSquaredLogarithmicError final : public Loss {
 public:
  std::string name() const override { return "mean_squared_logarithmic_error"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double q = std::max(static_cast<double>(p[c]), kEps);
      const double d = std::log(q + 1.0) - std::log(std::max(static_cast<double>(t[c]), kEps) + 1.0);
      s += d * d;
      if (g) g[c] = p[c] >= kEps ? static_cast<float>(2.0 * d / (q + 1.0) / static_cast<double>(cols)) : 0.0f;
    }
    return s / static_cast<double>(cols);
  }
};

// −Σ ŷ·p̂ over the last axis, x̂ = x / max(‖x‖, ε) (Keras 3's normalize). Not a mean: a value in [−1, 1].
class CosineSimilarity final : public Loss {
 public:
  explicit CosineSimilarity(std::int64_t axis) : axis_(axis) {}
  std::string name() const override { return "cosine_similarity"; }
  Grouping grouping(std::int64_t rank) const override {
    if (axis_ != -1 && axis_ != rank - 1) {
      throw core::ConfigError({.where = "loss \"cosine_similarity\"",
                               .what = "unsupported axis",
                               .expected = fmt::format("the last axis (-1 or {})", rank - 1),
                               .got = std::to_string(axis_),
                               .hint = "Only similarity along the features axis is supported."});
    }
    return Grouping::LastAxis;
  }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double tt = 0.0, pp = 0.0, tp = 0.0;
    for (Index c = 0; c < cols; ++c) {
      tt += static_cast<double>(t[c]) * t[c];
      pp += static_cast<double>(p[c]) * p[c];
      tp += static_cast<double>(t[c]) * p[c];
    }
    const double nt = std::max(std::sqrt(tt), kEps), np = std::max(std::sqrt(pp), kEps);
    const double cosine = tp / (nt * np);
    if (g) {
      // d(ŷ·p/‖p‖)/dp = (ŷ − (ŷ·p̂)·p̂)/‖p‖ while ‖p‖ > ε; below, p̂ = p/ε is linear in p.
      const bool clamped = std::sqrt(pp) <= kEps;
      for (Index c = 0; c < cols; ++c) {
        const double ty = t[c] / nt;
        const double d = clamped ? ty / kEps : (ty - cosine * p[c] / np) / np;
        g[c] = static_cast<float>(-d);
      }
    }
    return -cosine;
  }

 private:
  std::int64_t axis_;
};

std::int64_t single_axis(const LossConfig& cfg) {
  const auto axes = cfg.axes("axis");
  if (!axes) return -1;
  if (axes->size() != 1) cfg.fail("axis", "unsupported axis", "one axis, the last (-1)");
  return axes->front();
}

}  // namespace

std::vector<LossEntry> regression_losses() {
  return {
      {{"mean_squared_error", "mse", "MSE", "MeanSquaredError"},
       [](const LossConfig&) { return std::make_unique<MeanSquaredError>(); }},
      {{"mean_absolute_error", "mae", "MAE", "MeanAbsoluteError"},
       [](const LossConfig&) { return std::make_unique<MeanAbsoluteError>(); }},
      {{"huber_loss", "huber", "Huber"},
       [](const LossConfig& c) { return std::make_unique<Huber>(c.number("delta", 1.0)); }},
      {{"log_cosh", "logcosh", "LogCosh"}, [](const LossConfig&) { return std::make_unique<LogCosh>(); }},
      {{"mean_absolute_percentage_error", "mape", "MAPE", "MeanAbsolutePercentageError"},
       [](const LossConfig&) { return std::make_unique<MeanAbsolutePercentageError>(); }},
      {{"mean_squared_logarithmic_error", "msle", "MSLE", "MeanSquaredLogarithmicError"},
       [](const LossConfig&) { return std::make_unique<MeanSquaredLogarithmicError>(); }},
      // cosine_proximity / cosine: Keras <= 2.3's names of the same function.
      {{"cosine_similarity", "CosineSimilarity", "cosine_proximity", "cosine"},
       [](const LossConfig& c) { return std::make_unique<CosineSimilarity>(single_axis(c)); }},
  };
}

}  // namespace fitcheck::nn::losses
