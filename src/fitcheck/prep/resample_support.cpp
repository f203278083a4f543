#include "fitcheck/prep/resample_support.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::prep::detail {

void check_resample_input(const core::Tensor& x, const std::vector<std::int64_t>& y, std::string_view who) {
  if (x.rank() != 2) {
    throw core::ShapeError({.where = std::string(who), .what = "expects a 2-D feature matrix",
                            .expected = "(rows, features)", .got = fmt::format("rank {}", x.rank()),
                            .hint = "Flatten the samples before resampling."});
  }
  if (static_cast<std::int64_t>(y.size()) != x.dim(0)) {
    throw core::ShapeError({.where = std::string(who), .what = "labels and rows differ in number",
                            .expected = fmt::format("{} labels", x.dim(0)), .got = fmt::format("{}", y.size())});
  }
}

namespace {

// A branch-free pass over a chunk (it vectorises): the largest magnitude's bits reach the
// exponent-all-ones range only for inf and NaN.
bool all_finite(const float* v, std::size_t n) {
  std::uint32_t largest = 0;
  for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, std::bit_cast<std::uint32_t>(v[i]) & 0x7fffffffu);
  return largest < 0x7f800000u;
}

constexpr std::size_t kChunk = 4096;  // 16 KB: checked while in L1

}  // namespace

std::int64_t first_non_finite(std::span<const float> values) {
  for (std::size_t begin = 0; begin < values.size(); begin += kChunk) {
    const std::size_t end = std::min(values.size(), begin + kChunk);
    if (all_finite(values.data() + begin, end - begin)) continue;
    for (std::size_t i = begin; i < end; ++i) {
      if (!std::isfinite(values[i])) return static_cast<std::int64_t>(i);
    }
  }
  return -1;
}

std::int64_t copy_finite(std::span<const float> from, float* to) {
  std::int64_t first = -1;
  std::size_t begin = 0;
#if defined(__AVX512F__)
  // Large copies (SMOTE's copy of x: 8 MB of a 15 MB output) are written past the cache, with
  // non-temporal stores: no cache line of `to` is read first, a third less memory traffic, and
  // the check reads the values from registers. Needs `to` 64-byte aligned (Tensor storage is).
  if (from.size() >= (std::size_t{1} << 18) && reinterpret_cast<std::uintptr_t>(to) % 64 == 0) {
    using Bits = std::uint32_t __attribute__((vector_size(64)));
    for (; begin + kChunk <= from.size(); begin += kChunk) {
      Bits largest = {};
      for (std::size_t i = begin; i < begin + kChunk; i += 16) {
        Bits v;
        std::memcpy(&v, from.data() + i, sizeof v);
        const Bits magnitude = v & 0x7fffffffu;
        largest = magnitude > largest ? magnitude : largest;
        _mm512_stream_si512(reinterpret_cast<__m512i*>(to + i), __m512i(v));
      }
      std::uint32_t most = 0;
      for (int lane = 0; lane < 16; ++lane) most = std::max(most, largest[lane]);
      if (first < 0 && most >= 0x7f800000u) {
        first = static_cast<std::int64_t>(begin) + first_non_finite(from.subspan(begin, kChunk));
      }
    }
    _mm_sfence();  // the streamed stores are ordered before anything the caller does next
  }
#endif
  for (; begin < from.size(); begin += kChunk) {
    const std::size_t n = std::min(from.size() - begin, kChunk);
    std::memcpy(to + begin, from.data() + begin, n * sizeof(float));
    if (first < 0 && !all_finite(from.data() + begin, n)) {
      first = static_cast<std::int64_t>(begin) + first_non_finite(from.subspan(begin, n));
    }
  }
  return first;
}

core::Tensor gather_rows(const core::Tensor& x, const std::vector<std::int64_t>& rows) {
  const std::int64_t d = x.rank() == 2 ? x.dim(1) : 1;
  core::Tensor out;
  out.resize(core::Shape({static_cast<std::int64_t>(rows.size()), d}));  // every row is written
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(x.data() + rows[i] * d, d, out.data() + static_cast<std::int64_t>(i) * d);
  }
  return out;
}

}  // namespace fitcheck::prep::detail
