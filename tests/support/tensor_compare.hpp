#pragma once
// Comparing a fitcheck tensor with a reference one (PyTorch, an ONNX interpreter, NumPy): rtol and
// atol together as numpy.allclose (style.md), with the worst element named on failure.

#include <string>

#include <gtest/gtest.h>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::test {

// Every element within atol + rtol·|expected| (NaN only where the reference has NaN). The sizes
// must agree; with `same_shape`, the shapes too. `peer` names the reference in messages.
::testing::AssertionResult all_close(const core::Tensor& actual, const core::Tensor& expected, double rtol, double atol,
                                     const std::string& peer, bool same_shape = true);

double max_abs_diff(const core::Tensor& a, const core::Tensor& b);

}  // namespace fitcheck::test
