#pragma once
// Reshape: per-sample reshape to target_shape (one axis may be -1, inferred).

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class Reshape final : public Layer {
 public:
  explicit Reshape(core::Shape target_shape, std::string name = "reshape");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Reshape"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void add_config(Json& config) const override;

 private:
  core::Shape target_;  // per sample; -1 allowed once
};

}  // namespace fitcheck::nn
