#pragma once
// TimeDistributed (Keras semantics): applies its layer to every step of axis 1 alike — the input
// (batch, time, ...) is read as (batch·time, ...) by the wrapped layer, whose output is given
// back as (batch, time, ...). The variables are the wrapped layer's (one set shared by all steps).

#include <memory>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

class TimeDistributed final : public Layer {
 public:
  explicit TimeDistributed(std::unique_ptr<Layer> layer);
  template <typename L, typename = std::enable_if_t<std::is_base_of_v<Layer, std::decay_t<L>>>>
  explicit TimeDistributed(L&& layer)
      : TimeDistributed(std::unique_ptr<Layer>(new std::decay_t<L>(std::forward<L>(layer)))) {}
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "TimeDistributed"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;
  std::string output_activation() const override { return layer_->output_activation(); }
  const core::Tensor* pre_activation() const override { return has_pre_activation_ ? &pre_ : nullptr; }

  const Layer& layer() const { return *layer_; }

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  std::unique_ptr<Layer> layer_;
  core::Tensor xs_, ys_, dys_, dxs_, pre_;  // the (batch·time, ...) views, copied
  bool has_pre_activation_ = false;
};

}  // namespace fitcheck::nn
