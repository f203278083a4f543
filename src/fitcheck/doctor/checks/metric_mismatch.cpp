// config.metric_mismatch: a metric that cannot measure what the task is about.
//
// The task is read from the labels and the loss together (a loss alone can be a deliberate
// choice, e.g. mse on 0/1 labels):
// - Regression: continuous labels (not whole numbers, or more distinct whole numbers than a
//   classifier has classes: label_profile.hpp) under a regression loss (mse, mae, huber, msle,
//   mape, log_cosh, poisson). Accuracy-type metrics compare predictions with labels for exact
//   equality (or after a 0.5 threshold / arg-max), which a real-valued prediction never meets:
//   the number stays near 0 whatever the fit — warning.
// - Classification: labels that are class ids or one-hot rows under a cross-entropy loss.
//   MAPE divides by the label, which is 0 for every negative sample, and MSLE / R² treat class
//   ids as quantities — warning; MSE and MAE of probabilities are the Brier score and a
//   calibration error, legitimate but not what people mean by performance — info.
// - Accuracy variants that do not fit the label encoding: categorical_accuracy on class ids
//   takes the arg-max of a one-column label (always 0); sparse_categorical_accuracy on one-hot
//   rows compares an index with a vector; binary_accuracy under a softmax of K > 2 units
//   thresholds each probability at 0.5 — each gives a number unrelated to the real accuracy
//   (warning). The plain "accuracy" string is resolved by Keras from the loss and is safe.
#include <set>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {

std::string metric_name(const nlohmann::json& m) {
  std::string raw;
  if (m.is_string()) raw = m.get<std::string>();
  else if (m.is_object() && m.contains("class_name") && m["class_name"].is_string()) raw = m["class_name"].get<std::string>();
  else return "";
  auto s = snake_case(raw);
  static const std::map<std::string, std::string> aliases = {
      {"acc", "accuracy"}, {"mse", "mean_squared_error"}, {"mae", "mean_absolute_error"},
      {"mape", "mean_absolute_percentage_error"}, {"msle", "mean_squared_logarithmic_error"},
      {"rmse", "root_mean_squared_error"}, {"r2", "r2_score"}, {"auc", "auc"}, {"a_u_c", "auc"},
      {"f1", "f1_score"}, {"logcosh", "log_cosh"}};
  if (auto it = aliases.find(s); it != aliases.end()) return it->second;
  return s;
}

const std::set<std::string> kClassificationMetrics = {
    "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "auc", "precision", "recall",
    "f1_score", "f_beta_score", "fbeta_score", "precision_at_recall", "recall_at_precision",
    "binary_io_u", "binary_iou", "mean_io_u", "mean_iou"};
const std::set<std::string> kNonsenseOnClasses = {
    "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "r2_score"};
const std::set<std::string> kErrorOfProbabilities = {
    "mean_squared_error", "mean_absolute_error", "root_mean_squared_error"};

}  // namespace

