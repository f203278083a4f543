#include "fitcheck/nn/optimizers/schedule.hpp"

#include <cmath>
#include <numbers>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {

ExponentialDecay::ExponentialDecay(double initial, double decay_steps, double decay_rate, bool staircase)
    : initial_(initial), steps_(decay_steps), rate_(decay_rate), staircase_(staircase) {
  if (!(decay_steps > 0)) {
    throw core::ConfigError({.where = "ExponentialDecay: decay_steps", .what = "must be positive",
                             .expected = "> 0", .got = std::to_string(decay_steps)});
  }
}
double ExponentialDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / steps_;
  if (staircase_) p = std::floor(p);
  return initial_ * std::pow(rate_, p);
}
nlohmann::json ExponentialDecay::get_config() const {
  return {{"class_name", "ExponentialDecay"},
          {"config", {{"initial_learning_rate", initial_}, {"decay_steps", steps_}, {"decay_rate", rate_}, {"staircase", staircase_}}}};
}

CosineDecay::CosineDecay(double initial, double decay_steps, double alpha)
    : initial_(initial), steps_(decay_steps), alpha_(alpha) {
  if (!(decay_steps > 0)) {
    throw core::ConfigError({.where = "CosineDecay: decay_steps", .what = "must be positive", .expected = "> 0",
                             .got = std::to_string(decay_steps)});
  }
}
double CosineDecay::operator()(std::int64_t step) const {
  const double s = std::min(static_cast<double>(step), steps_);
  const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * s / steps_));
  return initial_ * ((1.0 - alpha_) * cosine + alpha_);
}
nlohmann::json CosineDecay::get_config() const {
  return {{"class_name", "CosineDecay"},
          {"config", {{"initial_learning_rate", initial_}, {"decay_steps", steps_}, {"alpha", alpha_}}}};
}

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values)
    : boundaries_(std::move(boundaries)), values_(std::move(values)) {
  if (values_.size() != boundaries_.size() + 1) {
    throw core::ConfigError({.where = "PiecewiseConstantDecay", .what = "values must have one more entry than boundaries",
                             .expected = std::to_string(boundaries_.size() + 1) + " values",
                             .got = std::to_string(values_.size())});
  }
}
double PiecewiseConstantDecay::operator()(std::int64_t step) const {
  for (std::size_t i = 0; i < boundaries_.size(); ++i) {
    if (static_cast<double>(step) <= boundaries_[i]) return values_[i];
  }
  return values_.back();
}
nlohmann::json PiecewiseConstantDecay::get_config() const {
  return {{"class_name", "PiecewiseConstantDecay"}, {"config", {{"boundaries", boundaries_}, {"values", values_}}}};
}

std::shared_ptr<LearningRateSchedule> make_schedule(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object() || !spec.contains("class_name")) {
    throw core::ConfigError({.where = where, .what = "not a learning-rate schedule",
                             .expected = "{\"class_name\": \"ExponentialDecay\", \"config\": {...}}", .got = spec.dump()});
  }
  const std::string cls = spec["class_name"].get<std::string>();
  const nlohmann::json c = spec.value("config", nlohmann::json::object());
  auto num = [&](const char* key, double fallback) {
    if (!c.contains(key) || c[key].is_null()) return fallback;
    if (!c[key].is_number()) {
      throw core::ConfigError({.where = where + ".config." + key, .what = "not a number", .expected = "a number",
                               .got = c[key].dump()});
    }
    return c[key].get<double>();
  };
  if (cls == "ExponentialDecay") {
    return std::make_shared<ExponentialDecay>(num("initial_learning_rate", 0.0), num("decay_steps", 0.0),
                                              num("decay_rate", 0.0), c.value("staircase", false));
  }
  if (cls == "CosineDecay") {
    return std::make_shared<CosineDecay>(num("initial_learning_rate", 0.0), num("decay_steps", 0.0), num("alpha", 0.0));
  }
  if (cls == "PiecewiseConstantDecay") {
    return std::make_shared<PiecewiseConstantDecay>(c.value("boundaries", std::vector<double>{}),
                                                    c.value("values", std::vector<double>{}));
  }
  throw core::ConfigError({.where = where, .what = "unsupported schedule \"" + cls + "\"",
                           .hint = "Use ExponentialDecay, CosineDecay or PiecewiseConstantDecay."});
}

}  // namespace fitcheck::nn
