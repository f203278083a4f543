// config.learning_rate: a learning rate far outside the optimizer's working range.
//
// Thresholds, as ratios to Keras' default rate for the optimizer (1e-3 for the adaptive ones,
// 1e-2 for SGD), because the defaults are where each update rule is known to work:
// - Adaptive optimizers (Adam family, RMSprop, Adagrad) move every weight by about `lr` per step
//   (m / sqrt(v) is close to ±1 at the start). Glorot-initialised weights are about
//   sqrt(2 / (fan_in + fan_out)) in size, at most ~0.3 for any real layer; at 100x the default
//   (lr 0.1) a single step moves a weight by a third of its own size, at 1000x (lr 1) by more than
//   its size, so training cannot settle: warning at 100x, error at 1000x.
// - SGD's step is lr·g with gradients of standardized problems around 0.01..1; 100x the default
//   (lr 1) already exceeds 2 / curvature for common losses, 1000x (lr 10) does for all of them.
// - Below 1/1000 of the default, a few thousand steps move the weights by less than 1% of their
//   size: the loss plateaus. Warning.
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/keras_names.hpp"

namespace fitcheck::doctor {

namespace {
constexpr double kHighWarn = 100.0;
constexpr double kHighError = 1000.0;
constexpr double kLowWarn = 1e-3;

// A learning rate that is not a number (a string "0.001" from a config file): Keras cannot build
// the optimizer's variable from it.
bool not_a_number(const CheckContext& ctx, const OptimizerInfo& opt, std::vector<Finding>& out) {
  const auto& o = ctx.run->optimizer;
  if (!o.is_object() || !o.contains("config") || !o["config"].is_object()) return false;
  const auto& config = o["config"];
  const char* key = config.contains("learning_rate") ? "learning_rate" : config.contains("lr") ? "lr" : nullptr;
  if (key == nullptr || config[key].is_number() || config[key].is_object() || config[key].is_null()) return false;
  Finding f;
  f.severity = Severity::Error;
  f.likelihood = 1.0;
  f.title = fmt::format("The learning rate is {}, not a number", config[key].dump());
  f.where = {{"key", fmt::format("/compile/optimizer/config/{}", key)}, {"optimizer", opt.name}};
  f.evidence = {{"learning_rate", config[key]}};
  f.explanation = "The optimizer keeps its learning rate as a float variable; Keras cannot build it from a string "
                  "and compile or the first step fails.";
  f.fix = fmt::format("Write the rate as a number, e.g. {:g} ({}'s default).", opt.default_learning_rate, opt.display);
  f.repair = nlohmann::json{{"compile", {{"optimizer", {{"class_name", o.value("class_name", opt.name)},
                                                       {"config", {{key, opt.default_learning_rate}}}}}}}};
  out.push_back(std::move(f));
  return true;
}

}  // namespace

void check_learning_rate(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.run) return;
  auto opt = resolve_optimizer(ctx.run->optimizer);
  if (not_a_number(ctx, opt, out)) return;
  if (!opt.known || !opt.learning_rate) return;
  const double lr = *opt.learning_rate;
  const double ratio = lr / opt.default_learning_rate;
  nlohmann::json repair = {{"compile", {{"optimizer", {{"class_name", ctx.run->optimizer.is_object()
                                                                          ? ctx.run->optimizer["class_name"]
                                                                          : nlohmann::json(opt.name)},
                                                         {"config", {{"learning_rate", opt.default_learning_rate}}}}}}}};
  Finding f;
  f.where = {{"key", "/compile/optimizer/config/learning_rate"}, {"optimizer", opt.name}};
  f.evidence = {{"learning_rate", lr},
                {"keras_default", opt.default_learning_rate},
                {"ratio_to_default", ratio},
                {"adaptive", opt.adaptive}};
  if (!(lr > 0.0) || !std::isfinite(lr)) {
    f.severity = Severity::Error;
    f.title = fmt::format("The learning rate is {}: no training step can make progress", lr);
    f.explanation = "A learning rate must be a positive finite number.";
    f.fix = fmt::format("Use {}'s default learning rate {} as a start.", opt.name, opt.default_learning_rate);
    f.repair = repair;
    f.likelihood = 1.0;
  } else if (ratio >= kHighWarn) {
    f.severity = ratio >= kHighError ? Severity::Error : Severity::Warning;
    f.title = fmt::format("Learning rate {:g} is {:g}x {}'s default of {:g}", lr, ratio, opt.display,
                          opt.default_learning_rate);
    f.explanation = opt.adaptive
        ? fmt::format("{} moves every weight by about the learning rate at each step, whatever the gradient. "
                      "Initial weights are about 0.1 in size, so steps of {:g} overshoot every minimum: "
                      "the loss jumps, turns NaN, or the units saturate and stop learning.", opt.display, lr)
        : fmt::format("SGD steps are the learning rate times the gradient; at {:g} a step overshoots the "
                      "minimum along any direction with curvature above {:.2g}, so the loss grows or oscillates.",
                      lr, 2.0 / lr);
    f.fix = fmt::format("Lower the learning rate to the default {:g} (or run `fitcheck doctor` to let the "
                        "learning-rate finder propose one).", opt.default_learning_rate);
    f.repair = repair;
    f.likelihood = ratio >= kHighError ? 0.95 : 0.7;
  } else if (ratio <= kLowWarn) {
    f.severity = Severity::Warning;
    f.title = fmt::format("Learning rate {:g} is {:g}x smaller than {}'s default of {:g}", lr, 1.0 / ratio,
                          opt.display, opt.default_learning_rate);
    f.explanation = "Each step changes the weights by a tiny fraction of their size: thousands of steps "
                    "leave the model where it started and the loss barely moves.";
    f.fix = fmt::format("Raise the learning rate towards the default {:g}.", opt.default_learning_rate);
    f.repair = repair;
    f.likelihood = 0.6;
  } else {
    return;
  }
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
