#include "fitcheck/nn/activation_function.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/detail/names.hpp"

namespace fitcheck::nn {
namespace {

using Index = std::int64_t;

// Element-wise activations are written as a pair of scalar functions; the loops vectorise.
template <typename Forward, typename Derivative>
class Elementwise final : public ActivationFunction {
 public:
  Elementwise(std::string name, Forward f, Derivative d, bool needs_input)
      : name_(std::move(name)), f_(f), d_(d), needs_input_(needs_input) {}
  std::string name() const override { return name_; }
  void forward(const float* z, float* y, Index rows, Index cols) const override {
    const Index n = rows * cols;
    for (Index i = 0; i < n; ++i) y[i] = f_(z[i]);
  }
  // d_(z, y) returns f'(z) given z and y = f(z).
  void backward(const float* z, const float* y, const float* dy, float* dz, Index rows,
                Index cols) const override {
    const Index n = rows * cols;
    for (Index i = 0; i < n; ++i) dz[i] = dy[i] * d_(z ? z[i] : 0.0f, y[i]);
  }
  bool backward_needs_input() const override { return needs_input_; }

 private:
  std::string name_;
  Forward f_;
  Derivative d_;
  bool needs_input_;
};

template <typename F, typename D>
std::unique_ptr<ActivationFunction> elementwise(std::string name, F f, D d, bool needs_input) {
  return std::make_unique<Elementwise<F, D>>(std::move(name), f, d, needs_input);
}

class Softmax final : public ActivationFunction {
 public:
  std::string name() const override { return "softmax"; }
  void forward(const float* z, float* y, Index rows, Index cols) const override {
    for (Index r = 0; r < rows; ++r) {
      const float* zr = z + r * cols;
      float* yr = y + r * cols;
      const float m = *std::max_element(zr, zr + cols);
      float sum = 0.0f;
      for (Index c = 0; c < cols; ++c) {
        yr[c] = std::exp(zr[c] - m);
        sum += yr[c];
      }
      const float inv = 1.0f / sum;
      for (Index c = 0; c < cols; ++c) yr[c] *= inv;
    }
  }
  void backward(const float*, const float* y, const float* dy, float* dz, Index rows,
                Index cols) const override {
    for (Index r = 0; r < rows; ++r) {
      const float* yr = y + r * cols;
      const float* dyr = dy + r * cols;
      float dot = 0.0f;
      for (Index c = 0; c < cols; ++c) dot += yr[c] * dyr[c];
      for (Index c = 0; c < cols; ++c) dz[r * cols + c] = yr[c] * (dyr[c] - dot);
    }
  }
};

float sigmoid(float x) {
  // Two branches keep exp() from overflowing for large |x|.
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kLeakyReluSlope = 0.2f;  // keras.activations.leaky_relu default
constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

using Factory = std::function<std::unique_ptr<ActivationFunction>()>;

const std::vector<std::pair<std::string, Factory>>& table() {
  static const std::vector<std::pair<std::string, Factory>> t = {
      {"linear", [] { return elementwise("linear", [](float x) { return x; }, [](float, float) { return 1.0f; }, false); }},
      {"relu", [] {
         return elementwise("relu", [](float x) { return x > 0.0f ? x : 0.0f; },
                            [](float, float y) { return y > 0.0f ? 1.0f : 0.0f; }, false);
       }},
      {"leaky_relu", [] {
         return elementwise("leaky_relu", [](float x) { return x > 0.0f ? x : kLeakyReluSlope * x; },
                            [](float, float y) { return y > 0.0f ? 1.0f : kLeakyReluSlope; }, false);
       }},
      {"elu", [] {
         return elementwise("elu", [](float x) { return x > 0.0f ? x : std::expm1(x); },
                            [](float, float y) { return y > 0.0f ? 1.0f : y + 1.0f; }, false);
       }},
      {"selu", [] {
         return elementwise(
             "selu", [](float x) { return x > 0.0f ? kSeluScale * x : kSeluScale * kSeluAlpha * std::expm1(x); },
             [](float, float y) { return y > 0.0f ? kSeluScale : y + kSeluScale * kSeluAlpha; }, false);
       }},
      {"gelu", [] {
         // Keras' default approximate=False: x·Φ(x) with the exact normal CDF.
         return elementwise(
             "gelu", [](float x) { return 0.5f * x * (1.0f + std::erf(x * kInvSqrt2)); },
             [](float x, float) {
               return 0.5f * (1.0f + std::erf(x * kInvSqrt2)) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x);
             },
             true);
       }},
      {"sigmoid", [] {
         return elementwise("sigmoid", sigmoid, [](float, float y) { return y * (1.0f - y); }, false);
       }},
      {"hard_sigmoid", [] {
         // Keras 3: relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1) (Keras 2 used slope 0.2).
         return elementwise(
             "hard_sigmoid", [](float x) { return std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f); },
             [](float x, float) { return (x > -3.0f && x < 3.0f) ? 1.0f / 6.0f : 0.0f; }, true);
       }},
      {"tanh", [] {
         return elementwise("tanh", [](float x) { return std::tanh(x); },
                            [](float, float y) { return 1.0f - y * y; }, false);
       }},
      {"softmax", [] { return std::unique_ptr<ActivationFunction>(std::make_unique<Softmax>()); }},
      {"softplus", [] {
         return elementwise(
             "softplus", [](float x) { return std::max(x, 0.0f) + std::log1p(std::exp(-std::fabs(x))); },
             [](float x, float) { return sigmoid(x); }, true);
       }},
      {"softsign", [] {
         return elementwise("softsign", [](float x) { return x / (1.0f + std::fabs(x)); },
                            [](float x, float) {
                              const float d = 1.0f + std::fabs(x);
                              return 1.0f / (d * d);
                            },
                            true);
       }},
      {"swish", [] {
         return elementwise("swish", [](float x) { return x * sigmoid(x); },
                            [](float x, float) {
                              const float s = sigmoid(x);
                              return s + x * s * (1.0f - s);
                            },
                            true);
       }},
  };
  return t;
}

}  // namespace

std::vector<std::string> activation_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : table()) names.push_back(name);
  return names;
}

std::unique_ptr<ActivationFunction> make_activation(const nlohmann::json& spec, const std::string& where) {
  if (spec.is_null()) return make_activation("linear", where);
  std::string name;
  if (spec.is_string()) {
    name = spec.get<std::string>();
  } else if (spec.is_object() && spec.contains("config") && spec["config"].is_string()) {
    name = spec["config"].get<std::string>();  // Keras 3 {"class_name": "function", "config": "relu"}
  } else {
    throw core::ConfigError({.where = where, .what = "activation must be a name",
                             .expected = "a string such as \"relu\"", .got = spec.dump()});
  }
  std::string key = name;
  if (key == "silu") key = "swish";  // Keras alias
  if (key.empty() || key == "None") key = "linear";
  for (const auto& [entry, factory] : table()) {
    if (entry == key) return factory();
  }
  throw core::ConfigError({.where = where,
                           .what = "unknown activation \"" + name + "\"",
                           .hint = detail::did_you_mean(name, activation_names())});
}

}  // namespace fitcheck::nn
