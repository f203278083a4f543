// Resamplers, sampling strategies, class weights and the neighbour search.
#include <algorithm>
#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/nearest_neighbors.hpp"
#include "fitcheck/prep/random_over_sampler.hpp"
#include "fitcheck/prep/random_under_sampler.hpp"
#include "fitcheck/prep/resampler.hpp"
#include "fitcheck/prep/sampling_strategy.hpp"
#include "fitcheck/prep/smote.hpp"

namespace fitcheck::prep {
namespace {

using Targets = std::map<std::int64_t, std::int64_t>;

TEST(Smote, ReproducesTheImbalancedLearnGoldenExample) {
  // Minority (y=1): (0,0) (1,0) (0,2) (3,3); majority: 7 rows around (11,11). k=2, seed 0.
  std::vector<float> v = {0, 0, 1, 0, 0, 2, 3, 3};
  std::vector<std::int64_t> y = {1, 1, 1, 1};
  for (int i = 0; i < 7; ++i) {
    v.push_back(11.0f + 0.1f * static_cast<float>(i));
    v.push_back(11.0f - 0.1f * static_cast<float>(i));
    y.push_back(0);
  }
  const core::Tensor x(core::Shape({11, 2}), v);
  const auto r = Smote({.random_state = 0, .k_neighbors = 2}).fit_resample(x, y);
  ASSERT_EQ(r.x.dim(0), 14);
  const std::vector<double> expected = {0, 0.31146850283796534, 1.2841087647544864, 0.42616314713172976,
                                        0.8472517387841254, 0.3054965224317492};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(r.x[22 + i], static_cast<float>(expected[static_cast<std::size_t>(i)]));
  EXPECT_EQ(r.y.back(), 1);
  EXPECT_EQ(r.sample_indices.back(), -1);
}

TEST(Smote, SyntheticRowsLieOnSegmentsToNearNeighbours) {
  core::Rng rng(3);
  const std::int64_t n = 600, d = 3, k = 5;
  core::Tensor x(core::Shape({n, d}));
  std::vector<std::int64_t> y;
  for (std::int64_t i = 0; i < n; ++i) {
    y.push_back(i % 5 == 0 ? 1 : 0);
    for (std::int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<float>(rng.standard_normal());
  }
  const auto r = Smote({.random_state = 4, .k_neighbors = k}).fit_resample(x, y);
  EXPECT_EQ(class_counts(r.y), (Targets{{0, 480}, {1, 480}}));
  std::vector<std::int64_t> minority;
  for (std::int64_t i = 0; i < n; ++i) {
    if (y[static_cast<std::size_t>(i)] == 1) minority.push_back(i);
  }
  // Every synthetic row is x_a + u (x_b - x_a) for some minority a and b, u in [0, 1].
  for (std::int64_t s = n; s < r.x.dim(0); s += 37) {
    bool found = false;
    for (auto a : minority) {
      for (auto b : minority) {
        if (a == b) continue;
        const double u = (r.x[s * d] - x[a * d]) / static_cast<double>(x[b * d] - x[a * d]);
        if (!(u >= -1e-6 && u <= 1 + 1e-6)) continue;
        bool on = true;
        for (std::int64_t j = 0; j < d; ++j) {
          on = on && std::fabs(x[a * d + j] + u * (x[b * d + j] - x[a * d + j]) - r.x[s * d + j]) < 1e-4;
        }
        found = found || on;
      }
    }
    EXPECT_TRUE(found) << "synthetic row " << s;
  }
}

TEST(Smote, RejectsTooSmallClassesAndNaN) {
  core::Tensor x(core::Shape({8, 1}), std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7});
  std::vector<std::int64_t> y = {0, 0, 0, 0, 0, 1, 1, 1};
  EXPECT_THROW(Smote({.k_neighbors = 5}).fit_resample(x, y), core::ConfigError);
  x[0] = std::nanf("");
  EXPECT_THROW(Smote({.k_neighbors = 1}).fit_resample(x, y), core::InputError);
}

TEST(Smote, SameSeedSameRowsForAnyThreadCount) {
  // 20 features and classes of ~2400 and ~1200 rows: the threaded blocked neighbour search and
  // the threaded interpolation (~6000 and ~7200 new rows).
  core::Rng rng(5);
  const std::int64_t n = 12000, d = 20;
  core::Tensor x(core::Shape({n, d}));
  std::vector<std::int64_t> y;
  for (std::int64_t i = 0; i < n; ++i) {
    const double u = rng.random_sample();
    y.push_back(u < 0.7 ? 0 : (u < 0.9 ? 1 : 2));
    for (std::int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<float>(rng.standard_normal());
  }
  const auto one = Smote({.random_state = 8, .k_neighbors = 5, .threads = 1}).fit_resample(x, y);
  for (int threads : {1, 2, 3}) {
    const auto r = Smote({.random_state = 8, .k_neighbors = 5, .threads = threads}).fit_resample(x, y);
    ASSERT_EQ(r.x.shape(), one.x.shape());
    EXPECT_TRUE(std::equal(r.x.values().begin(), r.x.values().end(), one.x.values().begin())) << threads;
    EXPECT_EQ(r.y, one.y);
    EXPECT_EQ(r.sample_indices, one.sample_indices);
  }
  EXPECT_EQ(class_counts(one.y), (Targets{{0, class_counts(y).at(0)}, {1, class_counts(y).at(0)}, {2, class_counts(y).at(0)}}));
  // The original rows come first, unchanged.
  EXPECT_TRUE(std::equal(x.values().begin(), x.values().end(), one.x.values().begin()));
  const auto other = Smote({.random_state = 9, .k_neighbors = 5}).fit_resample(x, y);
  EXPECT_FALSE(std::equal(other.x.values().begin(), other.x.values().end(), one.x.values().begin()));
}

TEST(Smote, NamesTheFirstNonFiniteValue) {
  core::Tensor x(core::Shape({3000, 5}), 1.0f);
  std::vector<std::int64_t> y(3000, 0);
  for (int i = 0; i < 100; ++i) y[static_cast<std::size_t>(i)] = 1;
  x[14000] = std::nanf("");  // row 2800: after the -inf below
  x[12346] = -std::numeric_limits<float>::infinity();  // the first, in a later chunk than 4096
  // Found while x is copied, and before the class-size check fails (k_neighbors = 200).
  for (std::int64_t k : {5, 200}) {
    try {
      Smote({.k_neighbors = k}).fit_resample(x, y);
      FAIL() << "no error";
    } catch (const core::InputError& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr("row 2469, feature 1"));
      EXPECT_THAT(e.what(), ::testing::HasSubstr("-inf"));
    }
  }
}

TEST(NearestNeighbors, KdTreeEqualsBruteForce) {
  core::Rng rng(9);
  for (std::int64_t d : {1, 2, 3, 7, 25}) {
    const std::int64_t n = 700;
    std::vector<float> x(static_cast<std::size_t>(n * d));
    for (auto& e : x) e = static_cast<float>(rng.randint(0, 6));  // many exact ties
    EXPECT_EQ(k_nearest_rows(x.data(), n, d, 6, 2), k_nearest_rows_brute(x.data(), n, d, 6)) << d;
  }
}

TEST(ClassCounts, CountsSmallLargeAndNegativeCodes) {
  core::Rng rng(6);
  std::vector<std::int64_t> y;
  Targets expected;
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t codes[] = {0, 1, 7, 255, 256, -1, -300, std::int64_t{1} << 40};
    const auto c = codes[rng.randint(0, 8)];
    y.push_back(c);
    ++expected[c];
  }
  EXPECT_EQ(class_counts(y), expected);
  EXPECT_TRUE(class_counts({}).empty());
}

TEST(RandomUnderSampler, GroupsByClassInSortedOrder) {
  // imbalanced-learn: y = 3 x '2', 12 x '0', 5 x '1', seed 3 -> [8 7 4 18 15 19 0 1 2]
  std::vector<std::int64_t> y;
  for (int i = 0; i < 3; ++i) y.push_back(2);
  for (int i = 0; i < 12; ++i) y.push_back(0);
  for (int i = 0; i < 5; ++i) y.push_back(1);
  const core::Tensor x(core::Shape({20, 1}));
  const auto r = RandomUnderSampler({.random_state = 3}).fit_resample(x, y);
  EXPECT_EQ(r.sample_indices, (std::vector<std::int64_t>{8, 7, 4, 18, 15, 19, 0, 1, 2}));
}

TEST(SamplingStrategy, FollowsImbalancedLearnRules) {
  const Targets counts = {{0, 8}, {1, 8}, {2, 4}};
  EXPECT_EQ(sampling_targets(counts, {}, true), (Targets{{1, 0}, {2, 4}}));
  EXPECT_EQ(sampling_targets(counts, {}, false), (Targets{{0, 4}, {1, 4}}));
  const Targets binary = {{0, 14}, {1, 6}};
  auto ratio = [](double r) { return SamplingStrategy{.kind = SamplingStrategy::Kind::Ratio, .ratio = r}; };
  EXPECT_EQ(sampling_targets(binary, ratio(0.5), true), (Targets{{1, 1}}));
  EXPECT_EQ(sampling_targets(binary, ratio(0.8), true), (Targets{{1, 5}}));
  EXPECT_THROW(sampling_targets(binary, ratio(0.3), true), core::ConfigError);
  EXPECT_THROW(sampling_targets(counts, ratio(0.5), true), core::ConfigError);
  EXPECT_THROW(sampling_targets({{0, 5}}, {}, true), core::ConfigError);
  EXPECT_THROW(make_resampler(nlohmann::json{{"smot", nlohmann::json::object()}}, "/r"), core::ConfigError);
}

TEST(ClassWeight, BalancedAsScikitLearn) {
  const auto w = balanced_class_weight({0, 0, 0, 1});
  EXPECT_DOUBLE_EQ(w.at(0), 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(w.at(1), 2.0);
  const auto v = balanced_class_weight({0, 1, 1, 2, 2, 2});
  EXPECT_DOUBLE_EQ(v.at(0), 2.0);
  EXPECT_DOUBLE_EQ(v.at(1), 1.0);
}

}  // namespace
}  // namespace fitcheck::prep
