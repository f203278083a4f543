#pragma once
// Element-wise (and softmax, last-axis) activation functions with Keras 3 definitions, used by
// Dense(activation=...) and the Activation layer. Backward gets both the input z and the output y
// so that each function uses whichever gives the cheaper, more accurate derivative.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::nn {

class ActivationFunction {
 public:
  virtual ~ActivationFunction() = default;
  // Keras' serialised name ("relu", "linear", ...).
  virtual std::string name() const = 0;
  // y = f(z) over rows × cols values (cols = last axis; only softmax uses it).
  virtual void forward(const float* z, float* y, std::int64_t rows, std::int64_t cols) const = 0;
  // dz = dy · f'(z), assigned. z and y are the forward input and output.
  virtual void backward(const float* z, const float* y, const float* dy, float* dz, std::int64_t rows,
                        std::int64_t cols) const = 0;
  // False when the output alone gives the derivative (relu, sigmoid, tanh, softmax, ...).
  virtual bool backward_needs_input() const { return false; }
  bool is_linear() const { return name() == "linear"; }
  // Serialised form for get_config: a name string, or a dict when options differ from defaults.
  virtual nlohmann::json to_json() const { return name(); }
};

// "relu", "ReLU" objects as {"class_name": "LeakyReLU", ...} are layers, not activations; here
// only names (and null → linear) are accepted. Throws ConfigError naming `where` for unknown names.
std::unique_ptr<ActivationFunction> make_activation(const nlohmann::json& spec, const std::string& where);
std::vector<std::string> activation_names();

}  // namespace fitcheck::nn
