#pragma once
// Shared shape checks with Keras-better messages: names the layer, expected vs received shape,
// the axis, and the fix (add a channel axis, flatten, reshape).

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

// Throws ShapeError unless `got` (with batch axis) matches `expected` (with batch axis) on every
// known axis. The hint proposes the reshape that fixes the most common mismatches.
void check_sample_shape(const Layer& layer, const core::Shape& got, const core::Shape& expected);

// The fix for data of shape `got` fed to a model expecting `expected` (both with batch axes).
std::string reshape_hint(const core::Shape& got, const core::Shape& expected);

}  // namespace fitcheck::nn
