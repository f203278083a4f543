#include "fitcheck/profile/table_profile.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/profile/duplicate_rows.hpp"
#include "fitcheck/profile/profile_json.hpp"
#include "profile/test_tables.hpp"

namespace fitcheck::profile {
namespace {

void expect_relative(double a, double b, double rel) {
  EXPECT_LE(std::fabs(a - b), rel * std::max(std::fabs(a), std::fabs(b))) << a << " vs " << b;
}

// Profiles of chunks merged (in a scrambled order, as concurrent workers would) equal the
// profile of the whole table.
TEST(TableProfile, MergedChunksEqualTheWhole) {
  const std::int64_t n = 200'000;
  const core::Table table = test::mixed_table(n, 1);
  const TableProfile whole = profile_table(table);

  const std::int64_t chunk = 17'000;
  std::vector<TableProfile> workers(3);
  std::vector<ChunkScratch> scratch(3);
  std::int64_t index = 0;
  std::vector<std::pair<std::int64_t, core::Table>> chunks;
  for (std::int64_t start = 0; start < n; start += chunk, ++index) {
    chunks.emplace_back(index, test::slice_rows(table, start, std::min(n, start + chunk)));
  }
  // Reverse order, round-robin over the workers.
  for (std::size_t k = chunks.size(); k-- > 0;) {
    workers[k % 3].add_chunk(chunks[k].second, chunks[k].first, scratch[k % 3]);
  }
  TableProfile merged;
  for (const auto& w : workers) merged.merge(w);

  ASSERT_EQ(merged.rows(), whole.rows());
  ASSERT_EQ(merged.columns().size(), whole.columns().size());
  for (std::size_t c = 0; c < whole.columns().size(); ++c) {
    const auto& a = merged.columns()[c];
    const auto& b = whole.columns()[c];
    SCOPED_TRACE(b.name());
    EXPECT_EQ(a.rows(), b.rows());
    EXPECT_EQ(a.missing(), b.missing());
    EXPECT_EQ(a.non_finite(), b.non_finite());
    EXPECT_EQ(a.zeros(), b.zeros());
    EXPECT_EQ(a.integer_valued(), b.integer_valued());
    EXPECT_EQ(a.distinct(), b.distinct());
    EXPECT_EQ(a.distinct_exact(), b.distinct_exact());
    EXPECT_EQ(a.source_dtype(), b.source_dtype());
    const auto ta = a.top(5), tb = b.top(5);
    ASSERT_EQ(ta.size(), tb.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
      EXPECT_EQ(ta[i].display(), tb[i].display());
      EXPECT_EQ(ta[i].count, tb[i].count);
    }
    if (b.is_text()) continue;
    EXPECT_EQ(*a.min(), *b.min());
    EXPECT_EQ(*a.max(), *b.max());
    expect_relative(*a.mean(), *b.mean(), 1e-12);
    expect_relative(*a.std(), *b.std(), 1e-12);
    // Quantiles: each within the merged sketch's rank bound of the exact rank.
    std::vector<double> sorted;
    const auto& col = table.column(static_cast<int>(c));
    for (std::int64_t i = 0; i < n; ++i) {
      const double x = col.as_double(i);
      if (std::isfinite(x)) sorted.push_back(x);
    }
    std::sort(sorted.begin(), sorted.end());
    const auto qs = *a.quantiles();
    const double bound = a.sketch().rank_error_bound(1e-3);
    for (std::size_t i = 0; i < qs.size(); ++i) {
      const double target = kReportedQuantiles[i] * static_cast<double>(sorted.size());
      const double lo = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), qs[i]) - sorted.begin());
      const double hi = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), qs[i]) - sorted.begin());
      EXPECT_LE(std::max({0.0, lo - target, target - hi}), bound) << "quantile " << kReportedQuantiles[i];
    }
  }
  const auto da = merged.duplicates(), db = whole.duplicates();
  EXPECT_EQ(da.duplicate_rows, db.duplicate_rows);
  EXPECT_EQ(da.examples, db.examples);
  EXPECT_GT(db.duplicate_rows, 0);  // 10 x 2 x 5 x ... small domains repeat, except for f
}

