// The im2col + GEMM convolution and the pooling kernels against naive direct loops written here
// (Keras' padding arithmetic restated independently), for every padding, stride and dilation —
// so that forward values are checked even where PyTorch (the parity tests) is not installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/pooling.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

struct Axis {
  std::int64_t out, pad;  // output length, padding before the data
};

// Keras: valid → floor((n − span) / s) + 1; same → ceil(n / s) with the odd pixel after; causal → all before.
Axis axis(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t d, const std::string& padding) {
  const std::int64_t span = (k - 1) * d + 1;
  if (padding == "valid") return {(n - span) / s + 1, 0};
  const std::int64_t out = (n + s - 1) / s;
  if (padding == "causal") return {out, span - 1};
  return {out, std::max<std::int64_t>((out - 1) * s + span - n, 0) / 2};
}

Tensor random(const Shape& s, std::uint32_t seed) {
  core::Rng rng(seed);
  Tensor t(s);
  for (auto& v : t.values()) v = static_cast<float>(rng.uniform(-1.0, 1.0));
  return t;
}

struct ConvCase {
  std::int64_t h, w, c, f, kh, kw, sh, sw, dh, dw;
  std::string padding;
};

TEST(WindowKernels, Conv2dMatchesDirectLoops) {
  const std::vector<ConvCase> cases = {
      {7, 6, 2, 3, 3, 3, 1, 1, 1, 1, "valid"}, {7, 6, 2, 3, 3, 3, 1, 1, 1, 1, "same"},
      {8, 7, 3, 2, 3, 3, 2, 2, 1, 1, "same"},  {9, 9, 1, 4, 2, 4, 1, 1, 2, 2, "same"},
      {9, 8, 2, 2, 3, 2, 1, 1, 1, 3, "valid"}, {10, 11, 2, 3, 5, 5, 3, 2, 1, 1, "same"},
      {5, 5, 12, 5, 1, 1, 1, 1, 1, 1, "valid"}, {6, 5, 3, 2, 1, 1, 2, 2, 1, 1, "same"},
      {8, 8, 2, 2, 3, 3, 1, 1, 2, 2, "same"},
  };
  std::uint32_t seed = 1;
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.h << "x" << c.w << "x" << c.c << " k" << c.kh << "x" << c.kw << " s" << c.sh
                                      << "x" << c.sw << " d" << c.dh << "x" << c.dw << " " << c.padding);
    Conv2D conv({.filters = c.f, .kernel_size = {c.kh, c.kw}, .strides = {c.sh, c.sw}, .padding = c.padding,
                 .dilation_rate = {c.dh, c.dw}, .bias_initializer = "glorot_uniform"});
    core::Rng rng(seed);
    conv.build(Shape{core::kUnknownDim, c.h, c.w, c.c}, rng);
    const Tensor x = random(Shape{2, c.h, c.w, c.c}, seed++);
    Tensor y;
    conv.forward(x, y, ForwardContext{});
    const Tensor& k = conv.parameters()[0].value;
    const Tensor& b = conv.parameters()[1].value;
    const Axis ah = axis(c.h, c.kh, c.sh, c.dh, c.padding), aw = axis(c.w, c.kw, c.sw, c.dw, c.padding);
    ASSERT_EQ(y.shape(), (Shape{2, ah.out, aw.out, c.f}));
    double worst = 0;
    for (std::int64_t n = 0; n < 2; ++n)
      for (std::int64_t i = 0; i < ah.out; ++i)
        for (std::int64_t j = 0; j < aw.out; ++j)
          for (std::int64_t o = 0; o < c.f; ++o) {
            double s = b[o];
            for (std::int64_t u = 0; u < c.kh; ++u)
              for (std::int64_t v = 0; v < c.kw; ++v) {
                const std::int64_t ih = i * c.sh - ah.pad + u * c.dh, iw = j * c.sw - aw.pad + v * c.dw;
                if (ih < 0 || ih >= c.h || iw < 0 || iw >= c.w) continue;
                for (std::int64_t q = 0; q < c.c; ++q) {
                  s += double(x[((n * c.h + ih) * c.w + iw) * c.c + q]) * k[((u * c.kw + v) * c.c + q) * c.f + o];
                }
              }
            worst = std::max(worst, std::fabs(s - y[((n * ah.out + i) * aw.out + j) * c.f + o]));
          }
    EXPECT_LT(worst, 1e-5);
  }
}

