// The update rules (keras.md §3.2) and the optimizer name table.
#include <algorithm>
#include <cmath>
#include <functional>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/names.hpp"
#include "fitcheck/nn/optimizers/optimizer.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;
using nlohmann::json;

OptimizerOptions with_default_lr(OptimizerOptions o, double lr) {
  if (!o.learning_rate) o.learning_rate = lr;
  return o;
}

class Sgd final : public Optimizer {
 public:
  Sgd(OptimizerOptions base, SgdOptions o) : Optimizer(with_default_lr(std::move(base), 0.01)), o_(o) {
    if (o_.momentum < 0.0 || o_.momentum > 1.0) {
      throw core::ConfigError({.where = "SGD: momentum", .what = "out of range", .expected = "a value in [0, 1]",
                               .got = std::to_string(o_.momentum)});
    }
  }
  std::string class_name() const override { return "SGD"; }

 protected:
  void update_step(std::size_t s, float* w, const float* g, Index n, float lr) override {
    if (o_.momentum == 0.0) {
      for (Index i = 0; i < n; ++i) w[i] -= lr * g[i];
      return;
    }
    // Keras: m = μ·m − lr·g; w += m (nesterov: w += μ·m − lr·g).
    auto& m = slot(s, 0, n);
    const auto mu = static_cast<float>(o_.momentum);
    for (Index i = 0; i < n; ++i) {
      m[i] = mu * m[i] - lr * g[i];
      w[i] += o_.nesterov ? mu * m[i] - lr * g[i] : m[i];
    }
  }
  void add_config(json& c) const override {
    c["momentum"] = o_.momentum;
    c["nesterov"] = o_.nesterov;
  }

 private:
  SgdOptions o_;
};

class Adam final : public Optimizer {
 public:
  Adam(OptimizerOptions base, AdamOptions o, std::string name = "Adam")
      : Optimizer(with_default_lr(std::move(base), 0.001)), o_(o), name_(std::move(name)) {}
  std::string class_name() const override { return name_; }

 protected:
  void update_step(std::size_t s, float* w, const float* g, Index n, float lr) override {
    auto& m = slot(s, 0, n);
    auto& v = slot(s, 1, n);
    const auto t = static_cast<double>(step());
    const auto alpha = static_cast<float>(lr * std::sqrt(1.0 - std::pow(o_.beta_2, t)) / (1.0 - std::pow(o_.beta_1, t)));
    const auto b1 = static_cast<float>(1.0 - o_.beta_1), b2 = static_cast<float>(1.0 - o_.beta_2);
    const auto eps = static_cast<float>(o_.epsilon);
    if (o_.amsgrad) {
      auto& vhat = slot(s, 2, n);
      for (Index i = 0; i < n; ++i) {
        m[i] += (g[i] - m[i]) * b1;
        v[i] += (g[i] * g[i] - v[i]) * b2;
        vhat[i] = std::max(vhat[i], v[i]);
        w[i] -= m[i] * alpha / (std::sqrt(vhat[i]) + eps);
      }
      return;
    }
    // Plain restrict pointers: through the vectors' operator[] the compiler must assume the
    // stores to w may move the slots' buffers, and the loop does not vectorize.
    float* __restrict mp = m.data();
    float* __restrict vp = v.data();
    float* __restrict wp = w;
    const float* __restrict gp = g;
    for (Index i = 0; i < n; ++i) {
      mp[i] += (gp[i] - mp[i]) * b1;
      vp[i] += (gp[i] * gp[i] - vp[i]) * b2;
      wp[i] -= mp[i] * alpha / (std::sqrt(vp[i]) + eps);
    }
  }
  void add_config(json& c) const override {
    c["beta_1"] = o_.beta_1;
    c["beta_2"] = o_.beta_2;
    c["epsilon"] = o_.epsilon;
    c["amsgrad"] = o_.amsgrad;
  }

 private:
  AdamOptions o_;
  std::string name_;
};

