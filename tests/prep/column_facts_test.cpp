// The facts the auto plan decides on: exact distinct counts where they decide (whole numbers,
// categories), "two or more" for fractional columns, through both counting paths.
#include "fitcheck/prep/column_facts.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace fitcheck::prep {
namespace {

using core::Column;

TEST(ColumnFacts, WholeNumbersCountedExactlyOnBothPaths) {
  // Narrow range (bitmap): 0..9 repeated, one missing.
  std::vector<double> narrow;
  for (int i = 0; i < 100; ++i) narrow.push_back(i % 10);
  std::vector<std::uint8_t> valid(100, 1);
  valid[3] = 0;
  narrow[3] = NAN;
  auto f = column_facts(Column::float64("codes", narrow, valid));
  EXPECT_EQ(f.missing, 1);
  EXPECT_EQ(f.distinct, 10);
  EXPECT_TRUE(f.integer_valued);
  EXPECT_EQ(f.min, 0);
  EXPECT_EQ(f.max, 9);
  // Wide range (sorted): 1e12 apart, with repeats and negatives.
  std::vector<std::int64_t> wide = {-3'000'000'000'000, 5, 1'000'000'000'000, 5, -3'000'000'000'000, 7};
  f = column_facts(Column::int64("zip", wide));
  EXPECT_EQ(f.distinct, 4);
  EXPECT_EQ(f.min, -3e12);
  EXPECT_EQ(f.max, 1e12);
}

TEST(ColumnFacts, FractionalColumnsOnlyTellConstancy) {
  auto f = column_facts(Column::float64("x", {1.0, 2.0, 2.5, 2.5, 3.0}));
  EXPECT_FALSE(f.integer_valued);
  EXPECT_EQ(f.distinct, 2);  // "two or more"
  EXPECT_EQ(f.min, 1.0);
  EXPECT_EQ(f.max, 3.0);
  f = column_facts(Column::float64("c", {0.5, 0.5, 0.5}));
  EXPECT_EQ(f.distinct, 1);
}

TEST(ColumnFacts, InfinitiesAndEmptyColumns) {
  const double inf = std::numeric_limits<double>::infinity();
  auto f = column_facts(Column::float64("x", {1.0, inf, 1.0, -inf}));
  EXPECT_EQ(f.distinct, 3);
  EXPECT_EQ(f.max, inf);
  f = column_facts(Column::float64("none", {NAN, NAN}, {0, 0}));
  EXPECT_EQ(f.missing, 2);
  EXPECT_EQ(f.distinct, 0);
}

TEST(ColumnFacts, CategoriesCountTextsNotCodes) {
  auto f = column_facts(Column::categorical("city", {0, 1, 2, 1}, {"Oslo", "Rome", "Oslo"}));
  EXPECT_EQ(f.distinct, 2);
  EXPECT_FALSE(f.integer_valued);
}

}  // namespace
}  // namespace fitcheck::prep
