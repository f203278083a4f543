#pragma once
// Learning-rate schedules (keras.optimizers.schedules), evaluated at the optimizer's iteration
// count before its increment.

#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::nn {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(std::int64_t step) const = 0;
  virtual nlohmann::json get_config() const = 0;
};

// initial · rate^(step / decay_steps) (floor of the exponent when staircase).
class ExponentialDecay final : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate, bool staircase = false);
  double operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  double initial_, steps_, rate_;
  bool staircase_;
};

// initial · ((1 − alpha)·½(1 + cos(π·min(step, decay_steps)/decay_steps)) + alpha).
class CosineDecay final : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, double decay_steps, double alpha = 0.0);
  double operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  double initial_, steps_, alpha_;
};

// values[0] while step ≤ boundaries[0], values[i] while step ≤ boundaries[i], then values.back().
class PiecewiseConstantDecay final : public LearningRateSchedule {
 public:
  PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values);
  double operator()(std::int64_t step) const override;
  nlohmann::json get_config() const override;

 private:
  std::vector<double> boundaries_, values_;
};

// {"class_name": "ExponentialDecay", "config": {...}} → schedule; ConfigError naming `where`.
std::shared_ptr<LearningRateSchedule> make_schedule(const nlohmann::json& spec, const std::string& where);

}  // namespace fitcheck::nn
