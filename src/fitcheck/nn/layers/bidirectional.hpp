#pragma once
// Bidirectional (Keras 3 semantics): a forward copy of a recurrent layer and a backward copy with
// go_backwards flipped read the same input; with return_sequences the backward output is put back
// in time order; then merge_mode "concat" (default; [forward, backward] on the last axis), "sum",
// "mul" or "ave". Variables: the forward layer's, then the backward layer's, as Keras stores them.

#include <memory>

#include "fitcheck/nn/layers/recurrent.hpp"

namespace fitcheck::nn {

class Bidirectional final : public Layer {
 public:
  // `layer` is the recurrent layer to run both ways (LSTM, GRU or SimpleRNN); `backward_layer`
  // replaces the go_backwards copy when given (Keras' backward_layer argument).
  explicit Bidirectional(std::unique_ptr<Layer> layer, std::string merge_mode = "concat",
                         std::unique_ptr<Layer> backward_layer = nullptr);
  template <typename L, typename = std::enable_if_t<std::is_base_of_v<Recurrent, std::decay_t<L>>>>
  explicit Bidirectional(L&& layer, std::string merge_mode = "concat")
      : Bidirectional(std::unique_ptr<Layer>(new std::decay_t<L>(std::forward<L>(layer))), std::move(merge_mode)) {}
  static std::unique_ptr<Layer> from_config(const Json& config);

  std::string class_name() const override { return "Bidirectional"; }
  core::Shape compute_output_shape(const core::Shape& input) const override;
  void forward(const core::Tensor& x, core::Tensor& y, const ForwardContext& ctx) override;
  void backward(const core::Tensor& x, const core::Tensor& y, const core::Tensor& dy, core::Tensor* dx) override;

  const Recurrent& forward_layer() const { return *forward_; }
  const Recurrent& backward_layer() const { return *backward_; }

 protected:
  void create_parameters(const core::Shape& input, core::Rng& rng) override;
  void add_config(Json& config) const override;

 private:
  std::unique_ptr<Recurrent> forward_, backward_;
  std::string merge_mode_;
  core::Tensor yf_, yb_, dyf_, dyb_, dxb_;
};

}  // namespace fitcheck::nn
