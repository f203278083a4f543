// train.loss_plateau: the loss does not decrease, or ends no better than a constant prediction.
//
// Two signals:
// - flat: from the start to the end of the probe the loss fell by less than 1% of its level —
//   or, with fewer than 3 epochs, by less than 3 standard errors of the difference between the
//   first and the last fifth of the batch losses (a fall that batch noise alone could make).
//   With 3 or more epochs the epoch losses are compared: each averages every training row, so
//   the batch-to-batch noise cancels. DeepDiagnosis flags an identical loss over 5 epochs and
//   SageMaker's loss_not_decreasing a 0.1% step; 1% also catches the loss that falls, but far
//   too slowly to matter;
// - no better than the baseline: with a loss whose constant-prediction value is known (the label
//   entropy for cross-entropy, the variance for MSE, the mean absolute deviation for MAE), the
//   best epoch (or fifth of the steps) stays at 98% of it or above: the features taught the model
//   nothing.
// - far too slow: with a learning rate under a third of the optimizer's default, the loss fell so
//   little that at the probe's own pace it would need more than kSlowFactor = 10 times the probe's
//   length to reach half the baseline (where every reported run that learns ends up). A rate that
//   small is the usual reason, and judging by the pace rather than by the start does not depend
//   on where the initial loss happened to land (below the baseline, the fall looks large).
// All need 20 steps or more; a NaN run is train.divergence's; a run whose best loss is under
// half the baseline has learned and is never reported.
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
constexpr std::size_t kMinPlateauSteps = 20;
constexpr double kSlowFactor = 10.0;
constexpr double kLowRate = 1.0 / 3.0;
}  // namespace

void check_loss_plateau(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& s = p.signals;
  if (s.non_finite || s.step_loss.size() < kMinPlateauSteps) return;
  const auto& epochs = s.history.history.count("loss") ? s.history.history.at("loss") : std::vector<double>{};
  double start = 0.0, end = 0.0, best = 0.0, noise = 0.0;
  if (epochs.size() >= 3) {
    start = epochs.front();
    end = epochs.back();
    best = *std::min_element(epochs.begin(), epochs.end());
  } else {
    const std::size_t n = s.step_loss.size() / 5;
    const auto& v = s.step_loss;
    auto stats = [&](std::size_t b, std::size_t e, double& mean, double& var) {
      mean = series::mean(v, b, e);
      var = 0.0;
      for (std::size_t i = b; i < e; ++i) var += (v[i] - mean) * (v[i] - mean);
      var /= static_cast<double>(std::max<std::size_t>(e - b - 1, 1));
    };
    double v1 = 0.0, v2 = 0.0;
    stats(0, n, start, v1);
    stats(v.size() - n, v.size(), end, v2);
    noise = std::sqrt(v1 / static_cast<double>(n) + v2 / static_cast<double>(n));
    const auto w = series::window_means(v, 5);
    best = *std::min_element(w.begin(), w.end());
  }
  if (!std::isfinite(start) || !std::isfinite(end)) return;
  const bool flat = start - end <= std::max(kFlat * std::fabs(start), kNoise * noise);
  // Measured above the loss of a perfect fit (0 but for Poisson), so "half the baseline" is half
  // the way from the constant prediction down to it.
  const double floor = p.baseline.floor;
  const double gap = p.baseline.loss ? *p.baseline.loss - floor : 0.0;
  const bool learned = p.baseline.loss && best - floor < 0.5 * gap;
  const bool at_baseline = p.baseline.loss && gap > 0.0 && best - floor >= kBaselineShare * gap;
  const auto opt = resolve_optimizer(ctx.run->optimizer);
  const bool low_rate = p.learning_rate < kLowRate * opt.default_learning_rate;
  const bool slow = low_rate && p.baseline.loss && gap > 0.0 &&
                    kSlowFactor * std::max(0.0, start - best) < best - floor - 0.5 * gap;
  if (learned || (!flat && !at_baseline && !slow)) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.75;
  f.where = {{"series", "loss"}};
  f.evidence = {{"first_loss", start}, {"final_loss", end}, {"best_loss", best}, {"noise_standard_error", noise},
                {"steps", s.steps}, {"epochs", s.epochs}, {"learning_rate", p.learning_rate}};
  if (p.baseline.loss) {
    f.evidence["baseline_loss"] = *p.baseline.loss;
    f.evidence["baseline"] = p.baseline.kind;
  }
  if (at_baseline) {
    f.title = fmt::format("After {} steps the loss ({:.4g}) is no better than predicting the {} ({:.4g})", s.steps,
                          best, p.baseline.kind, *p.baseline.loss);
  } else if (!flat) {
    f.title = fmt::format("The loss falls far too slowly: {:.4g} to {:.4g} in {} steps at learning rate {:g}; at that "
                          "pace it needs over {:g} times as long to reach half of the {} loss ({:.4g})",
                          start, best, s.steps, p.learning_rate, kSlowFactor, p.baseline.kind, *p.baseline.loss);
    f.evidence["optimizer_default_learning_rate"] = opt.default_learning_rate;
  } else {
    f.title = fmt::format("The loss did not decrease: {:.4g} at the start, {:.4g} after {} steps", start, end,
                          s.steps);
  }
  f.explanation = "The weights are updated but the loss stays where a model that ignores its inputs would be: "
                  "the steps are too small to matter, the signal cannot get through (unscaled or unencoded "
                  "inputs, saturated or dead units), or the output cannot express the labels.";
  // The likeliest root, in the order the run is built: data, then model, then optimisation.
  f.caused_by = ctx.root_code({"data.unscaled_features", "data.categorical_unencoded", "data.unnormalized_images",
                               "model.output_activation_loss", "config.learning_rate"});
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
