#pragma once
// Metrics as Keras keeps them: running values over all samples seen since reset() (the epoch),
// unweighted. "accuracy"/"acc" resolves to binary, categorical or sparse accuracy from the label
// and output shapes at the first update, as Keras' compile does.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::nn {

class Metric {
 public:
  virtual ~Metric() = default;
  // The key in logs and History: the name the user gave ("acc", "accuracy", "auc", ...).
  const std::string& name() const { return name_; }
  virtual void reset() = 0;
  virtual void update(const core::Tensor& y_true, const core::Tensor& y_pred) = 0;
  virtual double result() const = 0;
  // "max" for metrics that improve upward (accuracy, AUC, ...), "min" for errors.
  virtual bool higher_is_better() const { return true; }

 protected:
  explicit Metric(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

// A Keras metric identifier: "accuracy", "acc", "binary_accuracy", "categorical_accuracy",
// "sparse_categorical_accuracy", "auc"/"AUC", "precision", "recall", "mae", "mse", "rmse" (and
// their long names), a loss Keras takes as a metric ("mape", "msle", "logcosh", "poisson", "kld",
// "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity", the cross-entropies), or
// {"class_name": "AUC", "config": {"num_thresholds": 200, ...}}.
std::unique_ptr<Metric> make_metric(const nlohmann::json& spec, const std::string& where = "metrics");
std::vector<std::string> metric_names();

}  // namespace fitcheck::nn
