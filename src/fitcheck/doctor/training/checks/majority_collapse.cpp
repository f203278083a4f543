// train.majority_collapse: the classifier predicts (almost) only one class.
//
// After the probe, the model predicts the training rows (up to 20000). Collapse: one class takes
// at least 95% of the predictions while the rows of the other classes — at least 0.5% of the rows
// and 5 rows — are recognised less than 10% of the time (their recall). That is the model that
// found the majority-class baseline and stopped; on imbalanced data it is the classic failure.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kPredictedShare = 0.95;
constexpr double kOthersShare = 0.005;
constexpr std::int64_t kOthersRows = 5;
constexpr double kOthersRecall = 0.10;
// "Near-equal" classes: the largest at most 1.2 times the equal share (60 % of two classes).
constexpr double kBalancedShare = 1.2;
}  // namespace

void check_majority_collapse(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& pred = p.predicted_counts;
  const auto& truth = p.label_counts;
  if (pred.empty() || pred.size() != truth.size() || !p.final_accuracy) return;
  const std::int64_t rows = std::accumulate(pred.begin(), pred.end(), std::int64_t{0});
  if (rows <= 0) return;
  const auto top = static_cast<std::size_t>(std::max_element(pred.begin(), pred.end()) - pred.begin());
  const double predicted_share = static_cast<double>(pred[top]) / static_cast<double>(rows);
  const std::int64_t others = rows - truth[top];
  if (predicted_share < kPredictedShare || others < kOthersRows ||
      static_cast<double>(others) < kOthersShare * static_cast<double>(rows)) {
    return;
  }
  // Correct predictions outside the top class: accuracy minus the top class's correct rows, at
  // most min(truth[top], pred[top]); a lower bound on the others' recall is enough here.
  const double correct = *p.final_accuracy * static_cast<double>(rows);
  const double correct_others = std::max(0.0, correct - static_cast<double>(std::min(truth[top], pred[top])));
  const double recall = correct_others / static_cast<double>(others);
  if (recall >= kOthersRecall) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.8;
  f.title = fmt::format("The model predicts class {} for {:.1f}% of the training rows; the other classes ({:.1f}% of "
                        "the rows) are almost never predicted",
                        top, 100.0 * predicted_share, 100.0 * static_cast<double>(others) / static_cast<double>(rows));
  f.where = {{"class", top}};
  f.evidence = {{"predicted_counts", pred}, {"label_counts", truth}, {"predicted_share", predicted_share},
                {"other_classes_recall", recall}, {"accuracy", *p.final_accuracy}};
  if (p.baseline.accuracy) f.evidence["majority_baseline_accuracy"] = *p.baseline.accuracy;
  f.explanation = "Predicting the most frequent class is the cheapest way to lower the loss; a model that stops "
                  "there has learned nothing about the features, and its accuracy only repeats the class shares.";
  // With classes of near-equal size the majority is no cheaper a guess than any other class:
  // weighting or resampling changes nothing, the model cannot use its inputs.
  const double largest_share = static_cast<double>(*std::max_element(truth.begin(), truth.end())) / static_cast<double>(rows);
  const bool balanced = largest_share <= kBalancedShare / static_cast<double>(truth.size()) + 1e-12;
  f.evidence["largest_class_share"] = largest_share;
  if (balanced) {
    f.fix = "The classes are of near-equal size, so weighting them will not help: the model is not using its "
            "inputs. Check that the inputs are scaled, that the learning rate works, and that the network is not "
            "too deep for its activations (see the other findings).";
  } else {
    f.fix = "Weight the classes (class_weight=\"balanced\"), resample the training set (SMOTE / random "
            "oversampling), and check that the inputs are scaled and the learning rate works.";
  }
  // The likeliest root: the class shares themselves, else inputs the model cannot use.
  f.caused_by = ctx.root_code({"data.class_imbalance", "data.unscaled_features", "data.unnormalized_images",
                               "data.categorical_unencoded", "config.learning_rate", "model.vanishing_prone"});
  if (!balanced && !ctx.run->fit.class_weight.is_string()) {
    f.repair = nlohmann::json{{"fit", {{"class_weight", "balanced"}}}};
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
