// Probabilistic losses: the cross-entropies (binary, categorical, sparse, focal, generalized),
// Kullback-Leibler divergence and Poisson. Keras 3's formulas (keras/src/losses/losses.py and the
// TensorFlow backend's nn.py); probabilities are clipped to [ε, 1 − ε] where Keras clips them.
#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/losses/loss_family.hpp"

namespace fitcheck::nn::losses {
namespace {

using nlohmann::json;

// The class index a sparse label names, or an InputError saying what the label should be.
Index checked_label(const std::string& loss, float v, Index cols) {
  const auto label = static_cast<Index>(std::lround(v));
  if (!std::isfinite(v) || static_cast<float>(label) != v || label < 0 || label >= cols) {
    throw core::InputError(
        {.where = "loss \"" + loss + "\"",
         .what = "a label is not a class index of the output",
         .expected = "an integer in [0, " + std::to_string(cols) + ")",
         .got = std::to_string(v),
         .hint = cols == 1 ? "The output has one unit: use binary_crossentropy for two classes."
                           : "Encode the classes as 0..n_classes-1 and give the last layer n_classes units."});
  }
  return label;
}

// softmax(z) into q.
void softmax(const float* z, Index cols, std::vector<double>& q) {
  q.resize(static_cast<std::size_t>(cols));
  double m = z[0];
  for (Index c = 1; c < cols; ++c) m = std::max(m, static_cast<double>(z[c]));
  double sum = 0.0;
  for (Index c = 0; c < cols; ++c) sum += q[c] = std::exp(z[c] - m);
  for (auto& v : q) v /= sum;
}

// g ← dL/dz from dL/dq for q = softmax(z): q ⊙ (dL/dq − q·dL/dq).
void softmax_backward(const std::vector<double>& q, const std::vector<double>& gq, Index cols, float* g) {
  double dot = 0.0;
  for (Index c = 0; c < cols; ++c) dot += gq[c] * q[c];
  for (Index c = 0; c < cols; ++c) g[c] = static_cast<float>(q[c] * (gq[c] - dot));
}

class BinaryCrossentropy final : public Loss {
 public:
  BinaryCrossentropy(bool from_logits, double label_smoothing)
      : from_logits_(from_logits), smoothing_(label_smoothing) {}
  std::string name() const override { return "binary_crossentropy"; }
  json options() const override { return {{"from_logits", from_logits_}, {"label_smoothing", smoothing_}}; }
  bool uses_logits_of(const std::string& activation) const override { return !from_logits_ && activation == "sigmoid"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    if (from_logits_) return sample_logits(t, p, cols, g);
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double y = smooth(t[c]);
      const double q = clip_probability(p[c]);
      s += -(y * std::log(q) + (1.0 - y) * std::log(1.0 - q));
      if (g) {
        const bool clipped = p[c] < kEps || p[c] > 1.0 - kEps;
        g[c] = clipped ? 0.0f : static_cast<float>((-(y / q) + (1.0 - y) / (1.0 - q)) / static_cast<double>(cols));
      }
    }
    return s / static_cast<double>(cols);
  }
  double sample_logits(const float* t, const float* z, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double y = smooth(t[c]), x = z[c];
      s += std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::fabs(x)));
      if (g) g[c] = static_cast<float>((sigmoid(x) - y) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }

 private:
  double smooth(double y) const { return y * (1.0 - smoothing_) + 0.5 * smoothing_; }
  bool from_logits_;
  double smoothing_;
};

// Softmax cross-entropy on logits, for one-hot (or soft) label vectors: lse·Σy − Σ y·z.
double softmax_xent_logits(const float* y, const float* z, Index cols, float* g) {
  double m = z[0];
  for (Index c = 1; c < cols; ++c) m = std::max(m, static_cast<double>(z[c]));
  double sum = 0.0;
  for (Index c = 0; c < cols; ++c) sum += std::exp(z[c] - m);
  const double lse = m + std::log(sum);
  double ysum = 0.0, s = 0.0;
  for (Index c = 0; c < cols; ++c) {
    ysum += y[c];
    s -= y[c] * (z[c] - lse);
  }
  if (g) {
    for (Index c = 0; c < cols; ++c) g[c] = static_cast<float>(std::exp(z[c] - lse) * ysum - y[c]);
  }
  return s;
}

