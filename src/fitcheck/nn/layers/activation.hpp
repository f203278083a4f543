#pragma once
// Activation: applies an activation function (relu, softmax, ...) as its own layer.

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class Activation final : public Layer {
 public:
  explicit Activation(const std::string& activation, std::string name = "activation");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Activation"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return fn_->name(); }
  const core::Tensor* pre_activation() const override { return last_input_; }

 protected:
  void add_config(Json& config) const override;

 private:
  std::unique_ptr<ActivationFunction> fn_;
  const core::Tensor* last_input_ = nullptr;  // the x of the last forward (owned by the model)
};

}  // namespace fitcheck::nn
