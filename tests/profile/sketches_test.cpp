// HyperLogLog, value counts and the sorts of a chunk's values.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "fitcheck/profile/column_stats.hpp"

#include "fitcheck/profile/hyper_log_log.hpp"
#include "fitcheck/profile/sorted_values.hpp"
#include "fitcheck/profile/value_counts.hpp"
#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {
namespace {

TEST(HyperLogLog, EstimateWithinFourStandardErrors) {
  for (int n : {100, 10'000, 1'000'000}) {
    HyperLogLog a, b;
    for (int i = 0; i < n; ++i) (i % 2 == 0 ? a : b).add_hash(hash_number(i * 1.5));
    a.merge(b);
    EXPECT_NEAR(a.estimate(), n, 4 * HyperLogLog::standard_error() * n + 1) << n;
  }
  EXPECT_NEAR(HyperLogLog::standard_error(), 0.008125, 1e-6);
}

TEST(HyperLogLog, RepeatsDoNotCount) {
  HyperLogLog h;
  for (int r = 0; r < 100; ++r) {
    for (int i = 0; i < 50; ++i) h.add_hash(hash_number(i));
  }
  EXPECT_NEAR(h.estimate(), 50.0, 1.0);
}

TEST(ValueHash, NumbersAgreeAcrossSpellings) {
  EXPECT_EQ(hash_number(3.0), hash_text("3"));
  EXPECT_EQ(hash_number(0.0), hash_number(-0.0));
  EXPECT_EQ(hash_number(0.25), hash_text("0.25"));
  EXPECT_NE(hash_text("3a"), hash_text("3"));
  EXPECT_NE(hash_text(""), hash_missing());
}

TEST(SortValues, SortsLikeStdSort) {
  std::mt19937_64 gen(3);
  std::normal_distribution<double> d(0.0, 1e3);
  std::vector<double> v(100'000);
  for (auto& x : v) x = d(gen);
  v[5] = 0.0;
  v[6] = -0.0;
  v[7] = 1e300;
  v[8] = -1e-300;
  auto expected = v;
  std::sort(expected.begin(), expected.end());
  sort_values(v);
  for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], expected[i]) << i;
  std::vector<ValueRun> runs;
  collect_runs(v, runs);
  const auto zero = std::find_if(runs.begin(), runs.end(), [](const ValueRun& r) { return r.value == 0.0; });
  ASSERT_NE(zero, runs.end());
  EXPECT_EQ(zero->count, 2);
}

TEST(CountingSort, SortsWholeNumbersLikeStdSort) {
  std::mt19937_64 gen(5);
  std::uniform_int_distribution<std::int64_t> d(-300, 4000);
  std::vector<double> v(50'000);
  for (auto& x : v) x = static_cast<double>(d(gen));
  v[0] = -300.0;
  v[1] = 4000.0;
  auto expected = v;
  std::sort(expected.begin(), expected.end());
  std::vector<std::uint64_t> scratch;
  counting_sort_integers(v, -300, 4000, scratch);
  EXPECT_EQ(v, expected);
}

// An integer column in a narrow range (sorted by counting) and in a wide one (vqsort) give the
// statistics their values imply.
TEST(CountingSort, NarrowAndWideIntegerColumnsProfileAlike) {
  for (const std::int64_t scale : {1, 1'000'000}) {
    std::vector<std::int64_t> v;
    for (int i = 0; i < 70'000; ++i) v.push_back(((i * 37) % 256) * scale);
    ColumnStats s("x");
    ChunkScratch scratch;
    s.add(core::Column::int64("x", v), scratch);
    EXPECT_EQ(*s.min(), 0.0);
    EXPECT_EQ(*s.max(), 255.0 * static_cast<double>(scale));
    EXPECT_EQ(s.distinct(), 256);
    EXPECT_EQ(s.zeros(), (70'000 + 255) / 256);
    const auto q = *s.quantiles();
    EXPECT_NEAR(q[3], 127.5 * static_cast<double>(scale), 3.0 * static_cast<double>(scale));  // the median
  }
}

TEST(ValueCounts, SummaryKeepsHeavyValuesWithinItsErrorBound) {
  ValueCounts counts(100);
  std::vector<std::int64_t> truth(5, 0);
  for (int chunk = 0; chunk < 20; ++chunk) {
    std::vector<ValueRun> runs;
    for (int i = 0; i < 5000; ++i) runs.push_back({chunk * 10'000.0 + i + 10, 1});
    for (int h = 0; h < 5; ++h) {
      runs.insert(runs.begin(), {static_cast<double>(h), 100 + h * 10});
      truth[static_cast<std::size_t>(h)] += 100 + h * 10;
    }
    std::sort(runs.begin(), runs.end(), [](const ValueRun& a, const ValueRun& b) { return a.value < b.value; });
    counts.add_runs(runs);
  }
  EXPECT_FALSE(counts.exact());
  const auto top = counts.top(5);
  ASSERT_EQ(top.size(), 5u);
  for (const auto& t : top) {
    const auto h = static_cast<std::size_t>(t.number);
    ASSERT_LT(h, 5u);
    EXPECT_LE(t.count, truth[h]);
    EXPECT_GE(t.count, truth[h] - counts.error_bound());
  }
  EXPECT_EQ(top[0].number, 4.0);
}

TEST(ValueCounts, MergeOfExactCountsIsExact) {
  ValueCounts a, b;
  const std::vector<ValueRun> ra = {{1.0, 2}, {2.0, 1}}, rb = {{2.0, 5}, {3.0, 1}};
  a.add_runs(ra);
  b.add_runs(rb);
  a.merge(b);
  EXPECT_TRUE(a.exact());
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.top(1)[0].number, 2.0);
  EXPECT_EQ(a.top(1)[0].count, 6);
}

// Chunks of runs with overlapping values, merged in place: every count equals a map's.
TEST(ValueCounts, ExactCountsOfOverlappingChunksEqualAMap) {
  std::mt19937_64 gen(11);
  ValueCounts counts;
  std::map<double, std::int64_t> expected;
  for (int chunk = 0; chunk < 40; ++chunk) {
    std::map<double, std::int64_t> runs;
    const int n = std::uniform_int_distribution<int>(0, 300)(gen);
    for (int i = 0; i < n; ++i) runs[static_cast<double>(std::uniform_int_distribution<int>(-500, 500)(gen))] += 1;
    std::vector<ValueRun> v;
    for (const auto& [value, count] : runs) {
      v.push_back({value, count});
      expected[value] += count;
    }
    counts.add_runs(v);
  }
  ASSERT_TRUE(counts.exact());
  ASSERT_EQ(counts.size(), expected.size());
  const auto top = counts.top(expected.size());
  std::map<double, std::int64_t> got;
  for (const auto& t : top) got[t.number] = t.count;
  EXPECT_EQ(got, expected);
}

// Distinct chunks are appended as they come and sorted together only when they could pass the
// limit: read before that (no merge), the counts are still those of a map, repeats across
// chunks included; and a value repeated across chunks keeps a column at the limit exact.
TEST(ValueCounts, AppendedDistinctChunksReadBeforeSettling) {
  ValueCounts counts(10);
  counts.add_distinct_sorted(std::vector<double>{1.0, 5.0, 9.0});
  counts.add_distinct_sorted(std::vector<double>{-0.0, 5.0, 7.0});
  EXPECT_TRUE(counts.exact());
  EXPECT_EQ(counts.size(), 5u);  // 0, 1, 5, 7, 9
  const auto top = counts.top(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].number, 5.0);
  EXPECT_EQ(top[0].count, 2);
  EXPECT_EQ(top[1].number, 0.0);
  EXPECT_EQ(top[1].count, 1);
  // 12 values held, 10 distinct: exact at the limit.
  counts.add_distinct_sorted(std::vector<double>{2.0, 3.0, 4.0, 6.0, 7.0, 8.0});
  EXPECT_TRUE(counts.exact());
  EXPECT_EQ(counts.size(), 10u);
  EXPECT_EQ(counts.top(1)[0].count, 2);
  // One more distinct value passes it.
  counts.add_distinct_sorted(std::vector<double>{100.0});
  EXPECT_FALSE(counts.exact());
}

// Chunks of distinct values (kept as bare values while every count is 1) mixed with chunks of
// runs, merged across two objects: exact counts equal a map's; past the limit, every held count
// is within the error bound of the truth. Some distinct chunks repeat earlier values, and -0.0
// counts as 0.0.
TEST(ValueCounts, DistinctChunksAndRunsEqualAMap) {
  std::mt19937_64 gen(5);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t limit = trial % 2 == 0 ? 100000 : 300;
    ValueCounts parts[2] = {ValueCounts(limit), ValueCounts(limit)};
    std::map<double, std::int64_t> expected;
    const int chunks = std::uniform_int_distribution<int>(1, 12)(gen);
    for (int chunk = 0; chunk < chunks; ++chunk) {
      ValueCounts& counts = parts[chunk % 2];
      const int n = std::uniform_int_distribution<int>(0, 200)(gen);
      const int spread = std::uniform_int_distribution<int>(0, 3)(gen) == 0 ? 50 : 100000;  // small: repeats
      if (std::uniform_int_distribution<int>(0, 3)(gen) > 0) {
        std::set<double> distinct;
        for (int i = 0; i < n; ++i) distinct.insert(static_cast<double>(std::uniform_int_distribution<int>(-spread, spread)(gen)));
        std::vector<double> values(distinct.begin(), distinct.end());
        for (double& v : values) {
          if (v == 0.0 && chunk % 3 == 0) v = -0.0;
          expected[v == 0.0 ? 0.0 : v] += 1;
        }
        counts.add_distinct_sorted(values);
      } else {
        std::map<double, std::int64_t> runs;
        for (int i = 0; i < n; ++i) runs[static_cast<double>(std::uniform_int_distribution<int>(-spread, spread)(gen))] += 1;
        std::vector<ValueRun> v;
        for (const auto& [value, count] : runs) {
          v.push_back({value, count});
          expected[value] += count;
        }
        counts.add_runs(v);
      }
    }
    parts[0].merge(parts[1]);
    const ValueCounts& all = parts[0];
    const auto top = all.top(expected.size() + 1);
    if (expected.size() <= limit) {
      ASSERT_TRUE(all.exact()) << trial;
      ASSERT_EQ(all.size(), expected.size()) << trial;
      std::map<double, std::int64_t> got;
      for (const auto& t : top) got[t.number] = t.count;
      EXPECT_EQ(got, expected) << trial;
    } else {
      ASSERT_FALSE(all.exact()) << trial;
      for (const auto& t : top) {
        ASSERT_TRUE(expected.count(t.number)) << trial;
        EXPECT_LE(t.count, expected[t.number]) << trial;
        EXPECT_GE(t.count, expected[t.number] - all.error_bound()) << trial;
      }
    }
  }
}

}  // namespace
}  // namespace fitcheck::profile
