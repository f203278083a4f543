#pragma once
// Central-difference gradient checks for layers and losses (the checker owns the tolerances).
//
// L = Σ y ⊙ r with a fixed random r, accumulated in double. Step h = 1e-3 on float32 values:
// the rounding error of L (~1e-6 for tensors of ~100 values) divided by 2h gives ~5e-4 absolute
// noise in the numeric gradient, and the O(h²) truncation is ~1e-6 for smooth functions, so an
// element passes when |analytic − numeric| ≤ 3e-3 + 3e-2·|numeric|. Inputs are drawn with
// |x| ≥ 0.1 so that no value sits within h of a kink (ReLU at 0, clipping, hinge).

#include <functional>
#include <string>

#include "fitcheck/core/tensor.hpp"
#include "fitcheck/nn/layer.hpp"
#include "fitcheck/nn/losses/loss.hpp"

namespace fitcheck::nn::testing {

struct GradientReport {
  bool ok = true;
  std::string message;  // the worst element: which tensor, index, analytic and numeric values
  double worst = 0.0;
};

// Random values with |x| in [0.1, scale], random sign (seeded).
core::Tensor random_away_from_zero(const core::Shape& shape, std::uint32_t seed, double scale = 1.0);

// Checks the input gradient (unless check_input is false) and every trainable parameter's
// gradient of `layer` (built on x's shape) in training or inference mode.
GradientReport check_layer_gradients(Layer& layer, const core::Tensor& x, bool training, bool check_input = true);

// Checks d loss / d y_pred (or d loss / d logits when `logits`).
GradientReport check_loss_gradient(const Loss& loss, const core::Tensor& y_true, const core::Tensor& y_pred,
                                   bool logits = false);

}  // namespace fitcheck::nn::testing