class Rmsprop final : public Optimizer {
 public:
  Rmsprop(OptimizerOptions base, RmspropOptions o) : Optimizer(with_default_lr(std::move(base), 0.001)), o_(o) {}
  std::string class_name() const override { return "RMSprop"; }

 protected:
  void update_step(std::size_t s, float* w, const float* g, Index n, float lr) override {
    // Keras 3: v = ρv + (1−ρ)g²; den = v (− a² if centered) + ε; inc = lr·g/sqrt(den) (ε inside).
    auto& v = slot(s, 0, n);
    const auto rho = static_cast<float>(o_.rho), eps = static_cast<float>(o_.epsilon);
    std::vector<float>* a = o_.centered ? &slot(s, 1, n) : nullptr;
    std::vector<float>* m = o_.momentum > 0.0 ? &slot(s, 2, n) : nullptr;
    const auto mu = static_cast<float>(o_.momentum);
    for (Index i = 0; i < n; ++i) {
      v[i] = rho * v[i] + (1.0f - rho) * g[i] * g[i];
      float den = v[i];
      if (a) {
        (*a)[i] = rho * (*a)[i] + (1.0f - rho) * g[i];
        den -= (*a)[i] * (*a)[i];
      }
      const float inc = lr * g[i] / std::sqrt(den + eps);
      if (m) {
        (*m)[i] = mu * (*m)[i] + inc;
        w[i] -= (*m)[i];
      } else {
        w[i] -= inc;
      }
    }
  }
  void add_config(json& c) const override {
    c["rho"] = o_.rho;
    c["momentum"] = o_.momentum;
    c["epsilon"] = o_.epsilon;
    c["centered"] = o_.centered;
  }

 private:
  RmspropOptions o_;
};

class Adagrad final : public Optimizer {
 public:
  Adagrad(OptimizerOptions base, AdagradOptions o) : Optimizer(with_default_lr(std::move(base), 0.001)), o_(o) {}
  std::string class_name() const override { return "Adagrad"; }

 protected:
  void update_step(std::size_t s, float* w, const float* g, Index n, float lr) override {
    auto& acc = slot(s, 0, n, static_cast<float>(o_.initial_accumulator_value));
    const auto eps = static_cast<float>(o_.epsilon);
    for (Index i = 0; i < n; ++i) {
      acc[i] += g[i] * g[i];
      w[i] -= lr * g[i] / std::sqrt(acc[i] + eps);
    }
  }
  void add_config(json& c) const override {
    c["initial_accumulator_value"] = o_.initial_accumulator_value;
    c["epsilon"] = o_.epsilon;
  }

 private:
  AdagradOptions o_;
};

class Adamax final : public Optimizer {
 public:
  Adamax(OptimizerOptions base, AdamOptions o) : Optimizer(with_default_lr(std::move(base), 0.001)), o_(o) {}
  std::string class_name() const override { return "Adamax"; }

 protected:
  void update_step(std::size_t s, float* w, const float* g, Index n, float lr) override {
    auto& m = slot(s, 0, n);
    auto& u = slot(s, 1, n);
    const auto correction = static_cast<float>(1.0 - std::pow(o_.beta_1, static_cast<double>(step())));
    const auto b1 = static_cast<float>(1.0 - o_.beta_1), beta2 = static_cast<float>(o_.beta_2);
    const auto eps = static_cast<float>(o_.epsilon);
    for (Index i = 0; i < n; ++i) {
      m[i] += (g[i] - m[i]) * b1;
      u[i] = std::max(beta2 * u[i], std::fabs(g[i]));
      w[i] -= lr * m[i] / (correction * (u[i] + eps));
    }
  }
  void add_config(json& c) const override {
    c["beta_1"] = o_.beta_1;
    c["beta_2"] = o_.beta_2;
    c["epsilon"] = o_.epsilon;
  }

 private:
  AdamOptions o_;
};

