#pragma once
// ZeroPadding2D: adds rows and columns of zeros around each channels_last image.
// padding as Keras takes it: n, (h, w) or ((top, bottom), (left, right)); default 1 all round.

#include <vector>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class ZeroPadding2D final : public Layer {
 public:
  // {top, bottom, left, right}
  explicit ZeroPadding2D(std::vector<std::int64_t> padding = {1, 1, 1, 1}, std::string name = "zero_padding2d");
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "ZeroPadding2D"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

 protected:
  void add_config(Json& config) const override;

 private:
  std::vector<std::int64_t> padding_;
};

}  // namespace fitcheck::nn
