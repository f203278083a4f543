#pragma once
// Flatten: (N, d1, d2, ...) → (N, d1·d2·...).

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class Flatten final : public Layer {
 public:
  explicit Flatten(std::string name = "flatten");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Flatten"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void add_config(Json& config) const override { config["data_format"] = "channels_last"; }
};

}  // namespace fitcheck::nn
