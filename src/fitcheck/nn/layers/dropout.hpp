#pragma once
// Dropout (inverted): in training, keeps each value with probability 1 − rate and scales kept
// values by 1/(1 − rate); identity at inference, as Keras.

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct DropoutOptions {
  double rate = 0.0;
  std::string name;
};

class Dropout final : public Layer {
 public:
  explicit Dropout(DropoutOptions options);
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Dropout"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  double rate() const { return options_.rate; }

 protected:
  void add_config(Json& config) const override;

 private:
  DropoutOptions options_;
  core::Tensor mask_;  // 0 or 1/(1-rate) per element of the last training forward
  bool mask_active_ = false;
};

}  // namespace fitcheck::nn
