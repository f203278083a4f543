#include "fitcheck/nn/kernels/gemm.hpp"

// GCC 12 reports -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (a known false
// positive of its intrinsics headers with -march=native); silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>

#include "fitcheck/nn/kernels/thread_pool.hpp"

namespace fitcheck::nn::kernels {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strided = Eigen::Map<const RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using StridedOut = Eigen::Map<RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;

// Rows [r0, r1) of C.
void gemm_rows(bool trans_a, bool trans_b, std::int64_t r0, std::int64_t r1, std::int64_t m, std::int64_t n,
               std::int64_t k, const float* a, const float* b, float* c, bool accumulate) {
  const std::int64_t rows = r1 - r0;
  if (rows <= 0) return;
  StridedOut cm(c + r0 * n, rows, n, Eigen::OuterStride<>(n));
  const Strided bm(b, trans_b ? n : k, trans_b ? k : n, Eigen::OuterStride<>(trans_b ? k : n));
  if (!trans_a) {
    const Strided am(a + r0 * k, rows, k, Eigen::OuterStride<>(k));
    if (trans_b) {
      if (accumulate) cm.noalias() += am * bm.transpose(); else cm.noalias() = am * bm.transpose();
    } else {
      if (accumulate) cm.noalias() += am * bm; else cm.noalias() = am * bm;
    }
  } else {
    // A is k×m; rows r0..r1 of op(A) are columns r0..r1 of A.
    const Strided am(a + r0, k, rows, Eigen::OuterStride<>(m));
    if (trans_b) {
      if (accumulate) cm.noalias() += am.transpose() * bm.transpose(); else cm.noalias() = am.transpose() * bm.transpose();
    } else {
      if (accumulate) cm.noalias() += am.transpose() * bm; else cm.noalias() = am.transpose() * bm;
    }
  }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
          const float* b, float* c, bool accumulate) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) std::fill_n(c, m * n, 0.0f);
    return;
  }
  const std::int64_t work = m * n * k;
  const int parts = work >= kParallelGemmWork && m >= 16 ? max_threads() : 1;
  if (parts == 1) {
    gemm_rows(trans_a, trans_b, 0, m, m, n, k, a, b, c, accumulate);
    return;
  }
  parallel_run(parts, [&](int part, int count) {
    // Row blocks rounded to 8 keep each thread's panel aligned to Eigen's register blocking.
    const std::int64_t block = ((m + count - 1) / count + 7) / 8 * 8;
    const std::int64_t r0 = std::min(m, block * part), r1 = std::min(m, r0 + block);
    gemm_rows(trans_a, trans_b, r0, r1, m, n, k, a, b, c, accumulate);
  });
}

}  // namespace fitcheck::nn::kernels
