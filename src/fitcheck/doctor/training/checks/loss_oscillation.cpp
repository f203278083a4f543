// train.loss_oscillation: the loss swings up and down without a trend.
//
// On window means of the batch loss (20 windows when the probe has 200+ steps; batch noise
// averages out within a window): at least half of the consecutive changes reverse direction
// (TheDeepChecker's fluctuation signal), the mean swing is at least 10% of the loss level, and
// the last third of the windows is not below 90% of the first third (no trend). A run that still
// learns (its best window under half the constant-prediction baseline) is not reported: its
// swings are noise around progress. AUTOTRAINER reads the same pattern on accuracy (peak–trough
// differences of 0.03 on 20% of epochs); the loss sees it without a metric.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr std::size_t kMinWindows = 6;
constexpr double kReversals = 0.5;
constexpr double kSwing = 0.10;
constexpr double kTrend = 0.9;
}  // namespace

void check_loss_oscillation(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& s = p.signals;
  if (s.non_finite) return;
  // Levels are measured above the loss of a perfect fit (0 but for Poisson).
  auto w = series::window_means(s.step_loss, std::min<std::size_t>(20, s.step_loss.size() / 10));
  if (w.size() < kMinWindows) return;
  for (auto& v : w) v -= p.baseline.floor;
  std::size_t reversals = 0;
  double swing = 0.0;
  for (std::size_t i = 1; i < w.size(); ++i) {
    swing += std::fabs(w[i] - w[i - 1]);
    if (i >= 2 && (w[i] - w[i - 1]) * (w[i - 1] - w[i - 2]) < 0.0) ++reversals;
  }
  const double level = series::mean(w, 0, w.size());
  swing /= static_cast<double>(w.size() - 1);
  const double reversal_share = static_cast<double>(reversals) / static_cast<double>(w.size() - 2);
  const std::size_t third = w.size() / 3;
  const double head = series::mean(w, 0, third), tail = series::mean(w, w.size() - third, w.size());
  const double best = *std::min_element(w.begin(), w.end());
  const bool learning = p.baseline.loss && best < 0.5 * (*p.baseline.loss - p.baseline.floor);
  if (!(level > 0.0) || learning) return;
  if (reversal_share < kReversals || swing < kSwing * level || tail < kTrend * head) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.65;
  f.title = fmt::format("The loss oscillates without a trend: swings of {:.0f}% of its level, {:.0f}% of the "
                        "changes reverse direction",
                        100.0 * swing / level, 100.0 * reversal_share);
  f.where = {{"series", "loss"}};
  f.evidence = {{"window_means", w}, {"mean_swing", swing}, {"level", level}, {"reversal_share", reversal_share},
                {"first_third_mean", head}, {"last_third_mean", tail}, {"learning_rate", p.learning_rate}};
  f.explanation = "Each step jumps across the valley of the loss instead of down into it: the learning rate is "
                  "too large for the curvature, or the batches are too small to give a stable direction.";
  f.fix = fmt::format("Lower the learning rate (the repair divides it by 10, to {:g}), or use larger batches.",
                      p.learning_rate / 10.0);
  f.repair = learning_rate_repair(ctx.run->optimizer, p.learning_rate / 10.0);
  if (const Finding* lr = ctx.static_finding("config.learning_rate")) f.caused_by = lr->code;
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