// A table in memory is profiled column by column on several threads: the same profile as one
// thread, to the last bit (each column's statistics see the same values in the same order).
TEST(TableProfile, ColumnsOnThreadsEqualOneThread) {
  const core::Table table = test::mixed_table(50'000, 7);
  TableProfile one;
  ChunkScratch scratch;
  one.add_chunk(table, 0, scratch);
  TableProfile threaded;
  threaded.add_chunk_by_columns(table, 0, 3);
  EXPECT_EQ(profile_to_json(threaded, std::nullopt).dump(), profile_to_json(one, std::nullopt).dump());
  EXPECT_EQ(threaded.duplicates().examples, one.duplicates().examples);
}

TEST(TableProfile, DuplicateRowsAreFoundWithRowNumbers) {
  core::Table t;
  t.add_column(core::Column::int64("a", {1, 2, 1, 3, 2, 1}));
  t.add_column(core::Column::categorical("b", {0, 1, 0, 0, 1, 0}, {"x", "y"}));
  const auto d = profile_table(t).duplicates();
  EXPECT_EQ(d.duplicate_rows, 3);  // rows 2 and 5 repeat row 0; row 4 repeats row 1
  EXPECT_EQ(d.groups, 2);
  const std::vector<std::pair<std::int64_t, std::int64_t>> expected = {{0, 2}, {1, 4}, {0, 5}};
  EXPECT_EQ(d.examples, expected);
}

// Enough rows for the summary's two threads: groups, counts and the first pairs equal a map's.
TEST(TableProfile, DuplicatesOfManyRowsEqualAMapOfValues) {
  std::vector<std::int64_t> values(300'000);
  std::uint64_t x = 12345;
  for (auto& v : values) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    v = static_cast<std::int64_t>((x >> 33) % 280'000);  // ~12 % of the rows repeat an earlier one
  }
  TableProfile p;
  ChunkScratch scratch;
  constexpr std::size_t kChunk = 7'000;
  for (std::size_t begin = 0, index = 0; begin < values.size(); begin += kChunk, ++index) {
    const std::size_t end = std::min(values.size(), begin + kChunk);
    core::Table t;
    t.add_column(core::Column::int64("v", std::vector<std::int64_t>(values.begin() + static_cast<std::ptrdiff_t>(begin),
                                                                    values.begin() + static_cast<std::ptrdiff_t>(end))));
    p.add_chunk(t, static_cast<std::int64_t>(index), scratch);
  }
  std::map<std::int64_t, std::vector<std::int64_t>> rows_of;
  for (std::size_t i = 0; i < values.size(); ++i) rows_of[values[i]].push_back(static_cast<std::int64_t>(i));
  std::int64_t groups = 0, duplicate_rows = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  for (const auto& [value, rows] : rows_of) {
    if (rows.size() < 2) continue;
    ++groups;
    duplicate_rows += static_cast<std::int64_t>(rows.size()) - 1;
    for (std::size_t d = 1; d < rows.size(); ++d) pairs.emplace_back(rows[0], rows[d]);
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  pairs.resize(DuplicateRows::kExamples);
  const auto d = p.duplicates();
  EXPECT_EQ(d.groups, groups);
  EXPECT_EQ(d.duplicate_rows, duplicate_rows);
  EXPECT_EQ(d.examples, pairs);
  EXPECT_EQ(p.duplicates().duplicate_rows, duplicate_rows);  // a second call gives the same
}

// The summary's per-partition table grows past its first size: started at 4 slots it finds the
// same groups as one sized for the rows, on chunks where most rows are distinct and one value
// repeats thousands of times, and on two workers' sets merged.
TEST(TableProfile, DuplicateSummaryWithAGrowingTable) {
  DuplicateRows small(4), sized, small_merged(4);
  DuplicateRows other_worker(4);
  std::uint64_t x = 7;
  for (std::int64_t chunk = 0; chunk < 12; ++chunk) {
    std::vector<std::int64_t> v(5'000);
    for (std::size_t i = 0; i < v.size(); ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      v[i] = i % 3 == 0 ? 42 : static_cast<std::int64_t>((x >> 33) % 50'000);
    }
    core::Table t;
    t.add_column(core::Column::int64("v", v));
    small.add_chunk(t, chunk);
    sized.add_chunk(t, chunk);
    (chunk % 2 == 0 ? small_merged : other_worker).add_chunk(t, chunk);
  }
  small_merged.merge(std::move(other_worker));
  const auto a = small.summary(), b = sized.summary(), c = small_merged.summary();
  EXPECT_GT(b.groups, 1000);
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.duplicate_rows, b.duplicate_rows);
  EXPECT_EQ(a.examples, b.examples);
  EXPECT_EQ(c.groups, b.groups);
  EXPECT_EQ(c.duplicate_rows, b.duplicate_rows);
  EXPECT_EQ(c.examples, b.examples);
}

TEST(TableProfile, DuplicatesIgnoreHowAChunkTypedTheValue) {
  TableProfile p;
  ChunkScratch s;
  core::Table a, b;
  a.add_column(core::Column::int64("v", {7}));
  b.add_column(core::Column::categorical("v", {0}, {"7"}));
  p.add_chunk(a, 0, s);
  p.add_chunk(b, 1, s);
  EXPECT_EQ(p.duplicates().duplicate_rows, 1);
}

TEST(TableProfile, MissingAndPresentDiffer) {
  core::Table t;
  t.add_column(core::Column::float64("a", {0.0, 0.0}, {1, 0}));
  EXPECT_EQ(profile_table(t).duplicates().duplicate_rows, 0);
}

TEST(TableProfile, UnknownTargetSuggestsTheNearestColumn) {
  const auto p = profile_table(test::mixed_table(10, 2));
  try {
    profile_label(p, "ff");
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Did you mean \"f\"?"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fitcheck::profile
