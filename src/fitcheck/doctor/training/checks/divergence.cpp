// train.divergence: the loss turns NaN/inf, or grows far above where it has been.
//
// - A non-finite value anywhere (layer output, loss, gradient, updated weight) is an error: every
//   later step computes with it. The recorder stops at the first one, so the finding names the
//   step, the layer and the operation that produced it (DeepLocalize's localisation).
// - Without NaN: the batch loss, averaged over windows of the probe (batch noise averages out),
//   ends at least 3x above its lowest window and above where it started, and so does the
//   windows' median batch (a few extreme batches alone do not make a divergence). A loss that
//   doubles from its minimum is TheDeepChecker's divergence signal; 3x and "above the start"
//   keep healthy runs, whose windows wander by a few percent, far from the line.
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kGrowth = 3.0;
constexpr std::size_t kWindows = 20;
}  // namespace

void check_divergence(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& s = p.signals;
  Finding f;
  f.repair = learning_rate_repair(ctx.run->optimizer, p.learning_rate / 10.0, {{"clipnorm", 1.0}});
  f.fix = fmt::format("Lower the learning rate (the repair divides it by 10, to {:g}) and clip gradients "
                      "(clipnorm=1.0); scale the inputs if they are large.", p.learning_rate / 10.0);
  // The likeliest root: bad values or scales in the data first, then the learning rate.
  // NaN labels make the loss NaN at the first batch that holds one, whatever the learning rate.
  f.caused_by = ctx.root_code({"data.non_finite", "data.missing_values", "data.missing_labels",
                               "data.unscaled_features", "data.unnormalized_images", "config.learning_rate"});
  // The loss itself turned finite outputs into NaN: with an output the loss cannot take (poisson's
  // log of a negative rate, a fractional power of a negative output) that mismatch is the root, and
  // a smaller step would not help — no learning-rate repair.
  bool output_root = false;
  if (s.non_finite && s.non_finite->op == "loss" && s.non_finite->input_finite) {
    const auto root = ctx.root_code({"data.missing_labels", "data.non_finite", "model.output_activation_loss",
                                     "data.label_loss_mismatch"});
    if (const Finding* r = root.empty() ? nullptr : ctx.static_finding("model.output_activation_loss");
        r != nullptr && r->code == root) {
      f.caused_by = root;
      output_root = true;
      f.repair.reset();
      f.fix = fmt::format("Fix the output activation for the loss ({}); the learning rate is not the cause.", root);
    }
  }
  if (s.non_finite) {
    const auto& e = *s.non_finite;
    f.severity = Severity::Error;
    f.likelihood = 0.95;
    f.title = fmt::format("Training produced {} at step {} (epoch {}): {}", std::isnan(e.value) ? "NaN" : "inf",
                          e.batch.step + 1, e.batch.epoch + 1, e.describe());
    f.where = {{"layer", e.layer_name.empty() ? "loss" : e.layer_name}, {"op", e.op}, {"tensor", e.tensor}};
    if (e.layer_index >= 0) f.where["layer_index"] = e.layer_index;
    f.evidence = {{"step", e.batch.step + 1}, {"epoch", e.batch.epoch + 1}, {"op", e.op},
                  {"input_finite", e.input_finite}, {"learning_rate", e.batch.learning_rate}};
    if (!s.step_loss.empty()) {
      f.evidence["first_loss"] = s.step_loss.front();
      double last_finite = s.step_loss.front();
      for (double l : s.step_loss) {
        if (std::isfinite(l)) last_finite = l;
      }
      f.evidence["last_finite_loss"] = last_finite;
    }
    f.explanation = e.op == "forward" && e.input_finite
        ? "This layer turned finite inputs into NaN/inf: its weights or activations overflowed, which is what "
          "happens when steps are too large for the loss surface. From here on every update is NaN."
        : "Once a NaN or inf enters the loss or the gradients, every weight it touches becomes NaN and the model "
          "is lost; the usual cause is a step too large for the loss surface (learning rate, unscaled inputs "
          "or targets).";
    if (output_root) {
      f.explanation = "The model's outputs were finite and the loss made NaN of them: its formula cannot take values "
                      "this output layer produces. Every gradient is then NaN and the model is lost at once.";
    }
    out.push_back(std::move(f));
    return;
  }
  if (s.step_loss.size() < 2 * kWindows) return;
  const auto w = series::window_means(s.step_loss, kWindows);
  const double lowest = w[series::argmin(w)];
  const double start = s.step_loss.front(), end = w.back();
  if (!(lowest > 0.0) || !(end >= kGrowth * lowest) || !(end > start)) return;
  // A loss that grows lifts the typical batch, not only the window's mean: a few batches holding
  // extreme rows (a label 60 standard deviations out under MSE) lift the means of the windows they
  // fall in while the model is fine. The same growth is required of the window medians.
  const auto m = series::window_medians(s.step_loss, kWindows);
  if (!(m.back() >= kGrowth * m[series::argmin(m)])) return;
  f.severity = Severity::Warning;
  f.likelihood = 0.8;
  f.title = fmt::format("The loss grew from {:.4g} to {:.4g} during training ({:.1f}x its lowest level)", start, end,
                        end / lowest);
  f.where = {{"series", "loss"}};
  f.evidence = {{"first_loss", start}, {"lowest_window_loss", lowest}, {"final_window_loss", end},
                {"growth", end / lowest}, {"learning_rate", p.learning_rate}};
  f.explanation = "Gradient descent should lower the loss; a loss that climbs means the steps overshoot the "
                  "minimum and land higher each time.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
