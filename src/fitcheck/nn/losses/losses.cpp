// The loss functions and their Keras names (one table at the end).
#include <algorithm>
#include <cmath>
#include <functional>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/names.hpp"
#include "fitcheck/nn/losses/loss.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;
using nlohmann::json;
constexpr double kEps = kKerasEpsilon;

double clip_probability(double p) { return std::clamp(p, kEps, 1.0 - kEps); }

double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x)); }

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
      if (g) g[c] = static_cast<float>((e > 0 ? 1.0 : e < 0 ? -1.0 : 0.0) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }
};

class Huber final : public Loss {
 public:
  explicit Huber(double delta) : delta_(delta) {}
  std::string name() const override { return "huber_loss"; }
  json get_config() const override { return {{"name", "huber_loss"}, {"delta", delta_}, {"reduction", "sum_over_batch_size"}}; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      const double e = static_cast<double>(p[c]) - t[c];
      const double a = std::fabs(e);
      s += a <= delta_ ? 0.5 * e * e : delta_ * (a - 0.5 * delta_);
      if (g) g[c] = static_cast<float>((a <= delta_ ? e : delta_ * (e > 0 ? 1.0 : -1.0)) / static_cast<double>(cols));
    }
    return s / static_cast<double>(cols);
  }

 private:
  double delta_;
};

class BinaryCrossentropy final : public Loss {
 public:
  BinaryCrossentropy(bool from_logits, double label_smoothing) : from_logits_(from_logits), smoothing_(label_smoothing) {}
  std::string name() const override { return "binary_crossentropy"; }
  json get_config() const override {
    return {{"name", name()}, {"from_logits", from_logits_}, {"label_smoothing", smoothing_}, {"reduction", "sum_over_batch_size"}};
  }
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
  CategoricalCrossentropy(bool from_logits, double label_smoothing) : from_logits_(from_logits), smoothing_(label_smoothing) {}
  std::string name() const override { return "categorical_crossentropy"; }
  json get_config() const override {
    return {{"name", name()}, {"from_logits", from_logits_}, {"label_smoothing", smoothing_}, {"reduction", "sum_over_batch_size"}};
  }
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
  json get_config() const override { return {{"name", name()}, {"from_logits", from_logits_}, {"reduction", "sum_over_batch_size"}}; }
  bool sparse_labels() const override { return true; }
  bool uses_logits_of(const std::string& activation) const override { return !from_logits_ && activation == "softmax"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    if (from_logits_) return sample_logits(t, p, cols, g);
    // Keras: logits = log(clip(p, ε, 1−ε)), then softmax cross-entropy (implicit renormalisation).
    const Index label = checked_label(t[0], cols);
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
    const Index label = checked_label(t[0], cols);
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
  Index checked_label(float v, Index cols) const {
    const auto label = static_cast<Index>(std::lround(v));
    if (!std::isfinite(v) || static_cast<float>(label) != v || label < 0 || label >= cols) {
      throw core::InputError({.where = "loss \"sparse_categorical_crossentropy\"",
                              .what = "a label is not a class index of the output",
                              .expected = "an integer in [0, " + std::to_string(cols) + ")",
                              .got = std::to_string(v),
                              .hint = cols == 1 ? "The output has one unit: use binary_crossentropy for two classes."
                                                : "Encode the classes as 0..n_classes-1 and give the last layer n_classes units."});
    }
    return label;
  }
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

class Hinge final : public Loss {
 public:
  std::string name() const override { return "hinge"; }
  double sample(const float* t, const float* p, Index cols, float* g) const override {
    double s = 0.0;
    for (Index c = 0; c < cols; ++c) {
      // Keras maps {0, 1} labels to {−1, 1}; per value here (a 0 label is never a valid ±1 label).
      const double y = t[c] == 0.0f ? -1.0 : static_cast<double>(t[c]);
      const double margin = 1.0 - y * p[c];
      s += std::max(margin, 0.0);
      if (g) g[c] = margin > 0.0 ? static_cast<float>(-y / static_cast<double>(cols)) : 0.0f;
    }
    return s / static_cast<double>(cols);
  }
};

struct Options {
  bool from_logits = false;
  double label_smoothing = 0.0;
  double delta = 1.0;
};

using Factory = std::function<std::unique_ptr<Loss>(const Options&)>;

struct Entry {
  std::vector<std::string> names;  // canonical first; then aliases (class names included)
  Factory make;
};

const std::vector<Entry>& table() {
  static const std::vector<Entry> t = {
      {{"mean_squared_error", "mse", "MeanSquaredError"}, [](const Options&) { return std::make_unique<MeanSquaredError>(); }},
      {{"mean_absolute_error", "mae", "MeanAbsoluteError"}, [](const Options&) { return std::make_unique<MeanAbsoluteError>(); }},
      {{"huber_loss", "huber", "Huber"}, [](const Options& o) { return std::make_unique<Huber>(o.delta); }},
      {{"binary_crossentropy", "BinaryCrossentropy", "bce"},
       [](const Options& o) { return std::make_unique<BinaryCrossentropy>(o.from_logits, o.label_smoothing); }},
      {{"categorical_crossentropy", "CategoricalCrossentropy", "cce"},
       [](const Options& o) { return std::make_unique<CategoricalCrossentropy>(o.from_logits, o.label_smoothing); }},
      {{"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
       [](const Options& o) { return std::make_unique<SparseCategoricalCrossentropy>(o.from_logits); }},
      {{"kl_divergence", "kld", "KLD", "kullback_leibler_divergence", "KLDivergence"},
       [](const Options&) { return std::make_unique<KLDivergence>(); }},
      {{"hinge", "Hinge"}, [](const Options&) { return std::make_unique<Hinge>(); }},
  };
  return t;
}

}  // namespace

std::vector<std::string> loss_names() {
  std::vector<std::string> names;
  for (const auto& e : table()) names.insert(names.end(), e.names.begin(), e.names.end());
  return names;
}

std::unique_ptr<Loss> make_loss(const json& spec, const std::string& where) {
  std::string name;
  Options options;
  if (spec.is_string()) {
    name = spec.get<std::string>();
  } else if (spec.is_object() && spec.contains("class_name") && spec["class_name"].is_string()) {
    name = spec["class_name"].get<std::string>();
    const json cfg = spec.contains("config") && spec["config"].is_object() ? spec["config"] : json::object();
    auto read = [&](const char* key, auto& field) {
      if (!cfg.contains(key) || cfg[key].is_null()) return;
      using T = std::decay_t<decltype(field)>;
      const bool ok = std::is_same_v<T, bool> ? cfg[key].is_boolean() : cfg[key].is_number();
      if (!ok) {
        throw core::ConfigError({.where = where + ".config." + key, .what = "wrong type",
                                 .expected = std::is_same_v<T, bool> ? "true or false" : "a number", .got = cfg[key].dump()});
      }
      field = cfg[key].get<T>();
    };
    read("from_logits", options.from_logits);
    read("label_smoothing", options.label_smoothing);
    read("delta", options.delta);
  } else {
    throw core::ConfigError({.where = where, .what = "not a loss", .expected = "a loss name or {\"class_name\", \"config\"}",
                             .got = spec.dump()});
  }
  const std::string key = detail::normalized_key(name);
  for (const auto& e : table()) {
    for (const auto& n : e.names) {
      if (detail::normalized_key(n) == key) return e.make(options);
    }
  }
  throw core::ConfigError({.where = where, .what = "unknown loss \"" + name + "\"",
                           .hint = detail::did_you_mean(name, loss_names())});
}

}  // namespace fitcheck::nn