void check_metric_mismatch(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run || ctx.run->metrics.empty() || !ctx.train || !ctx.train->labels) return;
  const auto& labels = *ctx.train->labels;
  const auto loss = resolve_loss(ctx.run->loss);
  if (!loss.known) return;
  const bool continuous = labels.encoding == LabelEncoding::Continuous &&
                          (!labels.integer_valued ||
                           (labels.profile && labels.profile->task == profile::LabelTask::Regression));
  const bool regression = continuous && loss.task == LossTask::Regression;
  const bool classes = (labels.encoding == LabelEncoding::ClassIds || labels.encoding == LabelEncoding::OneHot ||
                        labels.encoding == LabelEncoding::Text) && loss.probabilistic();
  // Output units of the model, 0 when unknown.
  const std::int64_t units = ctx.model ? output_units(*ctx.model).value_or(0) : 0;
  const std::string out_act = ctx.model ? output_activation(*ctx.model) : "";

  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& m : ctx.run->metrics) metrics.push_back(m);

  for (std::size_t i = 0; i < ctx.run->metrics.size(); ++i) {
    const auto name = metric_name(ctx.run->metrics[i]);
    if (name.empty()) continue;
    Finding f;
    f.severity = Severity::Warning;
    f.likelihood = 0.3;  // a wrong metric misleads the user; it does not stop training
    f.where = {{"key", fmt::format("/compile/metrics/{}", i)}, {"metric", name}};
    f.evidence = {{"metric", name}, {"loss", loss.name}, {"label_encoding", label_encoding_name(labels.encoding)}};
    std::optional<std::string> replacement;
    if (regression && kClassificationMetrics.count(name)) {
      f.title = fmt::format("\"{}\" on a regression target ({} continuous labels, loss {})", name,
                            labels.rows, loss.name);
      if (labels.min && labels.max) { f.evidence["label_min"] = *labels.min; f.evidence["label_max"] = *labels.max; }
      f.explanation = "Accuracy-type metrics count predictions that equal the label (after rounding or a threshold); "
                      "a real-valued prediction almost never equals a continuous label, so the metric stays near 0 "
                      "while the model may be fitting well — or looks meaningful while it is not.";
      f.fix = "Report a regression metric instead: mean absolute error (in the label's units) or RMSE.";
      replacement = "mae";
    } else if (classes && kNonsenseOnClasses.count(name)) {
      f.title = fmt::format("\"{}\" on class labels (loss {})", name, loss.name);
      f.explanation = name == "mean_absolute_percentage_error"
          ? "MAPE divides by the label, which is 0 for every sample of class 0: the metric explodes (Keras "
            "clips the denominator at 1e-7) and says nothing about how well classes are separated."
          : "The metric treats class ids as quantities on a continuous scale; its value has no meaning for a "
            "classifier.";
      f.fix = "Use accuracy (and precision/recall or AUC when classes are imbalanced).";
      replacement = "accuracy";
    } else if (classes && kErrorOfProbabilities.count(name)) {
      f.severity = Severity::Info;
      f.likelihood = 0.05;
      f.title = fmt::format("\"{}\" on a classifier measures the error of its probabilities", name);
      f.explanation = "On predicted probabilities this is the Brier score or a calibration error: valid, but not "
                      "the accuracy people usually read it as.";
      f.fix = "Add accuracy (or AUC) to see how well the classes are separated.";
    } else if (name == "categorical_accuracy" && labels.encoding == LabelEncoding::ClassIds && units > 1) {
      f.title = fmt::format("categorical_accuracy with class-id labels: it expects one-hot rows ({} output units)", units);
      f.explanation = "categorical_accuracy compares the arg-max of the prediction with the arg-max of the label row; "
                      "a one-column class id always has arg-max 0, so the metric reports the share of class 0 "
                      "predictions, not the accuracy.";
      f.fix = "Use sparse_categorical_accuracy (or just \"accuracy\", which Keras resolves from the loss).";
      replacement = "sparse_categorical_accuracy";
    } else if (name == "sparse_categorical_accuracy" && labels.encoding == LabelEncoding::OneHot) {
      f.title = fmt::format("sparse_categorical_accuracy with one-hot labels ({} columns)", labels.columns);
      f.explanation = "The sparse metric expects one class id per sample; given one-hot rows it compares the "
                      "predicted index with the row's 0/1 entries and reports a meaningless number.";
      f.fix = "Use categorical_accuracy (or just \"accuracy\").";
      replacement = "categorical_accuracy";
    } else if (name == "binary_accuracy" && out_act == "softmax" && units > 2) {
      f.title = fmt::format("binary_accuracy on a {}-class softmax output", units);
      f.explanation = "binary_accuracy thresholds every output at 0.5 and counts each unit separately; with K "
                      "classes most units are correctly below 0.5, so the metric is high even for a useless model.";
      f.fix = "Use \"accuracy\" (Keras picks categorical or sparse categorical accuracy from the loss).";
      replacement = "accuracy";
    } else {
      continue;
    }
    if (replacement) {
      auto fixed = metrics;
      fixed[i] = *replacement;
      f.repair = nlohmann::json{{"compile", {{"metrics", fixed}}}};
    }
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
