// Hinge losses for "maximum-margin" classification: hinge, squared hinge, categorical hinge.
// Keras 3's formulas (keras/src/losses/losses.py).
#include "fitcheck/nn/losses/loss_family.hpp"

namespace fitcheck::nn::losses {
namespace {

using nlohmann::json;

// Keras reads hinge labels as −1/1 and converts 0/1 labels to −1/1 (2y − 1) — only when every
// label of the batch is 0 or 1; otherwise they are used as they are (a 0 then has no margin).
class SignedLabelLoss : public Loss {
 protected:
  const core::Tensor& prepared_labels(const core::Tensor& y, core::Tensor& storage) const override {
    for (std::int64_t i = 0; i < y.size(); ++i) {
      if (y[i] != 0.0f && y[i] != 1.0f) return y;
    }
    storage = y;
    for (auto& v : storage.values()) v = 2.0f * v - 1.0f;
    return storage;
  }
};

// mean(max(1 − y·p, 0)).
class Hinge final : public SignedLabelLoss {
 public:
  std::string name() const override { return "hinge"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double margin = 1.0 - static_cast<double>(t[c]) * p[c];
      s += std::max(margin, 0.0);
      if (g) g[c] = margin > 0.0 ? static_cast<float>(-t[c] / static_cast<double>(cols)) : 0.0f;
    }
    return s / static_cast<double>(cols);
  }
};

// mean(max(1 − y·p, 0)²).
class SquaredHinge final : public SignedLabelLoss {
 public:
  std::string name() const override { return "squared_hinge"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double margin = std::max(1.0 - static_cast<double>(t[c]) * p[c], 0.0);
      s += margin * margin;
      if (g) g[c] = static_cast<float>(-2.0 * margin * t[c] / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }
};

// max(neg − pos + 1, 0) with pos = Σ y·p (the labelled class's score) and neg = max((1 − y)·p)
// (the best other score), for one-hot labels; one value per sample, not a mean.
class CategoricalHinge final : public Loss {
 public:
  std::string name() const override { return "categorical_hinge"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double pos = 0.0, neg = -INFINITY;
    Index arg = 0;
    for (Index c = 0; c < cols; ++c) {
      pos += static_cast<double>(t[c]) * p[c];
      const double other = (1.0 - t[c]) * p[c];
      if (other > neg) {
        neg = other;
        arg = c;
      }
    }
    const double margin = neg - pos + 1.0;
    if (g) {
      for (Index c = 0; c < cols; ++c) {
        g[c] = margin > 0.0 ? static_cast<float>(-t[c] + (c == arg ? 1.0 - t[c] : 0.0)) : 0.0f;
      }
    }
    return std::max(margin, 0.0);
  }
};

}  // namespace

std::vector<LossEntry> hinge_losses() {
  return {
      {{"hinge", "Hinge"}, [](const LossConfig&) { return std::make_unique<Hinge>(); }},
      {{"squared_hinge", "SquaredHinge"}, [](const LossConfig&) { return std::make_unique<SquaredHinge>(); }},
      {{"categorical_hinge", "CategoricalHinge"},
       [](const LossConfig&) { return std::make_unique<CategoricalHinge>(); }},
  };
}

}  // namespace fitcheck::nn::losses