class CategoricalCrossentropy final : public Loss {
 public:
  CategoricalCrossentropy(bool from_logits, double label_smoothing)
      : from_logits_(from_logits), smoothing_(label_smoothing) {}
  std::string name() const override { return "categorical_crossentropy"; }
  json options() const override { return {{"from_logits", from_logits_}, {"label_smoothing", smoothing_}}; }
  bool uses_logits_of(const std::string& activation) const override { return !from_logits_ && activation == "softmax"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    if (from_logits_) return sample_logits(t, p, cols, g);
    // Keras: p ← p/Σp, clip to [ε, 1−ε], −Σ y·log p.
    double total = 0.0;
    for (Index c = 0; c < cols; ++c) total += p[c];
    double s = 0.0, gq_dot_q = 0.0;
    std::vector<double> gq(static_cast<std::size_t>(g ? cols : 0));
    for (Index c = 0; c < cols; ++c) {
      const double y = smooth(t[c], cols);
      const double q = p[c] / total;
      const double qc = clip_probability(q);
      s -= y * std::log(qc);
      if (g) {
        gq[c] = (q < kEps || q > 1.0 - kEps) ? 0.0 : -y / qc;
        gq_dot_q += gq[c] * q;
      }
    }
    if (g) {
      for (Index c = 0; c < cols; ++c) g[c] = static_cast<float>((gq[c] - gq_dot_q) / total);
    }
    return s;
  }
  double sample_logits(const float* t, const float* z, Index cols, float* g) const override {
    if (smoothing_ == 0.0) return softmax_xent_logits(t, z, cols, g);
    std::vector<float> y(t, t + cols);
    for (auto& v : y) v = static_cast<float>(smooth(v, cols));
    return softmax_xent_logits(y.data(), z, cols, g);
  }

 private:
  double smooth(double y, Index cols) const { return y * (1.0 - smoothing_) + smoothing_ / static_cast<double>(cols); }
  bool from_logits_;
  double smoothing_;
};

class SparseCategoricalCrossentropy final : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(bool from_logits) : from_logits_(from_logits) {}
  std::string name() const override { return "sparse_categorical_crossentropy"; }
  json options() const override { return {{"from_logits", from_logits_}}; }
  bool sparse_labels() const override { return true; }
  bool uses_logits_of(const std::string& activation) const override { return !from_logits_ && activation == "softmax"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    if (from_logits_) return sample_logits(t, p, cols, g);
    // Keras: logits = log(clip(p, ε, 1−ε)), then softmax cross-entropy (implicit renormalisation).
    const Index label = checked_label(name(), t[0], cols);
    double sum = 0.0;
    for (Index c = 0; c < cols; ++c) sum += clip_probability(p[c]);
    const double s = -std::log(clip_probability(p[label]) / sum);
    if (g) {
      for (Index c = 0; c < cols; ++c) {
        const double pc = clip_probability(p[c]);
        const double dlogit = pc / sum - (c == label ? 1.0 : 0.0);
        const bool clipped = p[c] < kEps || p[c] > 1.0 - kEps;
        g[c] = clipped ? 0.0f : static_cast<float>(dlogit / p[c]);
      }
    }
    return s;
  }
  double sample_logits(const float* t, const float* z, Index cols, float* g) const override {
    const Index label = checked_label(name(), t[0], cols);
    double m = z[0];
    for (Index c = 1; c < cols; ++c) m = std::max(m, static_cast<double>(z[c]));
    double sum = 0.0;
    for (Index c = 0; c < cols; ++c) sum += std::exp(z[c] - m);
    const double lse = m + std::log(sum);
    if (g) {
      for (Index c = 0; c < cols; ++c) g[c] = static_cast<float>(std::exp(z[c] - lse) - (c == label ? 1.0 : 0.0));
    }
    return lse - z[label];
  }

 private:
  bool from_logits_;
};

class KLDivergence final : public Loss {
 public:
  std::string name() const override { return "kl_divergence"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double y = std::clamp(static_cast<double>(t[c]), kEps, 1.0);
      const double q = std::clamp(static_cast<double>(p[c]), kEps, 1.0);
      s += y * std::log(y / q);
      if (g) g[c] = (p[c] < kEps || p[c] > 1.0) ? 0.0f : static_cast<float>(-y / q);
    }
    return s;
  }
};

