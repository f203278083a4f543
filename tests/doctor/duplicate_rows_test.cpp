#include <random>

#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

// `rows` continuous samples of 3 features; the first `copies` rows repeated at the end (with the
// label flipped when `conflict`).
std::vector<doctor::Finding> check(int rows, int copies, bool conflict) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> x, y;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < 3; ++j) x.push_back(u(rng));
    y.push_back(static_cast<float>(i % 2));
  }
  for (int i = 0; i < copies; ++i) {
    for (int j = 0; j < 3; ++j) x.push_back(x[static_cast<std::size_t>(i * 3 + j)]);
    y.push_back(conflict ? 1.0f - y[static_cast<std::size_t>(i)] : y[static_cast<std::size_t>(i)]);
  }
  const std::int64_t n = rows + copies;
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.train = test::make_split(test::array_block({n, 3}, x), test::array_block({n}, y, "y.npy"));
  return test::run_category(ctx, "data.duplicate_rows");
}

TEST(DuplicateRows, ShareDecidesTheSeverity) {
  EXPECT_TRUE(check(1000, 0, false).empty());
  auto few = check(1000, 10, false);  // 1 %
  ASSERT_EQ(few.size(), 1u);
  EXPECT_EQ(few[0].severity, doctor::Severity::Info);
  auto many = check(1000, 100, false);  // 9 %
  ASSERT_EQ(many.size(), 1u);
  EXPECT_EQ(many[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(many[0].evidence["duplicate_rows"], 100);
  EXPECT_EQ(many[0].evidence["examples"][0], json({0, 1000}));
}

TEST(DuplicateRows, ConflictingLabels) {
  auto f = check(1000, 100, true);
  ASSERT_EQ(f.size(), 1u);  // no exact duplicate, 100 conflicting pairs
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(f[0].evidence["conflicting_label_groups"], 100);
  EXPECT_EQ(f[0].evidence["conflicting_label_rows"], 200);
}

TEST(DuplicateRows, SmallDiscreteFeatureSpacesRepeatByChance) {
  // Two binary features and 1000 rows: only 4 distinct rows can exist.
  std::vector<float> x, y;
  for (int i = 0; i < 1000; ++i) {
    x.push_back(static_cast<float>(i % 2));
    x.push_back(static_cast<float>((i / 2) % 2));
    y.push_back(static_cast<float>(i % 3 == 0));
  }
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.train = test::make_split(test::array_block({1000, 2}, x), test::array_block({1000}, y, "y.npy"));
  auto f = test::run_category(ctx, "data.duplicate_rows");
  ASSERT_FALSE(f.empty());
  EXPECT_FALSE(test::fires(f));
}

}  // namespace
