// The metric implementations and their Keras names (table at the end).
#include <algorithm>
#include <cmath>
#include <functional>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/names.hpp"
#include "fitcheck/nn/losses/loss.hpp"
#include "fitcheck/nn/metrics/metric.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;
using nlohmann::json;

Index cols_of(const core::Tensor& t) { return t.rank() == 0 ? 1 : t.dim(t.rank() - 1); }

enum class AccuracyKind { Auto, Binary, Categorical, Sparse };

class Accuracy final : public Metric {
 public:
  Accuracy(std::string name, AccuracyKind kind, double threshold = 0.5)
      : Metric(std::move(name)), kind_(kind), threshold_(threshold) {}
  void reset() override { correct_ = count_ = 0; }
  void update(const core::Tensor& y_true, const core::Tensor& y_pred) override {
    AccuracyKind kind = kind_;
    const Index pc = cols_of(y_pred);
    if (kind == AccuracyKind::Auto) {
      // Keras: binary if the output has one column; sparse if the labels have lower rank or one
      // column against several outputs; else categorical.
      const bool sparse = y_true.rank() < y_pred.rank() || (cols_of(y_true) == 1 && pc > 1);
      kind = pc == 1 ? AccuracyKind::Binary : sparse ? AccuracyKind::Sparse : AccuracyKind::Categorical;
    }
    const Index rows = pc == 0 ? 0 : y_pred.size() / pc;
    for (Index r = 0; r < rows; ++r) {
      const float* p = y_pred.data() + r * pc;
      bool hit = false;
      if (kind == AccuracyKind::Binary) {
        for (Index c = 0; c < pc; ++c) {
          const float t = y_true[r * pc + c];
          correct_ += (t == (p[c] > threshold_ ? 1.0f : 0.0f)) ? 1 : 0;
          ++count_;
        }
        continue;
      }
      const Index arg = std::max_element(p, p + pc) - p;
      if (kind == AccuracyKind::Sparse) {
        hit = static_cast<Index>(std::lround(y_true[r])) == arg;
      } else {
        const float* t = y_true.data() + r * pc;
        hit = (std::max_element(t, t + pc) - t) == arg;
      }
      correct_ += hit ? 1 : 0;
      ++count_;
    }
  }
  double result() const override { return count_ == 0 ? 0.0 : static_cast<double>(correct_) / static_cast<double>(count_); }

 private:
  AccuracyKind kind_;
  double threshold_;
  Index correct_ = 0, count_ = 0;
};

// Confusion counts at thresholds (pred > threshold is positive), over all values flattened.
class ConfusionAtThresholds {
 public:
  explicit ConfusionAtThresholds(std::vector<double> thresholds) : thresholds_(std::move(thresholds)) { reset(); }
  void reset() {
    const auto n = thresholds_.size();
    tp_.assign(n, 0.0); fp_.assign(n, 0.0); tn_.assign(n, 0.0); fn_.assign(n, 0.0);
  }
  void update(const core::Tensor& y_true, const core::Tensor& y_pred) {
    const Index n = std::min(y_true.size(), y_pred.size());
    for (Index i = 0; i < n; ++i) {
      const bool positive = y_true[i] > 0.5f;
      const double p = y_pred[i];
      for (std::size_t k = 0; k < thresholds_.size(); ++k) {
        const bool predicted = p > thresholds_[k];
        (positive ? (predicted ? tp_ : fn_) : (predicted ? fp_ : tn_))[k] += 1.0;
      }
    }
  }
  const std::vector<double>& thresholds() const { return thresholds_; }
  std::vector<double> tp_, fp_, tn_, fn_;

 private:
  std::vector<double> thresholds_;
};

double divide_no_nan(double a, double b) { return b == 0.0 ? 0.0 : a / b; }

class Auc final : public Metric {
 public:
  Auc(std::string name, int num_thresholds) : Metric(std::move(name)), counts_(keras_thresholds(num_thresholds)) {}
  void reset() override { counts_.reset(); }
  void update(const core::Tensor& y_true, const core::Tensor& y_pred) override { counts_.update(y_true, y_pred); }
  double result() const override {
    // ROC with Keras' "interpolation" summation: trapezoids between consecutive thresholds.
    const auto n = counts_.thresholds().size();
    double area = 0.0;
    for (std::size_t k = 0; k + 1 < n; ++k) {
      const double tpr0 = divide_no_nan(counts_.tp_[k], counts_.tp_[k] + counts_.fn_[k]);
      const double tpr1 = divide_no_nan(counts_.tp_[k + 1], counts_.tp_[k + 1] + counts_.fn_[k + 1]);
      const double fpr0 = divide_no_nan(counts_.fp_[k], counts_.fp_[k] + counts_.tn_[k]);
      const double fpr1 = divide_no_nan(counts_.fp_[k + 1], counts_.fp_[k + 1] + counts_.tn_[k + 1]);
      area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2.0;
    }
    return area;
  }

