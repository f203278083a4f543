#include "fitcheck/nn/optimizers/optimizer.hpp"

#include <algorithm>
#include <cmath>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {

Optimizer::Optimizer(OptimizerOptions options) : options_(std::move(options)) {
  const int clips = static_cast<int>(options_.clipnorm.has_value()) + static_cast<int>(options_.clipvalue.has_value()) +
                    static_cast<int>(options_.global_clipnorm.has_value());
  if (clips > 1) {
    throw core::ConfigError({.where = "optimizer", .what = "more than one of clipnorm, clipvalue, global_clipnorm is set",
                             .expected = "at most one", .got = std::to_string(clips),
                             .hint = "Keras accepts only one clipping option; keep the one you meant."});
  }
  for (auto [name, v] : {std::pair{"clipnorm", options_.clipnorm}, std::pair{"clipvalue", options_.clipvalue},
                         std::pair{"global_clipnorm", options_.global_clipnorm}}) {
    if (v && !(*v > 0.0)) {
      throw core::ConfigError({.where = std::string("optimizer: ") + name, .what = "must be positive", .expected = "> 0",
                               .got = std::to_string(*v)});
    }
  }
}

double Optimizer::learning_rate() const {
  if (options_.schedule) return (*options_.schedule)(iterations_);
  return options_.learning_rate.value_or(0.001);
}

void Optimizer::set_learning_rate(double lr) {
  options_.schedule.reset();
  options_.learning_rate = lr;
}

std::vector<float>& Optimizer::slot(std::size_t variable, std::size_t which, std::int64_t n, float init) {
  if (slots_.size() <= variable) slots_.resize(variable + 1);
  auto& v = slots_[variable];
  // Fixed slot count per variable: resizing later would move the vectors callers hold references to.
  constexpr std::size_t kMaxSlots = 3;
  FITCHECK_CHECK(which < kMaxSlots, "optimizer slot index out of range");
  if (v.size() < kMaxSlots) v.resize(kMaxSlots);
  if (v[which].empty()) v[which].assign(static_cast<std::size_t>(n), init);
  return v[which];
}

void Optimizer::apply(const std::vector<VariableRef>& variables) {
  if (options_.global_clipnorm) {
    double sq = 0.0;
    for (const auto& v : variables) {
      for (float g : v.grad->values()) sq += static_cast<double>(g) * g;
    }
    const double norm = std::sqrt(sq), c = *options_.global_clipnorm;
    const auto factor = static_cast<float>(c * std::min(norm > 0 ? 1.0 / norm : INFINITY, 1.0 / c));
    if (factor != 1.0f) {
      for (const auto& v : variables) {
        for (float& g : v.grad->values()) g *= factor;
      }
    }
  }
  const auto lr = static_cast<float>(learning_rate());
  begin_step();
  for (std::size_t i = 0; i < variables.size(); ++i) {
    core::Tensor& w = *variables[i].value;
    core::Tensor& g = *variables[i].grad;
    if (options_.clipnorm) {
      double sq = 0.0;
      for (float x : g.values()) sq += static_cast<double>(x) * x;
      const double c = *options_.clipnorm, norm = std::sqrt(sq);
      if (norm > c) {
        const auto f = static_cast<float>(c / norm);
        for (float& x : g.values()) x *= f;
      }
    } else if (options_.clipvalue) {
      const auto c = static_cast<float>(*options_.clipvalue);
      for (float& x : g.values()) x = std::clamp(x, -c, c);
    }
    if (options_.weight_decay && *options_.weight_decay != 0.0) {
      const auto wd = static_cast<float>(*options_.weight_decay) * lr;
      for (float& x : w.values()) x -= x * wd;
    }
    update_step(i, w.data(), g.data(), w.size(), lr);
  }
  ++iterations_;
}

nlohmann::json Optimizer::get_config() const {
  nlohmann::json c;
  std::string lower = class_name();
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  c["name"] = lower;
  if (options_.schedule) {
    c["learning_rate"] = options_.schedule->get_config();
  } else {
    c["learning_rate"] = learning_rate();
  }
  c["weight_decay"] = options_.weight_decay ? nlohmann::json(*options_.weight_decay) : nlohmann::json();
  c["clipnorm"] = options_.clipnorm ? nlohmann::json(*options_.clipnorm) : nlohmann::json();
  c["global_clipnorm"] = options_.global_clipnorm ? nlohmann::json(*options_.global_clipnorm) : nlohmann::json();
  c["clipvalue"] = options_.clipvalue ? nlohmann::json(*options_.clipvalue) : nlohmann::json();
  add_config(c);
  return {{"class_name", class_name()}, {"config", c}};
}

}  // namespace fitcheck::nn
