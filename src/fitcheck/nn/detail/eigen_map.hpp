#pragma once
// Eigen views over Tensor buffers. Included from .cpp files only: Eigen stays out of public headers.

#include <Eigen/Core>
#include <cstdint>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::nn::detail {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix, Eigen::Aligned64>;
using ConstMatrixMap = Eigen::Map<const RowMatrix, Eigen::Aligned64>;
using UnalignedMatrixMap = Eigen::Map<RowMatrix>;
using ConstUnalignedMatrixMap = Eigen::Map<const RowMatrix>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;
using RowVectorMap = Eigen::Map<Eigen::RowVectorXf>;
using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;

// A tensor seen as a matrix of (elements / last axis) rows and last-axis columns.
inline std::int64_t last_axis(const core::Tensor& t) { return t.rank() == 0 ? 1 : t.dim(t.rank() - 1); }
inline std::int64_t leading_rows(const core::Tensor& t) {
  const std::int64_t c = last_axis(t);
  return c == 0 ? 0 : t.size() / c;
}
inline ConstUnalignedMatrixMap as_matrix(const core::Tensor& t) {
  return {t.data(), leading_rows(t), last_axis(t)};
}
inline UnalignedMatrixMap as_matrix(core::Tensor& t) { return {t.data(), leading_rows(t), last_axis(t)}; }

}  // namespace fitcheck::nn::detail