// mean(p − y·log(p + ε)). Nothing clips p: a negative rate (a linear output) gives log of a
// negative number, NaN, as in Keras.
class Poisson final : public Loss {
 public:
  std::string name() const override { return "poisson"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double rate = static_cast<double>(p[c]) + kEps;
      s += p[c] - t[c] * std::log(rate);
      if (g) g[c] = static_cast<float>((1.0 - t[c] / rate) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }
};

// Binary cross-entropy times the focal factor (1 − p_t)^γ, p_t = y·p + (1 − y)(1 − p), optionally
// times α for class 1 and 1 − α for class 0; mean over the last axis. On probabilities the
// cross-entropy term is the clipped one and p_t uses the unclipped p; on logits (from_logits, or a
// sigmoid output as Keras' TensorFlow backend reads it) the cross-entropy is the exact logit form.
class BinaryFocalCrossentropy final : public Loss {
 public:
  struct Options {
    bool apply_class_balancing = false;
    double alpha = 0.25, gamma = 2.0;
    bool from_logits = false;
    double label_smoothing = 0.0;
  };
  explicit BinaryFocalCrossentropy(Options o) : o_(o) {}
  std::string name() const override { return "binary_focal_crossentropy"; }
  json options() const override { return {{"apply_class_balancing", o_.apply_class_balancing},
                                {"alpha", o_.alpha},
                                {"gamma", o_.gamma},
                                {"from_logits", o_.from_logits},
                                {"label_smoothing", o_.label_smoothing},
                                {"axis", -1}}; }
  bool uses_logits_of(const std::string& activation) const override {
    return !o_.from_logits && activation == "sigmoid";
  }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    if (o_.from_logits) return sample_logits(t, p, cols, g);
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double y = smooth(t[c]), prob = p[c];
      const double q = clip_probability(prob);
      const double bce = -(y * std::log(q) + (1.0 - y) * std::log(1.0 - q));
      const bool clipped = prob < kEps || prob > 1.0 - kEps;
      const double dbce = clipped ? 0.0 : -(y / q) + (1.0 - y) / (1.0 - q);
      s += term(y, prob, bce, dbce, 1.0, g ? &g[c] : nullptr);
    }
    if (g)
      for (Index c = 0; c < cols; ++c) g[c] /= static_cast<float>(cols);
    return s / static_cast<double>(cols);
  }
  double sample_logits(const float* t, const float* z, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double y = smooth(t[c]), x = z[c];
      const double prob = sigmoid(x);
      const double bce = std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::fabs(x)));
      // dbce/dz = σ(z) − y; the focal factor's derivative goes through dp/dz = p(1 − p).
      s += term(y, prob, bce, prob - y, prob * (1.0 - prob), g ? &g[c] : nullptr);
    }
    if (g)
      for (Index c = 0; c < cols; ++c) g[c] /= static_cast<float>(cols);
    return s / static_cast<double>(cols);
  }

 private:
  // weight · (1 − p_t)^γ · bce, and into g its derivative with respect to the input (a probability
  // or a logit), from dbce = d bce/d input and dp = d p/d input; the caller divides by the columns.
  double term(double y, double prob, double bce, double dbce, double dp, float* g) const {
    const double base = 1.0 - (y * prob + (1.0 - y) * (1.0 - prob));
    const double focal = std::pow(base, o_.gamma);
    const double w = o_.apply_class_balancing ? y * o_.alpha + (1.0 - y) * (1.0 - o_.alpha) : 1.0;
    if (g) {
      const double dfocal = o_.gamma == 0.0 ? 0.0 : o_.gamma * std::pow(base, o_.gamma - 1.0) * (1.0 - 2.0 * y);
      *g = static_cast<float>(w * (dfocal * dp * bce + focal * dbce));
    }
    return w * focal * bce;
  }
  double smooth(double y) const { return y * (1.0 - o_.label_smoothing) + 0.5 * o_.label_smoothing; }
  Options o_;
};

// Σ_c α_c·(1 − o_c)^γ·(−y_c·log o_c) with o = clip(p/Σp) (after a softmax when from_logits);
// α is one number or one per class. Keras computes it on the probabilities even after a softmax.
class CategoricalFocalCrossentropy final : public Loss {
 public:
  struct Options {
    std::vector<double> alpha{0.25};
    double gamma = 2.0;
    bool from_logits = false;
    double label_smoothing = 0.0;
  };
  explicit CategoricalFocalCrossentropy(Options o) : o_(std::move(o)) {}
  std::string name() const override { return "categorical_focal_crossentropy"; }
  json options() const override { return {{"alpha", o_.alpha.size() == 1 ? json(o_.alpha[0]) : json(o_.alpha)},
                                {"gamma", o_.gamma},
                                {"from_logits", o_.from_logits},
                                {"label_smoothing", o_.label_smoothing},
                                {"axis", -1}}; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    if (o_.alpha.size() != 1 && static_cast<Index>(o_.alpha.size()) != cols) {
      throw core::ConfigError({.where = "loss \"categorical_focal_crossentropy\"",
                               .what = "alpha does not match the classes",
                               .expected = fmt::format("one number, or {} (one per output unit)", cols),
                               .got = fmt::format("{} values", o_.alpha.size())});
    }
    std::vector<double> q;
    if (o_.from_logits) {
      softmax(p, cols, q);
    } else {
      q.assign(p, p + cols);
    }
    std::vector<double> gq(static_cast<std::size_t>(g ? cols : 0));
    double total = 0.0;
    for (double v : q) total += v;
    double s = 0.0, go_dot_o = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double y = t[c] * (1.0 - o_.label_smoothing) + o_.label_smoothing / static_cast<double>(cols);
      const double a = o_.alpha.size() == 1 ? o_.alpha[0] : o_.alpha[static_cast<std::size_t>(c)];
      const double o = q[c] / total;
      const double oc = clip_probability(o);
      const double ce = -y * std::log(oc);
      const double modulating = std::pow(1.0 - oc, o_.gamma);
      s += a * modulating * ce;
      if (g) {
        const bool clipped = o < kEps || o > 1.0 - kEps;
        const double dmod = o_.gamma == 0.0 ? 0.0 : -o_.gamma * std::pow(1.0 - oc, o_.gamma - 1.0);
        gq[c] = clipped ? 0.0 : a * (dmod * ce + modulating * (-y / oc));
        go_dot_o += gq[c] * o;
      }
    }
    if (g) {
      // Through o = q/Σq, then (from_logits) through the softmax.
      for (auto& v : gq) v = (v - go_dot_o) / total;
      if (o_.from_logits) {
        softmax_backward(q, gq, cols, g);
      } else {
        for (Index c = 0; c < cols; ++c) g[c] = static_cast<float>(gq[c]);
      }
    }
    return s;
  }

 private:
  Options o_;
};

