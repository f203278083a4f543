#pragma once
// UpSampling2D (nearest): repeats each row size[0] times and each column size[1] times,
// channels_last. Keras' "bilinear" interpolation is refused with a ConfigError.

#include <vector>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class UpSampling2D final : public Layer {
 public:
  explicit UpSampling2D(std::vector<std::int64_t> size = {2, 2}, std::string name = "up_sampling2d");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "UpSampling2D"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void add_config(Json& config) const override;

 private:
  std::vector<std::int64_t> size_;
};

}  // namespace fitcheck::nn
