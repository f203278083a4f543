#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::vector<doctor::Finding> check_table(core::Table x) {
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.train = test::make_split(test::table_block(std::move(x)), std::nullopt);
  return test::run_category(ctx, "data.constant_feature");
}

TEST(ConstantFeature, TabularConstantColumns) {
  std::vector<double> varying, constant(100, 3.5);
  for (int i = 0; i < 100; ++i) varying.push_back(i * 0.1);
  auto f = check_table(test::table_of({core::Column::float64("age", varying), core::Column::float64("country_code", constant)}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(f[0].where["columns"], json({"country_code"}));
  EXPECT_EQ(f[0].evidence["values"]["country_code"], 3.5);
  EXPECT_EQ((*f[0].repair)["data"]["train"]["features"], json({"age"}));
  EXPECT_TRUE(check_table(test::table_of({core::Column::float64("age", varying)})).empty());
  // Everything constant: nothing to learn.
  auto all = check_table(test::table_of({core::Column::float64("a", constant), core::Column::float64("b", constant)}));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].severity, doctor::Severity::Error);
}

TEST(ConstantFeature, ImageBordersAreOnlyInfo) {
  // 50 images of 10x10 whose border pixels are always 0.
  const std::int64_t n = 50;
  std::vector<float> x(static_cast<std::size_t>(n * 100), 0.0f);
  for (std::int64_t i = 0; i < n; ++i) {
    for (int r = 1; r < 9; ++r) {
      for (int c = 1; c < 9; ++c) x[static_cast<std::size_t>(i * 100 + r * 10 + c)] = static_cast<float>((i + r * c) % 7) / 7.0f;
    }
  }
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.train = test::make_split(test::array_block({n, 10, 10}, x), std::nullopt);
  auto f = test::run_category(ctx, "data.constant_feature");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Info);
  EXPECT_EQ(f[0].evidence["constant_columns"], 36);
  // The same pixels flattened to (n, 100) are still recognised as images.
  ctx.train = test::make_split(test::array_block({n, 100}, x), std::nullopt);
  EXPECT_EQ(test::worst(test::run_category(ctx, "data.constant_feature")), doctor::Severity::Info);
}

}  // namespace
