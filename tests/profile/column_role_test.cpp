#include "fitcheck/profile/column_role.hpp"

#include <numeric>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/profile/column_stats.hpp"

namespace fitcheck::profile {
namespace {

ColumnRole role_of(const core::Column& c) {
  ColumnStats s(c.name);
  ChunkScratch scratch;
  s.add(c, scratch);
  return s.role();
}

std::vector<double> cycle(int n, int period, double scale = 1.0) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = (i % period) * scale;
  return v;
}

TEST(ColumnRole, Constant) {
  EXPECT_EQ(role_of(core::Column::float64("x", std::vector<double>(50, 3.5))), ColumnRole::Constant);
  EXPECT_EQ(role_of(core::Column::float64("x", {1.0, 2.0}, {0, 0})), ColumnRole::Constant);
}

TEST(ColumnRole, Binary) {
  EXPECT_EQ(role_of(core::Column::float64("x", cycle(100, 2))), ColumnRole::Binary);
  EXPECT_EQ(role_of(core::Column::boolean("x", {0, 1, 1})), ColumnRole::Binary);
  EXPECT_EQ(role_of(core::Column::categorical("x", {0, 1, 1}, {"yes", "no"})), ColumnRole::Binary);
}

TEST(ColumnRole, IdentifierLike) {
  std::vector<std::int64_t> ids(500);
  std::iota(ids.begin(), ids.end(), 1000);
  EXPECT_EQ(role_of(core::Column::int64("id", ids)), ColumnRole::IdentifierLike);
  std::vector<std::string> names;
  std::vector<std::int32_t> codes;
  for (int i = 0; i < 100; ++i) {
    names.push_back("user" + std::to_string(i));
    codes.push_back(i);
  }
  EXPECT_EQ(role_of(core::Column::categorical("u", codes, names)), ColumnRole::IdentifierLike);
  // Unique floats are measurements, not identifiers.
  EXPECT_EQ(role_of(core::Column::float64("x", cycle(500, 500, 0.37))), ColumnRole::Numeric);
}

TEST(ColumnRole, Categorical) {
  EXPECT_EQ(role_of(core::Column::categorical("c", {0, 1, 2, 0, 1, 2}, {"a", "b", "c"})), ColumnRole::Categorical);
}

TEST(ColumnRole, PixelLike) {
  EXPECT_EQ(role_of(core::Column::float64("p", cycle(1000, 256))), ColumnRole::PixelLike);
  core::Column u8 = core::Column::int64("p", {0, 3, 7, 12, 3}, {}, core::DType::UInt8);
  EXPECT_EQ(role_of(u8), ColumnRole::PixelLike);
  // Small counts are not pixels; nor are values above 255.
  EXPECT_EQ(role_of(core::Column::float64("n", cycle(1000, 11))), ColumnRole::Numeric);
  EXPECT_EQ(role_of(core::Column::float64("n", cycle(1000, 300))), ColumnRole::Numeric);
}

TEST(ColumnRole, Names) {
  EXPECT_EQ(column_role_name(ColumnRole::IdentifierLike), "identifier-like");
  EXPECT_EQ(column_role_name(ColumnRole::PixelLike), "pixel-like");
}

}  // namespace
}  // namespace fitcheck::profile
