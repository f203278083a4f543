#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

struct Data {
  std::vector<double> a, b, y;
  std::vector<std::int32_t> level;
};

std::vector<doctor::Finding> check(const Data& d, bool with_level = false, int levels = 0) {
  auto run = test::make_run({{"data", {{"train", {{"csv", "train.csv"}, {"target", "y"}, {"x", nullptr}, {"y", nullptr}}}}}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  std::vector<core::Column> cols = {core::Column::float64("a", d.a), core::Column::float64("b", d.b)};
  if (with_level) {
    std::vector<std::string> dict;
    for (int l = 0; l < levels; ++l) dict.push_back(test::indexed("L", l));
    cols.push_back(core::Column::categorical("level", d.level, dict));
  }
  ctx.train = test::make_split(test::table_block(test::table_of(std::move(cols))),
                               test::table_block(test::table_of({core::Column::float64("y", d.y)})), "y");
  return test::run_category(ctx, "data.leakage_target");
}

Data noisy_classes(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Data d;
  for (int i = 0; i < n; ++i) {
    const double a = g(rng), b = g(rng);
    d.a.push_back(a);
    d.b.push_back(b);
    d.y.push_back(a + b + 0.5 * g(rng) > 0 ? 1.0 : 0.0);  // both features matter, neither decides
  }
  return d;
}

TEST(LeakageTarget, HealthyFeaturesDoNotFire) {
  EXPECT_TRUE(check(noisy_classes(2000, 1)).empty());
}

TEST(LeakageTarget, ANumericFeatureThatSeparatesTheClasses) {
  auto d = noisy_classes(2000, 2);
  for (std::size_t i = 0; i < d.y.size(); ++i) d.b[i] = d.y[i] * 10.0 + 0.1 * d.a[i];  // the label in disguise
  auto f = check(d);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where["columns"], json({"b"}));
  EXPECT_GE(f[0].evidence["per_column"]["b"]["single_feature_accuracy"].get<double>(), 0.99);
  EXPECT_EQ((*f[0].repair)["data"]["train"]["features"], json({"a"}));
}

TEST(LeakageTarget, ALowCardinalityCategoryThatIsPureAndAnIdentifierThatIsNot) {
  auto d = noisy_classes(2000, 3);
  // 8 levels, each holding one class only.
  for (std::size_t i = 0; i < d.y.size(); ++i) d.level.push_back(static_cast<std::int32_t>(d.y[i]) * 4 + static_cast<std::int32_t>(i % 4));
  auto f = check(d, true, 8);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where["columns"], json({"level"}));
  // A row id is unique per row: its purity is trivial and it is skipped.
  d.level.clear();
  for (std::size_t i = 0; i < d.y.size(); ++i) d.level.push_back(static_cast<std::int32_t>(i));
  EXPECT_TRUE(check(d, true, 2000).empty());
}

TEST(LeakageTarget, RegressionCorrelation) {
  std::mt19937 rng(4);
  std::normal_distribution<double> g(0.0, 1.0);
  Data d;
  for (int i = 0; i < 1000; ++i) {
    d.a.push_back(g(rng));
    d.b.push_back(g(rng));
    d.y.push_back(3.0 * d.a.back() + d.b.back() + 0.3 * g(rng));
  }
  EXPECT_TRUE(check(d).empty());  // r(a, y) ~ 0.94
  for (std::size_t i = 0; i < d.y.size(); ++i) d.b[i] = 2.0 * d.y[i] + 0.01 * d.a[i];
  auto f = check(d);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where["columns"], json({"b"}));
}

TEST(LeakageTarget, ImbalancedLabelsNeedMoreThanTheMajority) {
  // 99.5 % one class: 99 % accuracy is below the baseline, nothing can be claimed.
  auto d = noisy_classes(2000, 5);
  for (std::size_t i = 0; i < d.y.size(); ++i) d.y[i] = i % 200 == 0 ? 1.0 : 0.0;
  EXPECT_TRUE(check(d).empty());
}

}  // namespace
