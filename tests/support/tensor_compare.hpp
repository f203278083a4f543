#pragma once
// Comparing a fitcheck tensor with a reference one (PyTorch, an ONNX interpreter, NumPy): rtol and
// atol together as numpy.allclose (style.md), with the worst element named on failure.

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::test {

// Every element within atol + rtol·|expected| (NaN only where the reference has NaN). The sizes
// must agree; with `same_shape`, the shapes too. `peer` names the reference in messages.
::testing::AssertionResult all_close(const core::Tensor& actual, const core::Tensor& expected, double rtol, double atol,
                                     const std::string& peer, bool same_shape = true);

double max_abs_diff(const core::Tensor& a, const core::Tensor& b);

// A tensor of the given shape filled with uniform values in [lo, hi) from core::Rng(seed).
core::Tensor uniform_tensor(const core::Shape& shape, std::uint32_t seed, double lo = -2.0, double hi = 2.0);

}  // namespace fitcheck::test