// (1 − p_y^q)/q with p_y the predicted probability of the labelled class (an integer label per
// sample, like sparse_categorical_crossentropy); nothing is clipped.
class CategoricalGeneralizedCrossEntropy final : public Loss {
 public:
  explicit CategoricalGeneralizedCrossEntropy(double q) : q_(q) {}
  std::string name() const override { return "categorical_generalized_cross_entropy"; }
  json options() const override { return {{"q", q_}}; }
  bool sparse_labels() const override { return true; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    const Index label = checked_label(name(), t[0], cols);
    const double py = p[label];
    if (g) {
      for (Index c = 0; c < cols; ++c) g[c] = 0.0f;
      g[label] = static_cast<float>(-std::pow(py, q_ - 1.0));
    }
    return (1.0 - std::pow(py, q_)) / q_;
  }

 private:
  double q_;
};

}  // namespace

std::vector<LossEntry> probabilistic_losses() {
  return {
      {{"binary_crossentropy", "bce", "BCE", "BinaryCrossentropy"},
       [](const LossConfig& c) {
         return std::make_unique<BinaryCrossentropy>(c.flag("from_logits", false), c.number("label_smoothing", 0.0));
       }},
      {{"categorical_crossentropy", "cce", "CategoricalCrossentropy"},
       [](const LossConfig& c) {
         return std::make_unique<CategoricalCrossentropy>(c.flag("from_logits", false),
                                                          c.number("label_smoothing", 0.0));
       }},
      {{"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
       [](const LossConfig& c) {
         return std::make_unique<SparseCategoricalCrossentropy>(c.flag("from_logits", false));
       }},
      {{"kl_divergence", "kld", "KLD", "kullback_leibler_divergence", "KLDivergence"},
       [](const LossConfig&) { return std::make_unique<KLDivergence>(); }},
      {{"poisson", "Poisson"}, [](const LossConfig&) { return std::make_unique<Poisson>(); }},
      {{"binary_focal_crossentropy", "BinaryFocalCrossentropy"},
       [](const LossConfig& c) {
         return std::make_unique<BinaryFocalCrossentropy>(
             BinaryFocalCrossentropy::Options{.apply_class_balancing = c.flag("apply_class_balancing", false),
                                              .alpha = c.number("alpha", 0.25),
                                              .gamma = c.number("gamma", 2.0),
                                              .from_logits = c.flag("from_logits", false),
                                              .label_smoothing = c.number("label_smoothing", 0.0)});
       }},
      {{"categorical_focal_crossentropy", "CategoricalFocalCrossentropy"},
       [](const LossConfig& c) {
         return std::make_unique<CategoricalFocalCrossentropy>(
             CategoricalFocalCrossentropy::Options{.alpha = c.numbers("alpha", {0.25}),
                                                   .gamma = c.number("gamma", 2.0),
                                                   .from_logits = c.flag("from_logits", false),
                                                   .label_smoothing = c.number("label_smoothing", 0.0)});
       }},
      {{"categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy"},
       [](const LossConfig& c) {
         const double q = c.number("q", 0.5);
         if (!(q > 0.0 && q < 1.0))
           c.fail("q", "q must be in the interval (0, 1)", "a number strictly between 0 and 1");
         return std::make_unique<CategoricalGeneralizedCrossEntropy>(q);
       }},
  };
}

}  // namespace fitcheck::nn::losses
