// train.dying_relu: most units of a ReLU layer never activate.
//
// A unit is dead for an epoch when its output was 0 for every training sample of that epoch; it
// then passes no gradient and cannot recover. Read on the probe's last epoch. A hidden layer with
// at least half its units dead (TheDeepChecker's and SageMaker Debugger's layer threshold; DeepDiagnosis
// uses 70%) and at least 2 dead units is reported; the output layer is left to the output checks.
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kDeadShare = 0.5;
constexpr double kMinDead = 2.0;
}  // namespace

void check_dying_relu(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& s = ctx.probe->signals;
  if (s.layers.empty() || s.non_finite) return;
  const int output_index = s.layers.back().index;
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json shares = nlohmann::json::object();
  double worst = 0.0;
  std::string worst_name;
  std::int64_t worst_units = 0;
  for (const auto& l : s.layers) {
    if (l.dead_share.empty() || l.index == output_index) continue;
    const double share = l.dead_share.back();
    const double dead = std::round(share * static_cast<double>(l.units));
    if (share < kDeadShare || dead < kMinDead) continue;
    layers.push_back(l.name);
    shares[l.name] = share;
    if (share > worst) {
      worst = share;
      worst_name = l.name;
      worst_units = l.units;
    }
  }
  if (layers.empty()) return;
  Finding f;
  f.severity = worst >= 0.99 ? Severity::Error : Severity::Warning;
  f.likelihood = worst >= 0.99 ? 0.9 : 0.7;
  f.title = fmt::format("{:.0f}% of the {} ReLU units of \"{}\" never activated in the last epoch", 100.0 * worst,
                        worst_units, worst_name);
  f.where = {{"layers", layers}};
  f.evidence = {{"dead_share_by_layer", shares}, {"epoch", s.epochs}};
  f.explanation = "A ReLU unit whose input is negative for every sample outputs 0 and passes no gradient, so "
                  "nothing can bring it back: the layer works with a fraction of its width, or not at all. Large "
                  "steps, negative biases or unscaled inputs push units there.";
  f.fix = "Lower the learning rate, scale the inputs, use He initialisation with zero biases, or use LeakyReLU / "
          "ELU, which keep a gradient for negative inputs.";
  f.caused_by = ctx.root_code({"data.unscaled_features", "data.unnormalized_images", "config.learning_rate"});
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
