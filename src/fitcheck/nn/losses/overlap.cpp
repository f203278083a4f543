// Overlap losses for segmentation: Dice and Tversky (Keras 3, keras/src/losses/losses.py). Their
// `axis` defaults to None: one value over the whole batch, not a per-sample mean.
#include <set>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/losses/loss_family.hpp"

namespace fitcheck::nn::losses {
namespace {

using nlohmann::json;

// A Keras `axis` (None or a list) as the grouping Loss::reduce supports: the last axis, every
// axis of a sample, or the whole batch.
class OverlapLoss : public Loss {
 public:
  explicit OverlapLoss(std::optional<std::vector<std::int64_t>> axis) : axis_(std::move(axis)) {}
  Grouping grouping(std::int64_t rank) const override {
    if (!axis_) return Grouping::Batch;
    std::set<std::int64_t> axes;
    for (auto a : *axis_) axes.insert(a < 0 ? a + rank : a);
    std::set<std::int64_t> sample, all{0};
    for (std::int64_t a = 1; a < rank; ++a) sample.insert(a), all.insert(a);
    if (axes == std::set<std::int64_t>{rank - 1}) return Grouping::LastAxis;
    if (axes == sample) return Grouping::Sample;
    if (axes == all) return Grouping::Batch;
    throw core::ConfigError(
        {.where = "loss \"" + name() + "\"",
         .what = "unsupported axis",
         .expected = fmt::format("None, the last axis, or every axis of a sample (1..{})", rank - 1),
         .got = json(*axis_).dump()});
  }

 protected:
  json axis_config() const { return axis_ ? json(*axis_) : json(nullptr); }

 private:
  std::optional<std::vector<std::int64_t>> axis_;
};

// 1 − 2·Σ y·p / (Σ y + Σ p + ε).
class Dice final : public OverlapLoss {
 public:
  using OverlapLoss::OverlapLoss;
  std::string name() const override { return "dice"; }
  json options() const override { return {{"axis", axis_config()}}; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double inter = 0.0, sum = kEps;
    for (Index c = 0; c < cols; ++c) {
      inter += static_cast<double>(t[c]) * p[c];
      sum += static_cast<double>(t[c]) + p[c];
    }
    if (g) {
      for (Index c = 0; c < cols; ++c) g[c] = static_cast<float>(-2.0 * (t[c] * sum - inter) / (sum * sum));
    }
    return 1.0 - 2.0 * inter / sum;
  }
};

// 1 − I / (I + α·Σ(1 − p)·y + β·Σ p·(1 − y) + ε), I = Σ y·p (α weighs the missed positives and
// β the false positives, with Keras' names).
class Tversky final : public OverlapLoss {
 public:
  Tversky(double alpha, double beta, std::optional<std::vector<std::int64_t>> axis)
      : OverlapLoss(std::move(axis)), alpha_(alpha), beta_(beta) {}
  std::string name() const override { return "tversky"; }
  json options() const override { return {{"alpha", alpha_}, {"beta", beta_}, {"axis", axis_config()}}; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double inter = 0.0, missed = 0.0, extra = 0.0;
    for (Index c = 0; c < cols; ++c) {
      inter += static_cast<double>(t[c]) * p[c];
      missed += (1.0 - p[c]) * t[c];
      extra += static_cast<double>(p[c]) * (1.0 - t[c]);
    }
    const double denom = inter + alpha_ * missed + beta_ * extra + kEps;
    if (g) {
      for (Index c = 0; c < cols; ++c) {
        const double ddenom = t[c] - alpha_ * t[c] + beta_ * (1.0 - t[c]);
        g[c] = static_cast<float>(-(t[c] * denom - inter * ddenom) / (denom * denom));
      }
    }
    return 1.0 - inter / denom;
  }

 private:
  double alpha_, beta_;
};

}  // namespace

std::vector<LossEntry> overlap_losses() {
  return {
      {{"dice", "Dice"}, [](const LossConfig& c) { return std::make_unique<Dice>(c.axes("axis")); }},
      {{"tversky", "Tversky"},
       [](const LossConfig& c) {
         return std::make_unique<Tversky>(c.number("alpha", 0.5), c.number("beta", 0.5), c.axes("axis"));
       }},
  };
}

}  // namespace fitcheck::nn::losses
