// The doctor's answers to the red-team cases (tests/cases_redteam) at the level of one check:
// an output activation that cannot reach regression targets, several regression targets on very
// different scales and two classes coded 1/2 (the target listed as a feature and the starved
// deep network are judged end to end by cases_redteam.doctor).

#include <random>

#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

// A regression run: standardized features, targets y, output activation `act` under `loss`.
std::vector<doctor::Finding> regression(const std::vector<double>& y, const std::string& act, const std::string& category,
                                        const std::string& loss = "mse") {
  auto run = test::make_run({{"compile", {{"loss", loss}}}});
  auto model = test::make_model({test::dense("h", 8, "relu"), test::dense("out", 1, act)}, {2});
  std::mt19937 rng(5);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> a, b;
  for (std::size_t i = 0; i < y.size(); ++i) {
    a.push_back(g(rng));
    b.push_back(g(rng));
  }
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = model;
  ctx.train = test::make_split(test::table_block(test::table_of({core::Column::float64("a", a), core::Column::float64("b", b)})),
                               test::table_block(test::table_of({core::Column::float64("y", y)})), "y");
  return test::run_category(ctx, category);
}

std::vector<double> normal_targets(double mean, double sd, int n = 500) {
  std::mt19937 rng(9);
  std::normal_distribution<double> g(mean, sd);
  std::vector<double> y;
  for (int i = 0; i < n; ++i) y.push_back(g(rng));
  return y;
}

TEST(RedTeamFixes, AnOutputThatCannotReachTheTargets) {
  const std::string c = "model.output_activation_loss";
  // A sigmoid against prices: every target out of reach, an error with a linear repair.
  auto f = regression(normal_targets(180, 60), "sigmoid", c);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Error);
  EXPECT_NEAR(f[0].evidence["targets_outside_share"].get<double>(), 1.0, 1e-12);
  EXPECT_EQ((*f[0].repair)["model"]["layers"][0]["config"]["activation"], "linear");
  // A ReLU against standardized targets: about half below 0.
  f = regression(normal_targets(0, 1), "relu", c);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(f[0].evidence["targets_outside_share"].get<double>(), 0.5, 0.08);
  // Within reach: a ReLU on positive prices, a sigmoid on targets in (0, 1), a linear output.
  EXPECT_TRUE(regression(normal_targets(180, 20), "relu", c).empty());
  std::vector<double> unit;
  for (int i = 0; i < 400; ++i) unit.push_back((i + 0.5) / 400.0);
  EXPECT_TRUE(regression(unit, "sigmoid", c).empty());
  EXPECT_TRUE(regression(normal_targets(0, 1), "linear", c).empty());
  // A few targets just outside (under 5 %) are not a floor worth a warning.
  auto few = normal_targets(0.5, 0.1);
  EXPECT_TRUE(regression(few, "sigmoid", c).empty());
}

TEST(RedTeamFixes, TheLargestOfSeveralRegressionTargetsCounts) {
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  std::vector<float> x, y;
  std::mt19937 rng(3);
  std::normal_distribution<double> g(0.0, 1.0);
  for (int i = 0; i < 400; ++i) {
    x.push_back(static_cast<float>(g(rng)));
    x.push_back(static_cast<float>(g(rng)));
    y.push_back(static_cast<float>(0.5 + 0.1 * g(rng)));        // a yield in 0..1
    y.push_back(static_cast<float>(45000.0 + 12000.0 * g(rng)));  // a cost
  }
  ctx.train = test::make_split(test::array_block({400, 2}, x), test::array_block({400, 2}, y));
  const auto f = test::run_category(ctx, "data.unscaled_features");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["target_column"], "target column 1");
  EXPECT_GT(f[0].evidence["target_magnitude"].get<double>(), 40000.0);
}

TEST(RedTeamFixes, TwoClassesCodedOneAndTwoAreRecodedNotSoftmaxed) {
  auto run = test::make_run({{"compile", {{"loss", "binary_crossentropy"}}}});
  auto model = test::make_model({test::dense("h", 8, "relu"), test::dense("out", 1, "sigmoid")}, {1});
  std::vector<double> a, y;
  for (int i = 0; i < 200; ++i) {
    a.push_back(i % 7);
    y.push_back(1.0 + (i % 3 == 0 ? 1.0 : 0.0));
  }
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = model;
  ctx.train = test::make_split(test::table_block(test::table_of({core::Column::float64("a", a)})),
                               test::table_block(test::table_of({core::Column::float64("y", y)})), "y");
  const auto f = test::run_category(ctx, "data.label_loss_mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].title.find("coded 1/2"), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].fix.find("0/1"), std::string::npos) << f[0].fix;
  EXPECT_FALSE(f[0].repair.has_value());  // another loss would not help
}

TEST(RedTeamFixes, DatesAreNotOneHotEncoded) {
  auto run = test::make_run({{"data", {{"train", {{"csv", "train.csv"}, {"target", "y"}, {"x", nullptr}, {"y", nullptr}}}}}});
  auto check = [&](const std::vector<std::string>& dates) {
    std::vector<std::int32_t> codes, city_codes;
    std::vector<double> y;
    for (int i = 0; i < 120; ++i) {
      codes.push_back(i % static_cast<int>(dates.size()));
      city_codes.push_back(i % 3);
      y.push_back(i % 2);
    }
    doctor::CheckContext ctx;
    ctx.run = &run;
    ctx.train = test::make_split(
        test::table_block(test::table_of({core::Column::categorical("day", codes, dates),
                                          core::Column::categorical("city", city_codes, {"Lyon", "Nice", "Paris"})})),
        test::table_block(test::table_of({core::Column::float64("y", y)})), "y");
    return test::run_category(ctx, "data.categorical_unencoded");
  };
  for (const auto& dates : std::vector<std::vector<std::string>>{{"2019-01-31", "2019-02-01", "2019-02-02T10:00"},
                                                                  {"31/01/2019", "01/02/2019", "02/02/2019"},
                                                                  {"1.31.19", "2.1.19", "2.2.19"}}) {
    const auto f = check(dates);
    ASSERT_EQ(f.size(), 1u) << dates[0];
    EXPECT_EQ(f[0].evidence["date_columns"], json({"day"})) << dates[0];
    EXPECT_NE(f[0].fix.find("dates"), std::string::npos);
    EXPECT_EQ((*f[0].repair)["data"]["train"]["features"], json({"city"}));  // the dates dropped
    EXPECT_EQ((*f[0].repair)["preprocess"][0]["columns"], json({"city"}));    // the city one-hot encoded
  }
  // Codes that only look numeric are not dates: 2019-13-45, version strings, phone-like numbers.
  for (const auto& other : std::vector<std::vector<std::string>>{{"2019-13-45", "2019-14-46", "2019-15-47"},
                                                                  {"v1.2.3", "v1.2.4", "v2.0.0"},
                                                                  {"555-1234", "555-9876", "555-0000"}}) {
    const auto f = check(other);
    ASSERT_EQ(f.size(), 1u) << other[0];
    EXPECT_FALSE(f[0].evidence.contains("date_columns")) << other[0];
  }
}

}  // namespace
