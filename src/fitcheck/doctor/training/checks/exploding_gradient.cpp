// train.exploding_gradient: gradient norms grow by orders of magnitude during the probe.
//
// The gradient's size at each step is the root mean square over all trainable values (layers
// combined by their value counts). Its median over the first steps is the reference the network
// started from; a later step at 100x that reference (two orders of magnitude, the design's
// "grow by orders of magnitude") while the loss does not improve on its start is an explosion.
// When the run ends in NaN/inf (train.divergence, the root) after such growth, the explosion is
// what produced it: error. A NaN at the very first steps, with no growth before it, is not an
// explosion (NaN inputs, a log of 0) and is left to train.divergence.
// AUTOTRAINER's first/last-layer ratio (> 70) is kept as evidence: it says where the growth sits;
// under 1e-3 the first layers are starved (vanishing), and growth at the output is not reported.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kGrowth = 100.0;
constexpr std::size_t kMinExplodingSteps = 10;
constexpr double kVanishingRatio = 1e-3;
}  // namespace

void check_exploding_gradient(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& p = *ctx.probe;
  const auto& s = p.signals;
  const auto layers = s.weighted_layers();
  if (layers.empty()) return;
  std::size_t steps = layers.front()->grad_rms.size();
  for (const auto* l : layers) steps = std::min(steps, l->grad_rms.size());
  const bool nan_run = s.non_finite.has_value();
  if (steps < kMinExplodingSteps) return;
  std::vector<double> total(steps, 0.0);
  double values = 0.0;
  for (const auto* l : layers) {
    values += static_cast<double>(l->trainable_values);
    for (std::size_t t = 0; t < steps; ++t) {
      total[t] += l->grad_rms[t] * l->grad_rms[t] * static_cast<double>(l->trainable_values);
    }
  }
  for (auto& t : total) t = std::sqrt(t / values);
  const std::size_t head = std::max<std::size_t>(3, steps / 20);
  const double reference = series::median(std::vector<double>(total.begin(), total.begin() + static_cast<std::ptrdiff_t>(std::min(head, steps))));
  std::size_t peak_at = 0;
  for (std::size_t t = 0; t < steps; ++t) {
    if (!std::isfinite(total[t]) || total[t] > total[peak_at]) peak_at = t;
    if (!std::isfinite(total[t])) break;
  }
  const double peak = steps > 0 ? total[peak_at] : 0.0;
  const double growth = reference > 0.0 ? peak / reference : 0.0;
  const auto w = series::window_means(s.step_loss, 10);
  const bool no_progress = !w.empty() && !(w.back() < 0.9 * s.step_loss.front());
  if (!(growth >= kGrowth && (no_progress || nan_run))) return;
  // Gradients that reach the first layers at under a thousandth of the last layers' are vanishing:
  // what grows is the output layers' gradient as they learn (train.vanishing_gradient's case), and
  // a lower learning rate would only slow the starved layers further.
  double first_to_last = 0.0;
  if (layers.size() >= 2) {
    const double first = series::median(layers.front()->grad_rms), last = series::median(layers.back()->grad_rms);
    if (last > 0.0) first_to_last = first / last;
  }
  if (!nan_run && layers.size() >= 2 && first_to_last < kVanishingRatio) return;

  Finding f;
  f.severity = nan_run ? Severity::Error : Severity::Warning;
  f.likelihood = nan_run ? 0.85 : 0.75;
  if (nan_run) {
    f.title = fmt::format("Gradient norm grew {:.3g}x in {} steps, then training produced {} at step {}", growth,
                          peak_at + 1, std::isnan(s.non_finite->value) ? "NaN" : "inf", s.non_finite->batch.step + 1);
    f.where = {{"layer", s.non_finite->layer_name}, {"tensor", s.non_finite->tensor}};
    f.caused_by = "FC-T401";  // reported together with the divergence it ended in
  } else {
    f.title = fmt::format("Gradient norm grew {:.3g}x during training, from {:.3g} to {:.3g} at step {}", growth,
                          reference, peak, peak_at + 1);
    f.where = {{"series", "gradient_rms"}};
    // Inputs or targets far from unit scale make the gradients grow as the weights grow to match
    // them: the data finding is the root (and demotes this one), else a learning rate out of range.
    f.caused_by = ctx.root_code({"data.unscaled_features", "data.unnormalized_images", "config.learning_rate"});
  }
  f.evidence = {{"reference_gradient_rms", reference}, {"peak_gradient_rms", peak}, {"growth", growth},
                {"peak_step", peak_at + 1}, {"learning_rate", p.learning_rate}};
  if (first_to_last > 0.0) f.evidence["first_to_last_layer_ratio"] = first_to_last;
  f.explanation = "Each step multiplies the weights by the gradient times the learning rate; when the gradients "
                  "grow by orders of magnitude the steps grow with them, and the weights and the loss blow up.";
  f.fix = fmt::format("Clip gradients (clipnorm=1.0) and lower the learning rate (to {:g}); BatchNormalization "
                      "between layers keeps activations, and so gradients, in range.", p.learning_rate / 10.0);
  f.repair = learning_rate_repair(ctx.run->optimizer, p.learning_rate / 10.0, {{"clipnorm", 1.0}});
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
