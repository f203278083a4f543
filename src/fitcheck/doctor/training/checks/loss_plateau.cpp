// train.loss_plateau: the loss does not decrease, or ends no better than a constant prediction.
//
// Two signals, on the batch loss averaged over windows of the probe:
// - flat: from the first window to the last the loss fell by less than 1% of its level, or by
//   less than 3x the typical change between neighbouring windows (the batch noise: a real trend
//   adds up over the windows, noise does not). DeepDiagnosis flags an identical loss over 5
//   epochs and SageMaker's loss_not_decreasing a 0.1% step; measuring against the run's own noise
//   also catches the loss that falls, but far too slowly to matter;
// - no better than the baseline: with a loss whose constant-prediction value is known (the label
//   entropy for cross-entropy, the variance for MSE, the mean absolute deviation for MAE), the
//   best window stays at 98% of it or above: the features taught the model nothing.
// Both need 20 steps or more; a NaN run is train.divergence's.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/keras_names.hpp"
#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kFlat = 0.01;
constexpr double kNoise = 3.0;
constexpr double kBaselineShare = 0.98;
constexpr std::size_t kMinSteps = 20;
}  // namespace

void check_loss_plateau(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& s = p.signals;
  if (s.non_finite || s.step_loss.size() < kMinSteps) return;
  const auto w = series::window_means(s.step_loss, std::min<std::size_t>(10, s.step_loss.size() / 2));
  const double start = w.front(), end = w.back(), best = *std::min_element(w.begin(), w.end());
  if (!std::isfinite(start) || !std::isfinite(end)) return;
  std::vector<double> steps;
  for (std::size_t i = 1; i < w.size(); ++i) steps.push_back(std::fabs(w[i] - w[i - 1]));
  const double noise = series::median(steps);
  const bool flat = start - end <= std::max(kFlat * std::fabs(start), kNoise * noise);
  const bool learned = p.baseline.loss && best < 0.5 * *p.baseline.loss;
  const bool at_baseline = p.baseline.loss && *p.baseline.loss > 0.0 && best >= kBaselineShare * *p.baseline.loss;
  if (learned || (!flat && !at_baseline)) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.75;
  f.where = {{"series", "loss"}};
  f.evidence = {{"first_window_loss", start}, {"final_window_loss", end}, {"window_noise", noise}, {"best_window_loss", best},
                {"steps", s.steps}, {"epochs", s.epochs}, {"learning_rate", p.learning_rate}};
  if (p.baseline.loss) {
    f.evidence["baseline_loss"] = *p.baseline.loss;
    f.evidence["baseline"] = p.baseline.kind;
  }
  if (at_baseline) {
    f.title = fmt::format("After {} steps the loss ({:.4g}) is no better than predicting the {} ({:.4g})", s.steps,
                          best, p.baseline.kind, *p.baseline.loss);
  } else {
    f.title = fmt::format("The loss did not decrease: {:.4g} over the first steps, {:.4g} after {} steps", start,
                          end, s.steps);
  }
  f.explanation = "The weights are updated but the loss stays where a model that ignores its inputs would be: "
                  "the steps are too small to matter, the signal cannot get through (unscaled or unencoded "
                  "inputs, saturated or dead units), or the output cannot express the labels.";
  // The likeliest root, in the order the run is built: data, then model, then optimisation.
  for (const char* category : {"data.unscaled_features", "data.categorical_unencoded", "data.unnormalized_images",
                               "model.output_activation_loss", "config.learning_rate"}) {
    if (const Finding* root = ctx.static_finding(category)) {
      f.caused_by = root->code;
      break;
    }
  }
  const auto opt = resolve_optimizer(ctx.run->optimizer);
  if (f.caused_by.empty() && p.learning_rate < opt.default_learning_rate) {
    f.fix = fmt::format("Raise the learning rate towards {}'s default {:g}.", opt.display, opt.default_learning_rate);
    f.repair = learning_rate_repair(ctx.run->optimizer, opt.default_learning_rate);
  } else {
    f.fix = "Standardize the inputs (and the target, for regression), check the output activation against the "
            "loss, and make sure the learning rate is in the optimizer's working range.";
    if (f.caused_by.empty() && ctx.run->preprocess.is_string() && ctx.run->preprocess == "none") {
      f.repair = auto_preprocess_repair();
    }
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
