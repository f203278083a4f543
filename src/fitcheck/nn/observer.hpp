#pragma once
// Hook points for the training monitors (doctor). Sequential notifies every attached observer at
// each point below; with no observer attached, fit() skips the notifications, the non-finite
// scans and the weight copies entirely (one branch per batch).
//
// Order within one training step:
//   on_batch_begin → on_layer_forward (each layer, in order) → on_loss →
//   on_layer_backward (each layer, last to first, down to the lowest layer with trainable
//   parameters — the layers below it have nothing to learn and get no backward pass; the layer's
//   Parameter::grad are filled) →
//   on_parameter_update (each trainable variable, after the optimizer step; only when
//   wants_parameter_updates()) → on_batch_end.
// on_epoch_end follows the epoch's validation. on_non_finite fires once per fit, at the first
// NaN/inf seen in a layer output, the loss, a gradient or an updated weight. Updated weights are
// not scanned every step: a weight that overflows shows in the next forward output, and is then
// named with the step that wrote it.

#include <cstdint>
#include <string>

#include "fitcheck/core/tensor.hpp"
#include "fitcheck/nn/history.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct BatchInfo {
  int epoch = 0;               // 0-based
  std::int64_t batch = 0;      // index within the epoch
  std::int64_t step = 0;       // global optimizer step (0-based), = optimizer iterations before the update
  std::int64_t batch_size = 0; // rows in this batch (the last one may be partial)
  double learning_rate = 0.0;
};

struct NonFiniteEvent {
  BatchInfo batch;
  int layer_index = -1;   // -1 for the loss
  std::string layer_name; // "" for the loss
  std::string layer_class;
  // "forward" (layer output), "loss", "loss_gradient", "backward" (input or parameter gradient),
  // "update" (a weight after the optimizer step).
  std::string op;
  std::string tensor;     // "output", "input_gradient", "kernel_gradient", "kernel", "loss", ...
  std::int64_t element = 0;
  float value = 0.0f;
  bool input_finite = true;  // whether the layer's input was finite (so this layer produced it)
  std::string describe() const;  // "layers[2] Dense \"dense_1\": forward produced nan in output[17]"
};

// A layer's trainable parameter gradients summed up once per step for every observer; the same
// pass is the non-finite test of the gradients (the sum is finite when they all are).
struct ParameterGradients {
  double sum_of_squares = 0.0;
  std::int64_t count = 0;  // values summed; 0 for a layer without trainable parameters
};

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void on_batch_begin(const BatchInfo&, const core::Tensor& /*x*/, const core::Tensor& /*y*/) {}
  virtual void on_layer_forward(const BatchInfo&, const Layer&, const core::Tensor& /*input*/,
                                const core::Tensor& /*output*/) {}
  virtual void on_loss(const BatchInfo&, double /*loss*/, const core::Tensor& /*y_true*/,
                       const core::Tensor& /*y_pred*/) {}
  // output_grad = dL/d(layer output); input_grad is null for the lowest layer backward reaches.
  virtual void on_layer_backward(const BatchInfo&, const Layer&, const core::Tensor& /*output_grad*/,
                                 const core::Tensor* /*input_grad*/, const ParameterGradients&) {}
  // `previous` is the variable's value before this step.
  virtual void on_parameter_update(const BatchInfo&, const Layer&, const Parameter&, const core::Tensor& /*previous*/) {}
  virtual void on_batch_end(const BatchInfo&, double /*loss*/) {}
  virtual void on_epoch_end(int /*epoch*/, const Logs&) {}
  virtual void on_non_finite(const NonFiniteEvent&) {}
  // Copying the weights before each step costs time; observers that need updates say so.
  virtual bool wants_parameter_updates() const { return false; }
};

// Index of the first NaN/inf in t, or -1.
std::int64_t first_non_finite(const core::Tensor& t);

// Sum of the squares of t's values (float partial sums, added in double): not finite when a value
// is not, or when values beyond ~1e19 overflow it.
double sum_of_squares(const core::Tensor& t);

}  // namespace fitcheck::nn