 private:
  // Keras: [−ε, 1/(n−1), 2/(n−1), ..., (n−2)/(n−1), 1+ε].
  static std::vector<double> keras_thresholds(int n) {
    std::vector<double> t{-kKerasEpsilonMetric};
    for (int i = 1; i <= n - 2; ++i) t.push_back(static_cast<double>(i) / static_cast<double>(n - 1));
    t.push_back(1.0 + kKerasEpsilonMetric);
    return t;
  }
  static constexpr double kKerasEpsilonMetric = 1e-7;
  ConfusionAtThresholds counts_;
};

class PrecisionRecall final : public Metric {
 public:
  PrecisionRecall(std::string name, bool precision, double threshold)
      : Metric(std::move(name)), precision_(precision), counts_({threshold}) {}
  void reset() override { counts_.reset(); }
  void update(const core::Tensor& y_true, const core::Tensor& y_pred) override { counts_.update(y_true, y_pred); }
  double result() const override {
    const double tp = counts_.tp_[0];
    return divide_no_nan(tp, tp + (precision_ ? counts_.fp_[0] : counts_.fn_[0]));
  }

 private:
  bool precision_;
  ConfusionAtThresholds counts_;
};

enum class ErrorKind { Mae, Mse, Rmse };

class ErrorMetric final : public Metric {
 public:
  ErrorMetric(std::string name, ErrorKind kind) : Metric(std::move(name)), kind_(kind) {}
  void reset() override { sum_ = 0.0; count_ = 0; }
  void update(const core::Tensor& y_true, const core::Tensor& y_pred) override {
    const Index n = std::min(y_true.size(), y_pred.size());
    for (Index i = 0; i < n; ++i) {
      const double e = static_cast<double>(y_pred[i]) - y_true[i];
      sum_ += kind_ == ErrorKind::Mae ? std::fabs(e) : e * e;
    }
    count_ += n;
  }
  double result() const override {
    const double mean = count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
    return kind_ == ErrorKind::Rmse ? std::sqrt(mean) : mean;
  }
  bool higher_is_better() const override { return false; }

 private:
  ErrorKind kind_;
  double sum_ = 0.0;
  Index count_ = 0;
};

// A loss used as a metric, as Keras accepts them (MeanMetricWrapper): the mean of the loss's
// per-sample values over the epoch, unweighted. `sign` −1 turns cosine_similarity's loss (−cos)
// into Keras' CosineSimilarity metric (+cos). Computed on the output as given (probabilities are
// clipped; no logits path).
class LossMetric final : public Metric {
 public:
  LossMetric(std::string name, std::unique_ptr<Loss> loss, double sign)
      : Metric(std::move(name)), loss_(std::move(loss)), sign_(sign) {}
  void reset() override { sum_ = 0.0; count_ = 0; }
  void update(const core::Tensor& y_true, const core::Tensor& y_pred) override {
    const Index rank = y_pred.rank();
    const auto group = loss_->grouping(rank);
    const Index values = group == Loss::Grouping::Batch    ? 1
                         : group == Loss::Grouping::Sample ? (rank == 0 ? 1 : y_pred.dim(0))
                         : cols_of(y_pred) == 0            ? 0
                                                           : y_pred.size() / cols_of(y_pred);
    if (values == 0) return;
    sum_ += sign_ * loss_->compute(y_true, y_pred, nullptr, nullptr) * static_cast<double>(values);
    count_ += values;
  }
  double result() const override { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }
  bool higher_is_better() const override { return sign_ < 0; }

 private:
  std::unique_ptr<Loss> loss_;
  double sign_;
  double sum_ = 0.0;
  Index count_ = 0;
};

using MetricFactory = std::function<std::unique_ptr<Metric>(const std::string& name, const json& config)>;
struct Entry {
  std::vector<std::string> names;
  std::string log_name;  // name used for class-style identifiers ({"class_name": "AUC"} → "auc")
  MetricFactory make;
};

double config_number(const json& c, const char* key, double fallback) {
  return c.contains(key) && c[key].is_number() ? c[key].get<double>() : fallback;
}

// The metric of the loss `loss`, configured by the metric's config (from_logits, axis, ...).
MetricFactory loss_metric(const std::string& loss, double sign = 1.0) {
  return [loss, sign](const std::string& n, const json& c) {
    return std::make_unique<LossMetric>(n, make_loss(json{{"class_name", loss}, {"config", c}}, "metric \"" + n + "\""), sign);
  };
}

