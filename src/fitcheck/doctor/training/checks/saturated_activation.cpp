// train.saturated_activation: sigmoid / tanh units stuck at their limits.
//
// A unit is saturated for an epoch when its pre-activation was beyond ±5 (sigmoid' < 0.0066,
// tanh' < 0.00018: DeepDiagnosis' limit) for at least 90% of the samples. A hidden layer with at
// least half its units saturated in the probe's last epoch (the SageMaker Debugger layer
// threshold) is reported. The output layer is excluded: a confident classifier saturates its
// sigmoid / softmax on purpose, and the matching loss cancels the small derivative.
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/training/training_check.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kSaturatedShare = 0.5;
}  // namespace

void check_saturated_activation(const TrainingContext& ctx, std::vector<Finding>& out) {
  const auto& s = ctx.probe->signals;
  if (s.layers.empty() || s.non_finite) return;
  const int output_index = s.layers.back().index;
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json shares = nlohmann::json::object();
  double worst = 0.0;
  const LayerSignals* worst_layer = nullptr;
  for (const auto& l : s.layers) {
    if (l.saturated_share.empty() || l.index == output_index) continue;
    const double share = l.saturated_share.back();
    if (share < kSaturatedShare || std::round(share * static_cast<double>(l.units)) < 1.0) continue;
    layers.push_back(l.name);
    shares[l.name] = share;
    if (share >= worst) {
      worst = share;
      worst_layer = &l;
    }
  }
  if (worst_layer == nullptr) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.7;
  f.title = fmt::format("{:.0f}% of the {} {} units of \"{}\" are saturated", 100.0 * worst, worst_layer->units,
                        worst_layer->activation, worst_layer->name);
  f.where = {{"layers", layers}};
  f.evidence = {{"saturated_share_by_layer", shares}, {"pre_activation_limit", 5.0}, {"share_of_samples", 0.9}};
  f.explanation = "A saturated sigmoid or tanh unit has a derivative near 0: it passes almost no gradient, so it "
                  "and the layers below it stop learning. Large inputs, large weights or large steps drive "
                  "pre-activations there.";
  f.fix = "Scale the inputs, lower the learning rate, or use ReLU in the hidden layers (BatchNormalization before "
          "the activation also keeps it in range).";
  if (const Finding* lr = ctx.static_finding("config.learning_rate")) f.caused_by = lr->code;
  else if (const Finding* sc = ctx.static_finding("data.unscaled_features")) f.caused_by = sc->code;
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