class Nadam final : public Optimizer {
 public:
  Nadam(OptimizerOptions base, AdamOptions o) : Optimizer(with_default_lr(std::move(base), 0.001)), o_(o) {}
  std::string class_name() const override { return "Nadam"; }

 protected:
  void begin_step() override {
    const auto t = static_cast<double>(step());
    mu_t_ = o_.beta_1 * (1.0 - 0.5 * std::pow(0.96, t));
    mu_next_ = o_.beta_1 * (1.0 - 0.5 * std::pow(0.96, t + 1.0));
    product_ *= mu_t_;
  }
  void update_step(std::size_t s, float* w, const float* g, Index n, float lr) override {
    auto& m = slot(s, 0, n);
    auto& v = slot(s, 1, n);
    const auto t = static_cast<double>(step());
    const auto b1 = static_cast<float>(1.0 - o_.beta_1), b2 = static_cast<float>(1.0 - o_.beta_2);
    const auto c_m = static_cast<float>(mu_next_ / (1.0 - product_ * mu_next_));
    const auto c_g = static_cast<float>((1.0 - mu_t_) / (1.0 - product_));
    const auto c_v = static_cast<float>(1.0 / (1.0 - std::pow(o_.beta_2, t)));
    const auto eps = static_cast<float>(o_.epsilon);
    for (Index i = 0; i < n; ++i) {
      m[i] += (g[i] - m[i]) * b1;
      v[i] += (g[i] * g[i] - v[i]) * b2;
      const float m_hat = c_m * m[i] + c_g * g[i];
      const float v_hat = v[i] * c_v;
      w[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  }
  void add_config(json& c) const override {
    c["beta_1"] = o_.beta_1;
    c["beta_2"] = o_.beta_2;
    c["epsilon"] = o_.epsilon;
  }

 private:
  AdamOptions o_;
  double mu_t_ = 0.0, mu_next_ = 0.0, product_ = 1.0;
};

double read_number(const json& c, const char* key, double fallback, const std::string& where) {
  if (!c.contains(key) || c[key].is_null()) return fallback;
  if (!c[key].is_number()) {
    throw core::ConfigError({.where = where + ".config." + key, .what = "not a number", .expected = "a number",
                             .got = c[key].dump()});
  }
  return c[key].get<double>();
}

std::optional<double> read_optional(const json& c, const char* key, const std::string& where) {
  if (!c.contains(key) || c[key].is_null()) return std::nullopt;
  return read_number(c, key, 0.0, where);
}

using OptimizerFactory = std::function<std::unique_ptr<Optimizer>(OptimizerOptions, const json&, const std::string&)>;

AdamOptions adam_options(const json& c, const std::string& where) {
  AdamOptions o;
  o.beta_1 = read_number(c, "beta_1", 0.9, where);
  o.beta_2 = read_number(c, "beta_2", 0.999, where);
  o.epsilon = read_number(c, "epsilon", 1e-7, where);
  o.amsgrad = c.contains("amsgrad") && c["amsgrad"].is_boolean() && c["amsgrad"].get<bool>();
  return o;
}

const std::vector<std::pair<std::string, OptimizerFactory>>& optimizer_table() {
  static const std::vector<std::pair<std::string, OptimizerFactory>> t = {
      {"SGD", [](OptimizerOptions b, const json& c, const std::string& w) {
         return make_sgd(std::move(b), {.momentum = read_number(c, "momentum", 0.0, w),
                                        .nesterov = c.value("nesterov", false)});
       }},
      {"Adam", [](OptimizerOptions b, const json& c, const std::string& w) { return make_adam(std::move(b), adam_options(c, w)); }},
      {"AdamW", [](OptimizerOptions b, const json& c, const std::string& w) { return make_adamw(std::move(b), adam_options(c, w)); }},
      {"RMSprop", [](OptimizerOptions b, const json& c, const std::string& w) {
         return make_rmsprop(std::move(b), {.rho = read_number(c, "rho", 0.9, w),
                                            .momentum = read_number(c, "momentum", 0.0, w),
                                            .epsilon = read_number(c, "epsilon", 1e-7, w),
                                            .centered = c.value("centered", false)});
       }},
      {"Adagrad", [](OptimizerOptions b, const json& c, const std::string& w) {
         return make_adagrad(std::move(b), {.initial_accumulator_value = read_number(c, "initial_accumulator_value", 0.1, w),
                                            .epsilon = read_number(c, "epsilon", 1e-7, w)});
       }},
      {"Adamax", [](OptimizerOptions b, const json& c, const std::string& w) { return make_adamax(std::move(b), adam_options(c, w)); }},
      {"Nadam", [](OptimizerOptions b, const json& c, const std::string& w) { return make_nadam(std::move(b), adam_options(c, w)); }},
  };
  return t;
}

}  // namespace

std::unique_ptr<Optimizer> make_sgd(OptimizerOptions base, SgdOptions o) { return std::make_unique<Sgd>(std::move(base), o); }
std::unique_ptr<Optimizer> make_adam(OptimizerOptions base, AdamOptions o) { return std::make_unique<Adam>(std::move(base), o); }
std::unique_ptr<Optimizer> make_adamw(OptimizerOptions base, AdamOptions o) {
  if (!base.weight_decay) base.weight_decay = 0.004;
  return std::make_unique<Adam>(std::move(base), o, "AdamW");
}
std::unique_ptr<Optimizer> make_rmsprop(OptimizerOptions base, RmspropOptions o) { return std::make_unique<Rmsprop>(std::move(base), o); }
std::unique_ptr<Optimizer> make_adagrad(OptimizerOptions base, AdagradOptions o) { return std::make_unique<Adagrad>(std::move(base), o); }
std::unique_ptr<Optimizer> make_adamax(OptimizerOptions base, AdamOptions o) { return std::make_unique<Adamax>(std::move(base), o); }
std::unique_ptr<Optimizer> make_nadam(OptimizerOptions base, AdamOptions o) { return std::make_unique<Nadam>(std::move(base), o); }

std::unique_ptr<Optimizer> make_optimizer(const json& spec, const std::string& where) {
  auto parsed = detail::keras_spec(spec);
  if (!parsed) {
    throw core::ConfigError({.where = where, .what = "not an optimizer",
                             .expected = "a name such as \"adam\" or {\"class_name\", \"config\"}", .got = spec.dump()});
  }
  std::string name = std::move(parsed->name);
  if (spec.is_object() && name.rfind("Custom>", 0) == 0) name = name.substr(7);  // tf.keras 2.11–2.12 serialisation
  const json config = std::move(parsed->config);
  OptimizerOptions base;
  if (config.contains("learning_rate") && config["learning_rate"].is_object()) {
    base.schedule = make_schedule(config["learning_rate"], where + ".config.learning_rate");
  } else if (config.contains("learning_rate") || config.contains("lr")) {
    base.learning_rate = read_number(config, config.contains("learning_rate") ? "learning_rate" : "lr", 0.001, where);
    if (!(*base.learning_rate > 0.0) || !std::isfinite(*base.learning_rate)) {
      throw core::ConfigError({.where = where + ".config.learning_rate", .what = "learning rate must be positive",
                               .expected = "> 0", .got = config["learning_rate"].dump()});
    }
  }
  base.clipnorm = read_optional(config, "clipnorm", where);
  base.clipvalue = read_optional(config, "clipvalue", where);
  base.global_clipnorm = read_optional(config, "global_clipnorm", where);
  base.weight_decay = read_optional(config, "weight_decay", where);
  const std::string key = detail::normalized_key(name);
  std::vector<std::string> names;
  for (const auto& [cls, factory] : optimizer_table()) {
    names.push_back(cls);
    if (detail::normalized_key(cls) == key) return factory(std::move(base), config, where);
  }
  throw core::ConfigError({.where = where, .what = "unknown optimizer \"" + name + "\"",
                           .hint = detail::did_you_mean(name, names)});
}

}  // namespace fitcheck::nn
