#include "fitcheck/profile/column_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "profile/test_tables.hpp"

namespace fitcheck::profile {
namespace {

ColumnStats stats_of(const core::Column& c, ColumnStatsOptions o = {}) {
  ColumnStats s(c.name, o);
  ChunkScratch scratch;
  s.add(c, scratch);
  return s;
}

// Without a validity mask the float64 values are copied whole and the non-finite ones filtered
// afterwards: the same statistics as with an all-present mask.
TEST(ColumnStats, NonFiniteWithoutAMaskMatchesWithAMask) {
  std::vector<double> values;
  for (int i = 0; i < 300; ++i) values.push_back(i % 7 == 0 ? 0.0 : 0.5 * i - 40.0);
  values[0] = NAN;
  values[17] = INFINITY;
  values[150] = -INFINITY;
  values[299] = NAN;
  const auto bare = stats_of(core::Column::float64("x", values));
  const auto masked = stats_of(core::Column::float64("x", values, std::vector<std::uint8_t>(values.size(), 1)));
  EXPECT_EQ(bare.non_finite(), 4);
  EXPECT_EQ(bare.missing(), 0);
  EXPECT_EQ(bare.finite_count(), 296);
  EXPECT_EQ(bare.non_finite(), masked.non_finite());
  EXPECT_EQ(bare.zeros(), masked.zeros());
  EXPECT_EQ(bare.distinct(), masked.distinct());
  EXPECT_EQ(*bare.min(), *masked.min());
  EXPECT_EQ(*bare.max(), *masked.max());
  EXPECT_EQ(*bare.mean(), *masked.mean());
  EXPECT_EQ(*bare.quantiles(), *masked.quantiles());
  EXPECT_FALSE(bare.integer_valued());
}

TEST(ColumnStats, CountsMissingNonFiniteAndMoments) {
  // numpy: x = [1, 2, 4, 0, -3]; mean 0.8, std(ddof=1) = 2.588435821108957
  auto c = core::Column::float64("x", {1.0, NAN, 2.0, INFINITY, 4.0, 0.0, -3.0, 7.0},
                                 {1, 1, 1, 1, 1, 1, 1, 0});
  auto s = stats_of(c);
  EXPECT_EQ(s.rows(), 8);
  EXPECT_EQ(s.missing(), 1);
  EXPECT_EQ(s.count(), 7);
  EXPECT_EQ(s.non_finite(), 2);  // NaN stored as a value, and +inf
  EXPECT_EQ(s.finite_count(), 5);
  EXPECT_DOUBLE_EQ(*s.mean(), 0.8);
  EXPECT_NEAR(*s.std(), 2.588435821108957, 1e-15);
  EXPECT_EQ(*s.min(), -3.0);
  EXPECT_EQ(*s.max(), 4.0);
  EXPECT_EQ(s.zeros(), 1);
  EXPECT_TRUE(s.integer_valued());
  EXPECT_EQ(s.distinct(), 5);
  EXPECT_TRUE(s.distinct_exact());
  // Exact: numpy.quantile(x, .5) = 1, .25 -> 0, .75 -> 2
  auto q = *s.quantiles();
  EXPECT_DOUBLE_EQ(q[3], 1.0);
  EXPECT_DOUBLE_EQ(q[2], 0.0);
  EXPECT_DOUBLE_EQ(q[4], 2.0);
}

TEST(ColumnStats, NotIntegerValuedWithAFraction) {
  auto s = stats_of(core::Column::float64("x", {1.0, 2.5, 3.0}));
  EXPECT_FALSE(s.integer_valued());
}

TEST(ColumnStats, StdNeedsTwoValues) {
  auto s = stats_of(core::Column::float64("x", {1.0}));
  EXPECT_FALSE(s.std().has_value());
  EXPECT_EQ(*s.mean(), 1.0);
}

TEST(ColumnStats, TopValuesAreExactCounts) {
  auto s = stats_of(core::Column::int64("k", {3, 1, 3, 2, 3, 1}));
  auto top = s.top(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].display(), "3");
  EXPECT_EQ(top[0].count, 3);
  EXPECT_EQ(top[1].display(), "1");
  EXPECT_EQ(top[1].count, 2);
  EXPECT_TRUE(s.top_exact());
}

TEST(ColumnStats, TextColumnCountsStrings) {
  auto s = stats_of(core::Column::categorical("c", {0, 1, 0, -1, 0}, {"a", "b"}, {1, 1, 1, 0, 1}));
  EXPECT_TRUE(s.is_text());
  EXPECT_EQ(s.missing(), 1);
  EXPECT_EQ(s.count(), 4);
  EXPECT_EQ(s.distinct(), 2);
  EXPECT_FALSE(s.mean().has_value());
  EXPECT_EQ(s.top(1)[0].display(), "a");
  EXPECT_EQ(s.top(1)[0].count, 3);
  EXPECT_EQ(s.source_dtype(), core::DType::String);
}

TEST(ColumnStats, ManyDistinctValuesSwitchToTheEstimate) {
  std::vector<double> v(200'000);
  std::iota(v.begin(), v.end(), 0.0);
  v[7] = 42.0;  // with the loop below 42 occurs 1002 times: it must stay the top value
  for (int i = 0; i < 1000; ++i) v[static_cast<std::size_t>(1000 + i)] = 42.0;
  auto s = stats_of(core::Column::float64("x", v), {.exact_distinct_limit = 1000});
  EXPECT_FALSE(s.distinct_exact());
  const double truth = 200'000 - 1001;
  EXPECT_NEAR(static_cast<double>(s.distinct()), truth, 4 * s.distinct_standard_error() * truth);
  auto top = s.top(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].number, 42.0);
  EXPECT_LE(top[0].count, 1002);
  EXPECT_GE(top[0].count, 1002 - s.top_error_bound());
}

TEST(ColumnStats, IntThenFloatThenTextChunksMerge) {
  ColumnStats s("x");
  ChunkScratch scratch;
  s.add(core::Column::int64("x", {1, 2, 3}), scratch);
  s.add(core::Column::float64("x", {1.5, 2.0}), scratch);
  EXPECT_FALSE(s.is_text());
  EXPECT_EQ(s.source_dtype(), core::DType::Float64);
  EXPECT_FALSE(s.integer_valued());
  EXPECT_DOUBLE_EQ(*s.mean(), 1.9);
  s.add(core::Column::categorical("x", {0, 1}, {"n/a?", "2"}), scratch);
  EXPECT_TRUE(s.is_text());
  EXPECT_EQ(s.source_dtype(), core::DType::String);
  EXPECT_EQ(s.count(), 7);
  EXPECT_FALSE(s.mean().has_value());
  // "2" (text) and 2 (int) and 2.0 (float) are one value.
  auto top = s.top(1);
  EXPECT_EQ(top[0].display(), "2");
  EXPECT_EQ(top[0].count, 3);
  EXPECT_EQ(s.distinct(), 5);  // 1, 2, 3, 1.5, "n/a?"
}

TEST(ColumnStats, NumericChunkAfterTextChunk) {
  ColumnStats s("x");
  ChunkScratch scratch;
  s.add(core::Column::categorical("x", {0}, {"a"}), scratch);
  s.add(core::Column::int64("x", {5, 5}), scratch);
  EXPECT_TRUE(s.is_text());
  EXPECT_EQ(s.count(), 3);
  EXPECT_EQ(s.top(1)[0].display(), "5");
  EXPECT_EQ(s.top(1)[0].count, 2);
}

// A column longer than one sort slice (65,536 rows) gives exact counts, and the same statistics as
// the same rows fed as chunks cut at the slice borders.
TEST(ColumnStats, LongColumnEqualsItsSlicesAsChunks) {
  const int n = 200000;
  std::vector<double> values(n);
  std::vector<std::uint8_t> valid(n, 1);
  for (int i = 0; i < n; ++i) {
    values[static_cast<std::size_t>(i)] = static_cast<double>((i * 7919) % 1000) - 500.0;
    if (i % 97 == 0) valid[static_cast<std::size_t>(i)] = 0;
  }
  values[123456] = INFINITY;
  const auto whole = stats_of(core::Column::float64("x", values, valid));
  EXPECT_EQ(whole.rows(), n);
  EXPECT_EQ(whole.missing(), (n + 96) / 97);
  EXPECT_EQ(whole.non_finite(), 1);
  EXPECT_EQ(whole.min(), -500.0);
  EXPECT_EQ(whole.max(), 499.0);
  EXPECT_EQ(whole.distinct(), 1000);
  EXPECT_TRUE(whole.distinct_exact());

  ColumnStats chunked("x");
  ChunkScratch scratch;
  for (int begin = 0; begin < n; begin += 65536) {
    const int end = std::min(n, begin + 65536);
    chunked.add(core::Column::float64("x", std::vector<double>(values.begin() + begin, values.begin() + end),
                                      std::vector<std::uint8_t>(valid.begin() + begin, valid.begin() + end)),
                scratch);
  }
  EXPECT_EQ(*whole.mean(), *chunked.mean());
  EXPECT_EQ(*whole.std(), *chunked.std());
  EXPECT_EQ(*whole.quantiles(), *chunked.quantiles());
  EXPECT_EQ(whole.zeros(), chunked.zeros());
  const auto top_whole = whole.top(5), top_chunked = chunked.top(5);
  ASSERT_EQ(top_whole.size(), top_chunked.size());
  for (std::size_t i = 0; i < top_whole.size(); ++i) EXPECT_EQ(top_whole[i].count, top_chunked[i].count);
}

TEST(Moments, ChanMergeEqualsOnePass) {
  std::vector<double> all, a, b;
  for (int i = 0; i < 1000; ++i) {
    const double x = 1e6 + std::sin(i) * 1e3;
    all.push_back(x);
    (i < 300 ? a : b).push_back(x);
  }
  Moments m = Moments::of(a);
  m.merge(Moments::of(b));
  const Moments whole = Moments::of(all);
  EXPECT_EQ(m.n, whole.n);
  EXPECT_NEAR(m.mean, whole.mean, 1e-12 * std::fabs(whole.mean));
  EXPECT_NEAR(m.m2, whole.m2, 1e-12 * whole.m2);
}

}  // namespace
}  // namespace fitcheck::profile
