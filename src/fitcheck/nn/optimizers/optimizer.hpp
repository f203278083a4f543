#pragma once
// Optimizers with Keras 3 defaults and update rules (reference: shared/reference/keras.md §3).
// apply() runs Keras' pipeline: clip (clipnorm | global_clipnorm | clipvalue) → decoupled weight
// decay → per-variable update_step → iterations += 1. All math is float32 as in Keras; scalar
// coefficients (powers of β) are computed in double and rounded once.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/tensor.hpp"
#include "fitcheck/nn/optimizers/schedule.hpp"

namespace fitcheck::nn {

struct OptimizerOptions {
  std::optional<double> learning_rate;  // unset: the optimizer's Keras default (SGD 0.01, others 0.001)
  std::shared_ptr<LearningRateSchedule> schedule;  // overrides learning_rate when set
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::optional<double> weight_decay;
};

// A variable and its gradient as the optimizer sees them. The slot index is the variable's
// position in the list, which must be the same at every call.
struct VariableRef {
  core::Tensor* value;
  core::Tensor* grad;
};

class Optimizer {
 public:
  explicit Optimizer(OptimizerOptions options);
  virtual ~Optimizer() = default;
  virtual std::string class_name() const = 0;

  void apply(const std::vector<VariableRef>& variables);
  std::int64_t iterations() const { return iterations_; }
  // The rate the next step will use (schedule evaluated at iterations()).
  double learning_rate() const;
  // Sets a constant rate (ReduceLROnPlateau); drops a schedule.
  void set_learning_rate(double lr);
  nlohmann::json get_config() const;

 protected:
  virtual void update_step(std::size_t slot, float* w, const float* g, std::int64_t n, float lr) = 0;
  // Called once per apply() before the per-variable updates (Nadam's momentum product).
  virtual void begin_step() {}
  virtual void add_config(nlohmann::json& /*config*/) const {}
  // Optimizer state per variable: `count` zero-filled (or `init`) slots of n values.
  std::vector<float>& slot(std::size_t variable, std::size_t which, std::int64_t n, float init = 0.0f);
  std::int64_t step() const { return iterations_ + 1; }  // Keras' t

  OptimizerOptions options_;

 private:
  std::int64_t iterations_ = 0;
  std::vector<std::vector<std::vector<float>>> slots_;
};

struct SgdOptions {
  double momentum = 0.0;
  bool nesterov = false;
};
struct AdamOptions {
  double beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7;
  bool amsgrad = false;
};
struct RmspropOptions {
  double rho = 0.9, momentum = 0.0, epsilon = 1e-7;
  bool centered = false;
};
struct AdagradOptions {
  double initial_accumulator_value = 0.1, epsilon = 1e-7;
};

std::unique_ptr<Optimizer> make_sgd(OptimizerOptions base, SgdOptions options = {});
std::unique_ptr<Optimizer> make_adam(OptimizerOptions base, AdamOptions options = {});
// AdamW: Adam with weight_decay defaulting to 0.004 (set in base.weight_decay to change it).
std::unique_ptr<Optimizer> make_adamw(OptimizerOptions base, AdamOptions options = {});
std::unique_ptr<Optimizer> make_rmsprop(OptimizerOptions base, RmspropOptions options = {});
std::unique_ptr<Optimizer> make_adagrad(OptimizerOptions base, AdagradOptions options = {});
std::unique_ptr<Optimizer> make_adamax(OptimizerOptions base, AdamOptions options = {});
std::unique_ptr<Optimizer> make_nadam(OptimizerOptions base, AdamOptions options = {});

// A Keras optimizer identifier: a name ("adam", "sgd", "rmsprop", ...; Keras' defaults) or
// {"class_name": "Adam", "config": {"learning_rate": ..., "clipnorm": ...}} (learning_rate may be
// a serialised schedule). Throws ConfigError naming `where`.
std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& spec, const std::string& where = "optimizer");

}  // namespace fitcheck::nn
