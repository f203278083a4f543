#include "fitcheck/nn/initializer.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

struct Moments {
  double mean = 0, stddev = 0, max_abs = 0;
};

Moments moments(const Tensor& t) {
  Moments m;
  for (float v : t.values()) m.mean += v;
  m.mean /= static_cast<double>(t.size());
  for (float v : t.values()) {
    m.stddev += (v - m.mean) * (v - m.mean);
    m.max_abs = std::max(m.max_abs, static_cast<double>(std::fabs(v)));
  }
  m.stddev = std::sqrt(m.stddev / static_cast<double>(t.size()));
  return m;
}

Tensor init(const nlohmann::json& spec, Shape shape, std::uint32_t seed = 1) {
  Tensor t(shape);
  core::Rng rng(seed);
  initialize(spec, t, rng, "test");
  return t;
}

TEST(Initializer, KerasFans) {
  EXPECT_EQ(compute_fans(Shape{30, 128}), std::make_pair(30.0, 128.0));
  EXPECT_EQ(compute_fans(Shape{7}), std::make_pair(7.0, 7.0));
  EXPECT_EQ(compute_fans(Shape{3, 3, 16, 32}), std::make_pair(144.0, 288.0));
}

// Sample sizes of 200×300 give standard deviations within ~1% of the target.
TEST(Initializer, GlorotUniformBoundsAndSpread) {
  const Tensor t = init("glorot_uniform", Shape{200, 300});
  const double limit = std::sqrt(6.0 / 500.0);
  const auto m = moments(t);
  EXPECT_LE(m.max_abs, limit);
  EXPECT_NEAR(m.stddev, limit / std::sqrt(3.0), 0.02 * limit);
  EXPECT_NEAR(m.mean, 0.0, 0.01 * limit);
}

TEST(Initializer, HeNormalIsTruncatedWithKerasStddev) {
  const Tensor t = init("he_normal", Shape{200, 300});
  const double sigma = std::sqrt(2.0 / 200.0) / 0.87962566103423978;
  const auto m = moments(t);
  EXPECT_LE(m.max_abs, 2.0 * sigma + 1e-6);
  EXPECT_NEAR(m.stddev, std::sqrt(2.0 / 200.0), 0.03 * std::sqrt(2.0 / 200.0));
}

TEST(Initializer, NamedVariants) {
  EXPECT_NEAR(moments(init("he_uniform", Shape{200, 300})).stddev, std::sqrt(2.0 / 200.0), 0.03 * std::sqrt(2.0 / 200.0));
  EXPECT_NEAR(moments(init("lecun_normal", Shape{200, 300})).stddev, std::sqrt(1.0 / 200.0), 0.03 * std::sqrt(1.0 / 200.0));
  EXPECT_NEAR(moments(init("lecun_uniform", Shape{200, 300})).stddev, std::sqrt(1.0 / 200.0), 0.03 * std::sqrt(1.0 / 200.0));
  EXPECT_NEAR(moments(init("glorot_normal", Shape{200, 300})).stddev, std::sqrt(2.0 / 500.0), 0.03 * std::sqrt(2.0 / 500.0));
  EXPECT_NEAR(moments(init("random_normal", Shape{200, 300})).stddev, 0.05, 0.002);
  EXPECT_LE(moments(init("random_uniform", Shape{200, 300})).max_abs, 0.05);
  EXPECT_LE(moments(init("truncated_normal", Shape{200, 300})).max_abs, 0.1 + 1e-7);
  EXPECT_EQ(moments(init("zeros", Shape{3, 3})).max_abs, 0.0);
  EXPECT_EQ(moments(init("ones", Shape{3, 3})).mean, 1.0);
  EXPECT_NEAR(moments(init(nlohmann::json{{"class_name", "Constant"}, {"config", {{"value", 0.3}}}}, Shape{2})).mean, 0.3, 1e-7);
}

TEST(Initializer, OrthogonalColumnsAreOrthonormal) {
  for (Shape s : {Shape{6, 4}, Shape{4, 6}}) {
    const Tensor t = init("orthogonal", s);
    const auto rows = s[0], cols = s[1];
    // The smaller side is orthonormal: QᵀQ = I (tall) or QQᵀ = I (wide).
    const bool tall = rows >= cols;
    const auto k = tall ? cols : rows;
    for (std::int64_t a = 0; a < k; ++a) {
      for (std::int64_t b = 0; b < k; ++b) {
        double dot = 0;
        for (std::int64_t i = 0; i < (tall ? rows : cols); ++i) {
          dot += tall ? t[i * cols + a] * t[i * cols + b] : t[a * cols + i] * t[b * cols + i];
        }
        EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-5);
      }
    }
  }
}

TEST(Initializer, SameSeedSameWeights) {
  const Tensor a = init("glorot_uniform", Shape{5, 5}, 42), b = init("glorot_uniform", Shape{5, 5}, 42);
  for (std::int64_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
}

TEST(Initializer, KerasSerialisedForms) {
  const auto j = nlohmann::json::parse(R"({"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "uniform", "seed": null}})");
  EXPECT_LE(moments(init(j, Shape{100, 10})).max_abs, std::sqrt(6.0 / 100.0));
  EXPECT_EQ(initializer_to_json("he_normal")["class_name"], "HeNormal");
  EXPECT_THROW(init("glorot_unifrom", Shape{2, 2}), core::ConfigError);
}

}  // namespace
}  // namespace fitcheck::nn
