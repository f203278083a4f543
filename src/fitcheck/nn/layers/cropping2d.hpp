#pragma once
// Cropping2D: removes rows and columns at the borders of each channels_last image.
// cropping as Keras takes it: n, (h, w) or ((top, bottom), (left, right)); default none.

#include <vector>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class Cropping2D final : public Layer {
 public:
  // {top, bottom, left, right}
  explicit Cropping2D(std::vector<std::int64_t> cropping = {0, 0, 0, 0}, std::string name = "cropping2d");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Cropping2D"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void add_config(Json& config) const override;

 private:
  std::vector<std::int64_t> cropping_;
};

}  // namespace fitcheck::nn
