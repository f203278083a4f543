// train.unchanged_weights: trainable layers whose weights never changed during the probe.
//
// Exactly unchanged, value for value, after at least one full epoch of updates: no gradient
// reached the layer (dead units above it, a zero learning rate, a loss that does not depend on
// it). Adam and RMSprop move every weight with a non-zero gradient, so "changed nothing at all"
// is not noise.
#include <fmt/format.h>

#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

void check_unchanged_weights(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& s = ctx.probe->signals;
  if (s.non_finite || s.epochs < 1 || s.steps < 1) return;
  nlohmann::json layers = nlohmann::json::array();
  std::int64_t values = 0;
  for (const auto* l : s.weighted_layers()) {
    if (l->changed || l->update_ratio.empty()) continue;
    layers.push_back(l->name);
    values += l->trainable_values;
  }
  if (layers.empty()) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.7;
  f.title = fmt::format("{} {} never changed in {} training steps", layers.size() == 1 ? "Layer" : "Layers",
                        layers.size() == 1 ? "\"" + layers[0].get<std::string>() + "\"" : layers.dump(), s.steps);
  f.where = {{"layers", layers}};
  f.evidence = {{"steps", s.steps}, {"unchanged_values", values}};
  f.explanation = "No gradient reaches these weights, so training leaves them at their initial values: the units "
                  "feeding them are dead, or the learning rate is zero.";
  f.fix = "Look at the layers above (dead ReLUs, saturated units) and the learning rate.";
  for (const auto& l : s.layers) {
    if (!l.dead_share.empty() && l.dead_share.back() >= 0.5) f.caused_by = "FC-T404";
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
