#pragma once
// Internal to nn/losses: what a loss family file needs to define its losses and list them with
// their Keras names. A new loss is its class in the family's file plus one entry in that file's
// list; registry.cpp joins the lists (explicitly, no static self-registration).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/nn/losses/loss.hpp"

namespace fitcheck::nn::losses {

using Index = std::int64_t;
inline constexpr double kEps = kKerasEpsilon;

inline double clip_probability(double p) { return std::clamp(p, kEps, 1.0 - kEps); }
inline double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x)); }
inline double sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }

// The "config" of a serialised loss object, read with type checks; errors name the key
// ("compile.loss.config.gamma"). Keys a loss does not read (name, reduction, dtype) are ignored.
class LossConfig {
 public:
  LossConfig(nlohmann::json config, std::string where) : config_(std::move(config)), where_(std::move(where)) {}
  bool flag(const char* key, bool fallback) const;
  double number(const char* key, double fallback) const;
  // A number or a list of numbers (CategoricalFocalCrossentropy's per-class alpha).
  std::vector<double> numbers(const char* key, std::vector<double> fallback) const;
  // Keras' `axis`: absent or null → nullopt; an int or a list of ints.
  std::optional<std::vector<std::int64_t>> axes(const char* key) const;
  // Keras' `reduction` ("auto" and "mean" are sum_over_batch_size); "none" cannot train.
  Loss::Reduction reduction() const;
  std::string where(const char* key) const { return where_ + ".config." + key; }
  [[noreturn]] void fail(const char* key, const std::string& what, const std::string& expected) const;

 private:
  const nlohmann::json* get(const char* key) const;
  nlohmann::json config_;
  std::string where_;
};

struct LossEntry {
  std::vector<std::string> names;  // canonical Keras function name first; then aliases and class names
  std::function<std::unique_ptr<Loss>(const LossConfig&)> make;
};

// The families, each in its own file.
std::vector<LossEntry> regression_losses();     // regression.cpp
std::vector<LossEntry> probabilistic_losses();  // probabilistic.cpp
std::vector<LossEntry> hinge_losses();          // hinge.cpp
std::vector<LossEntry> overlap_losses();        // overlap.cpp (Dice, Tversky)

}  // namespace fitcheck::nn::losses