TEST(WindowKernels, Conv1dCausalMatchesDirectLoops) {
  Conv1D conv({.filters = 2, .kernel_size = {3}, .padding = "causal", .dilation_rate = {2}});
  core::Rng rng(4);
  conv.build(Shape{core::kUnknownDim, 9, 2}, rng);
  const Tensor x = random(Shape{1, 9, 2}, 5);
  Tensor y;
  conv.forward(x, y, ForwardContext{});
  const Tensor& k = conv.parameters()[0].value;
  ASSERT_EQ(y.shape(), (Shape{1, 9, 2}));
  for (std::int64_t t = 0; t < 9; ++t) {
    for (std::int64_t o = 0; o < 2; ++o) {
      double s = 0;  // output t sees inputs t − 4, t − 2, t: never the future
      for (std::int64_t u = 0; u < 3; ++u) {
        const std::int64_t it = t - 4 + 2 * u;
        if (it < 0) continue;
        for (std::int64_t q = 0; q < 2; ++q) s += double(x[it * 2 + q]) * k[(u * 2 + q) * 2 + o];
      }
      EXPECT_NEAR(y[t * 2 + o], s, 1e-6) << t << " " << o;
    }
  }
}

struct PoolCase {
  std::int64_t h, w, ph, pw, sh, sw;
  std::string padding;
};

TEST(WindowKernels, PoolingMatchesDirectLoops) {
  const std::vector<PoolCase> cases = {{6, 7, 2, 2, 2, 2, "valid"}, {5, 5, 2, 2, 2, 2, "same"},
                                       {7, 6, 3, 3, 2, 2, "same"},  {5, 4, 3, 2, 1, 1, "same"},
                                       {6, 7, 3, 2, 1, 2, "valid"}, {4, 5, 1, 3, 1, 3, "same"}};
  std::uint32_t seed = 40;
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.h << "x" << c.w << " pool " << c.ph << "x" << c.pw << " s" << c.sh << "x"
                                      << c.sw << " " << c.padding);
    const std::int64_t ch = 3;
    const Tensor x = random(Shape{2, c.h, c.w, ch}, seed++);
    MaxPooling2D maxp({.pool_size = {c.ph, c.pw}, .strides = {c.sh, c.sw}, .padding = c.padding});
    AveragePooling2D avgp({.pool_size = {c.ph, c.pw}, .strides = {c.sh, c.sw}, .padding = c.padding});
    Tensor ym, ya;
    maxp.forward(x, ym, ForwardContext{});
    avgp.forward(x, ya, ForwardContext{});
    const Axis ah = axis(c.h, c.ph, c.sh, 1, c.padding), aw = axis(c.w, c.pw, c.sw, 1, c.padding);
    ASSERT_EQ(ym.shape(), (Shape{2, ah.out, aw.out, ch}));
    for (std::int64_t n = 0; n < 2; ++n)
      for (std::int64_t i = 0; i < ah.out; ++i)
        for (std::int64_t j = 0; j < aw.out; ++j)
          for (std::int64_t q = 0; q < ch; ++q) {
            double mx = -std::numeric_limits<double>::infinity(), sum = 0;
            int count = 0;
            for (std::int64_t u = 0; u < c.ph; ++u)
              for (std::int64_t v = 0; v < c.pw; ++v) {
                const std::int64_t ih = i * c.sh - ah.pad + u, iw = j * c.sw - aw.pad + v;
                if (ih < 0 || ih >= c.h || iw < 0 || iw >= c.w) continue;
                const double val = x[((n * c.h + ih) * c.w + iw) * ch + q];
                mx = std::max(mx, val);
                sum += val;
                ++count;
              }
            const std::int64_t at = ((n * ah.out + i) * aw.out + j) * ch + q;
            EXPECT_EQ(ym[at], static_cast<float>(mx));
            EXPECT_NEAR(ya[at], sum / count, 1e-6);
          }
  }
}

}  // namespace
}  // namespace fitcheck::nn
