#include "fitcheck/profile/kll_sketch.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace fitcheck::profile {
namespace {

// True rank (number of values <= x) in sorted data.
double true_rank(const std::vector<double>& sorted, double x) {
  return static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
}

std::vector<double> lognormal_values(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::lognormal_distribution<double> dist(0.0, 2.0);
  std::vector<double> v(n);
  for (auto& x : v) x = dist(gen);
  return v;
}

TEST(KllSketch, ExactWhileSmallMatchesNumpyLinearQuantiles) {
  KllSketch s;
  for (double x : {5.0, 1.0, 3.0, 2.0, 4.0}) s.add(x);
  EXPECT_TRUE(s.exact());
  // numpy.quantile([1,2,3,4,5], [0, .1, .25, .5, .99, 1]) = 1, 1.4, 2, 3, 4.96, 5
  EXPECT_DOUBLE_EQ(s.quantile(0.0), 1.0);
  EXPECT_DOUBLE_EQ(s.quantile(0.1), 1.4);
  EXPECT_DOUBLE_EQ(s.quantile(0.25), 2.0);
  EXPECT_DOUBLE_EQ(s.quantile(0.5), 3.0);
  EXPECT_NEAR(s.quantile(0.99), 4.96, 1e-12);
  EXPECT_DOUBLE_EQ(s.quantile(1.0), 5.0);
  EXPECT_EQ(s.rank_error_bound(), 0.0);
}

TEST(KllSketch, EmptyGivesNaN) {
  KllSketch s;
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
  EXPECT_EQ(s.count(), 0);
}

// The documented bound: for every query, |rank error| <= rank_error_bound(delta) with
// probability 1 - delta. Over 199 queries at delta = 1e-3 a correct sketch essentially never
// exceeds it; a sketch whose compactions were biased (or whose accounting were wrong) does.
void expect_rank_errors_within_bound(const KllSketch& s, const std::vector<double>& sorted) {
  const double bound = s.rank_error_bound(1e-3);
  ASSERT_GT(bound, 0.0);
  double worst = 0.0;
  for (int i = 1; i < 200; ++i) {
    const double q = i / 200.0;
    const double estimate = s.quantile(q);
    // The estimate's true rank range [lo, hi] (ties) compared with the target rank q * n.
    const double hi = true_rank(sorted, estimate);
    const double lo = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), estimate) - sorted.begin());
    const double target = q * static_cast<double>(sorted.size());
    const double error = target < lo ? lo - target : (target > hi ? target - hi : 0.0);
    worst = std::max(worst, error);
  }
  EXPECT_LE(worst, bound) << "worst rank error " << worst << " of " << sorted.size();
  // The bound is useful: under 2 % of the data for a million values (k = 1024: about 0.5 %).
  EXPECT_LT(bound / static_cast<double>(sorted.size()), 0.005);
  std::printf("n=%zu worst rank error %.0f (%.4f%%), bound at delta=1e-3 %.0f (%.4f%%), retained %zu\n", sorted.size(), worst,
              100.0 * worst / static_cast<double>(sorted.size()), bound, 100.0 * bound / static_cast<double>(sorted.size()), s.retained());
  // And not absurdly loose: the bound should not exceed the observed error by 1000x.
  EXPECT_GT(worst * 1000.0, bound);
}

TEST(KllSketch, RankErrorOfAMillionStreamedValuesIsWithinTheBound) {
  auto values = lognormal_values(1'000'000, 7);
  KllSketch s;
  for (double x : values) s.add(x);
  EXPECT_EQ(s.count(), 1'000'000);
  EXPECT_LT(s.retained(), 4000u);
  std::sort(values.begin(), values.end());
  expect_rank_errors_within_bound(s, values);
  EXPECT_EQ(s.quantile(0.0), values.front());
  EXPECT_EQ(s.quantile(1.0), values.back());
}

TEST(KllSketch, RankErrorOfMergedSortedChunksIsWithinTheBound) {
  auto values = lognormal_values(1'000'000, 11);
  std::vector<KllSketch> parts(4, KllSketch(KllSketch::kDefaultK, 3));
  const std::size_t chunk = 25'000;
  for (std::size_t start = 0, i = 0; start < values.size(); start += chunk, ++i) {
    std::vector<double> c(values.begin() + static_cast<std::ptrdiff_t>(start),
                          values.begin() + static_cast<std::ptrdiff_t>(std::min(start + chunk, values.size())));
    std::sort(c.begin(), c.end());
    parts[i % parts.size()].add_sorted(c);
  }
  KllSketch total;
  for (const auto& p : parts) total.merge(p);
  EXPECT_EQ(total.count(), 1'000'000);
  std::sort(values.begin(), values.end());
  expect_rank_errors_within_bound(total, values);
}

TEST(KllSketch, SameCallsGiveTheSameSketch) {
  auto values = lognormal_values(100'000, 5);
  KllSketch a, b;
  for (double x : values) a.add(x);
  for (double x : values) b.add(x);
  for (double q : {0.01, 0.5, 0.99}) EXPECT_EQ(a.quantile(q), b.quantile(q));
  EXPECT_EQ(a.rank_error_bound(), b.rank_error_bound());
}

TEST(KllSketch, RankCountsWeights) {
  KllSketch s;
  std::vector<double> v(100'000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i);
  s.add_sorted(v);
  EXPECT_NEAR(s.rank(49'999.0), 50'000.0, s.rank_error_bound(1e-6) + 1.0);
  EXPECT_EQ(s.rank(1e9), 100'000.0);
}

}  // namespace
}  // namespace fitcheck::profile
