#include <random>

#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::vector<doctor::Finding> check(std::vector<double> a, std::vector<double> y = {}) {
  if (y.empty()) {
    for (std::size_t i = 0; i < a.size(); ++i) y.push_back(static_cast<double>(i % 2));
  }
  auto run = test::make_run({{"data", {{"train", {{"csv", "train.csv"}, {"target", "y"}, {"x", nullptr}, {"y", nullptr}}}}}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.train = test::make_split(test::table_block(test::table_of({core::Column::float64("a", std::move(a))})),
                               test::table_block(test::table_of({core::Column::float64("y", std::move(y))})), "y");
  return test::run_category(ctx, "data.outliers");
}

std::vector<double> draw(int n, unsigned seed, bool lognormal) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(lognormal ? std::exp(g(rng)) : g(rng));
  return v;
}

TEST(Outliers, AGlitchDominatesAColumn) {
  auto v = draw(1000, 1, false);
  v[10] = 1e6;
  auto f = check(v);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where["columns"], json({"a"}));
  EXPECT_EQ(f[0].evidence["per_column"]["a"]["extreme_value"], 1e6);
  EXPECT_GT(f[0].evidence["per_column"]["a"]["robust_z"].get<double>(), 1e5);
}

TEST(Outliers, OrdinaryHeavyTailsDoNot) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    EXPECT_TRUE(check(draw(5000, seed, false)).empty()) << seed;
    EXPECT_TRUE(check(draw(5000, seed, true)).empty()) << seed;  // log-normal, sigma 1
  }
}

TEST(Outliers, RegressionLabels) {
  auto a = draw(1000, 3, false);
  auto y = draw(1000, 4, false);
  for (auto& v : y) v = v * 0.7 + 10.0;
  EXPECT_TRUE(check(a, y).empty());
  y[5] = 1e5;
  auto f = check(a, y);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where["columns"], json({"y"}));
}

}  // namespace
