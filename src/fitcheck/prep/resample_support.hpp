#pragma once
// Checks and row copying shared by the resamplers.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::prep::detail {

// x must be (rows, features) with one label per row; throws ShapeError naming `who`.
void check_resample_input(const core::Tensor& x, const std::vector<std::int64_t>& y, std::string_view who);
// The index of the first NaN or infinity in `values`, or -1.
std::int64_t first_non_finite(std::span<const float> values);
// Copies `from` to `to` (all of it) and returns first_non_finite(from), in one pass.
std::int64_t copy_finite(std::span<const float> from, float* to);
// Rows `rows` of `x` in that order.
core::Tensor gather_rows(const core::Tensor& x, const std::vector<std::int64_t>& rows);

}  // namespace fitcheck::prep::detail