const std::vector<Entry>& metric_table() {
  static const std::vector<Entry> t = {
      {{"accuracy", "acc"}, "accuracy", [](const std::string& n, const json& c) {
         return std::make_unique<Accuracy>(n, AccuracyKind::Auto, config_number(c, "threshold", 0.5)); }},
      {{"binary_accuracy", "BinaryAccuracy"}, "binary_accuracy", [](const std::string& n, const json& c) {
         return std::make_unique<Accuracy>(n, AccuracyKind::Binary, config_number(c, "threshold", 0.5)); }},
      {{"categorical_accuracy", "CategoricalAccuracy"}, "categorical_accuracy", [](const std::string& n, const json&) {
         return std::make_unique<Accuracy>(n, AccuracyKind::Categorical); }},
      {{"sparse_categorical_accuracy", "SparseCategoricalAccuracy"}, "sparse_categorical_accuracy",
       [](const std::string& n, const json&) { return std::make_unique<Accuracy>(n, AccuracyKind::Sparse); }},
      {{"auc", "AUC"}, "auc", [](const std::string& n, const json& c) {
         return std::make_unique<Auc>(n, static_cast<int>(config_number(c, "num_thresholds", 200))); }},
      {{"precision", "Precision"}, "precision", [](const std::string& n, const json& c) {
         return std::make_unique<PrecisionRecall>(n, true, config_number(c, "thresholds", 0.5)); }},
      {{"recall", "Recall"}, "recall", [](const std::string& n, const json& c) {
         return std::make_unique<PrecisionRecall>(n, false, config_number(c, "thresholds", 0.5)); }},
      {{"mae", "mean_absolute_error", "MeanAbsoluteError"}, "mean_absolute_error",
       [](const std::string& n, const json&) { return std::make_unique<ErrorMetric>(n, ErrorKind::Mae); }},
      {{"mse", "mean_squared_error", "MeanSquaredError"}, "mean_squared_error",
       [](const std::string& n, const json&) { return std::make_unique<ErrorMetric>(n, ErrorKind::Mse); }},
      {{"rmse", "root_mean_squared_error", "RootMeanSquaredError"}, "root_mean_squared_error",
       [](const std::string& n, const json&) { return std::make_unique<ErrorMetric>(n, ErrorKind::Rmse); }},
      // Losses as metrics (Keras 3's metric classes and tf.keras 2's function names).
      {{"mape", "mean_absolute_percentage_error", "MAPE", "MeanAbsolutePercentageError"}, "mean_absolute_percentage_error",
       loss_metric("mean_absolute_percentage_error")},
      {{"msle", "mean_squared_logarithmic_error", "MSLE", "MeanSquaredLogarithmicError"}, "mean_squared_logarithmic_error",
       loss_metric("mean_squared_logarithmic_error")},
      {{"logcosh", "log_cosh", "log_cosh_error", "LogCoshError"}, "logcosh", loss_metric("log_cosh")},
      {{"poisson", "Poisson"}, "poisson", loss_metric("poisson")},
      {{"kl_divergence", "kld", "KLD", "kullback_leibler_divergence", "KLDivergence"}, "kl_divergence",
       loss_metric("kl_divergence")},
      {{"hinge", "Hinge"}, "hinge", loss_metric("hinge")},
      {{"squared_hinge", "SquaredHinge"}, "squared_hinge", loss_metric("squared_hinge")},
      {{"categorical_hinge", "CategoricalHinge"}, "categorical_hinge", loss_metric("categorical_hinge")},
      {{"cosine_similarity", "CosineSimilarity"}, "cosine_similarity", loss_metric("cosine_similarity", -1.0)},
      {{"binary_crossentropy", "bce", "BCE", "BinaryCrossentropy"}, "binary_crossentropy",
       loss_metric("binary_crossentropy")},
      {{"categorical_crossentropy", "CategoricalCrossentropy"}, "categorical_crossentropy",
       loss_metric("categorical_crossentropy")},
      {{"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}, "sparse_categorical_crossentropy",
       loss_metric("sparse_categorical_crossentropy")},
  };
  return t;
}

}  // namespace

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const auto& e : metric_table()) names.insert(names.end(), e.names.begin(), e.names.end());
  return names;
}

std::unique_ptr<Metric> make_metric(const json& spec, const std::string& where) {
  std::string id, log_name;
  json config = json::object();
  bool class_style = false;
  if (spec.is_string()) {
    id = spec.get<std::string>();
  } else if (spec.is_object() && spec.contains("class_name") && spec["class_name"].is_string()) {
    id = spec["class_name"].get<std::string>();
    if (spec.contains("config") && spec["config"].is_object()) config = spec["config"];
    class_style = true;
    // Keras' MeanMetricWrapper serialises the function under config.fn ("binary_accuracy").
    if (id == "MeanMetricWrapper" && config.contains("fn") && config["fn"].is_string()) id = config["fn"].get<std::string>();
    // Keras 3's reference to a metric function: {"class_name": "function", "config": "mape"}.
    if (id == "function" && spec.contains("config") && spec["config"].is_string()) {
      id = spec["config"].get<std::string>();
      class_style = false;
    }
  } else {
    throw core::ConfigError({.where = where, .what = "not a metric", .expected = "a metric name", .got = spec.dump()});
  }
  const std::string key = detail::normalized_key(id);
  for (const auto& e : metric_table()) {
    for (const auto& n : e.names) {
      if (detail::normalized_key(n) != key) continue;
      log_name = class_style ? (config.contains("name") && config["name"].is_string() ? config["name"].get<std::string>()
                                                                                       : e.log_name)
                             : id;
      return e.make(log_name, config);
    }
  }
  throw core::ConfigError({.where = where, .what = "unknown metric \"" + id + "\"",
                           .hint = detail::did_you_mean(id, metric_names())});
}

}  // namespace fitcheck::nn
