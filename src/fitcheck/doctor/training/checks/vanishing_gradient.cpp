// train.vanishing_gradient: the first layers' gradients are orders of magnitude below the last
// layer's, so the early layers do not learn.
//
// AUTOTRAINER's rule, on the probe's medians (steps of the second half, after the start-up
// transient): gradient RMS of the first weighted layer / that of the last < 1e-3 and the first
// layer's own RMS < 1e-4. Gradients are RMS per value, so the sizes of the layers do not enter.
// A model with fewer than three weighted layers has no depth for gradients to vanish through.
// Gradients that are exactly 0 because ReLU units died on the way are train.dying_relu's, not
// this check's: a vanishing gradient is small, not cut.
#include <fmt/format.h>

#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kRatio = 1e-3;
constexpr double kAbsolute = 1e-4;
constexpr std::size_t kMinLayers = 3;
constexpr std::size_t kMinVanishingSteps = 4;

double late_median(const std::vector<double>& v) {
  return series::median(std::vector<double>(v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end()));
}
}  // namespace

void check_vanishing_gradient(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& s = ctx.probe->signals;
  // An Embedding's gradient touches only the rows a batch looks up, so its RMS over the whole
  // table is small by construction: the comparison starts at the first dense-like layer.
  auto layers = s.weighted_layers();
  while (!layers.empty() && layers.front()->class_name == "Embedding") layers.erase(layers.begin());
  if (layers.size() < kMinLayers || s.non_finite) return;
  const auto* first = layers.front();
  const auto* last = layers.back();
  if (first->grad_rms.size() < kMinVanishingSteps || last->grad_rms.size() < kMinVanishingSteps) return;
  const double g_first = late_median(first->grad_rms), g_last = late_median(last->grad_rms);
  if (!(g_last > 0.0)) return;
  const double ratio = g_first / g_last;
  if (!(ratio < kRatio && g_first < kAbsolute) || !(g_first > 0.0)) return;
  for (const auto& l : s.layers) {
    if (!l.dead_share.empty() && l.dead_share.back() >= 0.5) return;
  }
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.8;
  f.title = fmt::format("Gradients vanish towards the input: layer \"{}\" gets {:.2g}x the gradient of \"{}\"",
                        first->name, ratio, last->name);
  f.where = {{"layer", first->name}, {"layers", nlohmann::json::array()}};
  nlohmann::json per_layer = nlohmann::json::object();
  for (const auto* l : layers) {
    const double g = late_median(l->grad_rms);
    per_layer[l->name] = g;
    if (g / g_last < kRatio) f.where["layers"].push_back(l->name);
  }
  f.evidence = {{"first_layer_gradient_rms", g_first}, {"last_layer_gradient_rms", g_last}, {"ratio", ratio},
                {"gradient_rms_by_layer", per_layer}};
  if (!first->update_ratio.empty()) f.evidence["first_layer_update_ratio_last_epoch"] = first->update_ratio.back();
  if (const Finding* prone = ctx.static_finding("model.vanishing_prone")) f.caused_by = prone->code;
  f.explanation = "Backpropagation multiplies the gradient by each layer's activation derivative; through a stack "
                  "of saturating activations (sigmoid' <= 0.25) it shrinks geometrically, and the first layers, "
                  "which see the raw features, stop learning.";
  f.fix = "Use ReLU (with He initialisation) in the hidden layers, or add BatchNormalization between them; keep "
          "sigmoid/softmax for the output layer only.";
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
