// Hand-computed values for the scalers (several from the scikit-learn reference observations).
#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/max_abs_scaler.hpp"
#include "fitcheck/prep/min_max_scaler.hpp"
#include "fitcheck/prep/robust_scaler.hpp"
#include "fitcheck/prep/standard_scaler.hpp"
#include "support/test_data.hpp"
#include "table_builders.hpp"

namespace fitcheck::prep {
namespace {

using testing::num;
using testing::str;
using testing::table;
using testing::values;
using test::kNaN;

TEST(StandardScaler, MatchesScikitLearnOnMixedColumns) {
  const auto x = table({num("a", {1, 2, 4}), num("b", {10, 10, 10}), num("c", {5, kNaN, 7})});
  const auto fitted = StandardScaler().fit(x);
  const auto& s = dynamic_cast<const FittedStandardScaler&>(*fitted);
  EXPECT_DOUBLE_EQ(s.mean()[0], 2.3333333333333335);
  EXPECT_DOUBLE_EQ(s.var()[0], 1.5555555555555554);
  EXPECT_EQ(s.scale()[1], 1.0);  // constant column
  EXPECT_EQ(s.scale()[2], 1.0);
  const auto y = fitted->transform(x);
  EXPECT_NEAR(values(y, 0)[0], -1.0690449676496978, 1e-15);
  EXPECT_NEAR(values(y, 0)[2], 1.3363062095621219, 1e-15);
  EXPECT_EQ(values(y, 1), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(values(y, 2)[0], -1.0);
  EXPECT_TRUE(std::isnan(values(y, 2)[1]));
  EXPECT_FALSE(y.column(2).is_valid(1));
}

TEST(StandardScaler, VarianceWithinRoundingIsConstant) {
  const auto x = table({num("a", {1e10, 1e10 + 2e-6}), num("b", {1, 1 + std::ldexp(1.0, -40)})});
  const auto fitted = StandardScaler().fit(x);
  const auto& s = dynamic_cast<const FittedStandardScaler&>(*fitted);
  EXPECT_EQ(s.scale()[0], 1.0);
  EXPECT_NE(s.scale()[1], 1.0);
  EXPECT_NEAR(values(fitted->transform(x), 1)[1], 1.0, 1e-12);
}

TEST(StandardScaler, AllMissingColumnGivesNaN) {
  const auto x = table({num("a", {kNaN, kNaN})});
  const auto y = StandardScaler().fit(x)->transform(x);
  EXPECT_TRUE(std::isnan(values(y, 0)[0]));
}

TEST(StandardScaler, InverseRestoresInput) {
  const auto x = table({num("a", {1.5, -2, 7.25})});
  const auto f = StandardScaler().fit(x);
  const auto back = f->inverse_transform(f->transform(x));
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(values(back, 0)[i], values(x, 0)[i], 1e-12);
}

TEST(StandardScaler, RejectsStringsAndChangedColumns) {
  EXPECT_THROW(StandardScaler().fit(table({str("city", {"a", "b"})})), core::InputError);
  const auto f = StandardScaler().fit(table({num("a", {1, 2}), num("b", {1, 3})}));
  try {
    f->transform(table({num("b", {1, 2}), num("c", {1, 3})}));
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("missing column \"a\""));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("extra column \"c\""));
  }
  EXPECT_THROW(f->transform(table({num("b", {1, 2}), num("a", {1, 3})})), core::InputError);
}

TEST(MinMaxScaler, UsesScaleTimesXPlusMin) {
  const auto x = table({num("a", {-3, 0, 1.5}), num("b", {10, 10, 10})});
  const auto f = MinMaxScaler().fit(x);
  const auto& s = dynamic_cast<const FittedMinMaxScaler&>(*f);
  EXPECT_DOUBLE_EQ(s.scale()[0], 0.2222222222222222);
  EXPECT_DOUBLE_EQ(s.min()[0], 0.6666666666666666);
  const auto y = f->transform(x);
  EXPECT_EQ(values(y, 0), (std::vector<double>{-3 * s.scale()[0] + s.min()[0], 0 * s.scale()[0] + s.min()[0], 1.5 * s.scale()[0] + s.min()[0]}));
  EXPECT_EQ(values(y, 1), (std::vector<double>{0, 0, 0}));
}

TEST(MinMaxScaler, FeatureRangeAndExtrapolation) {
  const auto f = MinMaxScaler({.range_min = -1, .range_max = 1}).fit(table({num("a", {1, 2, 4})}));
  EXPECT_NEAR(values(f->transform(table({num("a", {0})})), 0)[0], -1.6666666666666667, 1e-15);
  EXPECT_THROW(MinMaxScaler({.range_min = 1, .range_max = 1}), core::ConfigError);
}

TEST(RobustScaler, MedianAndLinearPercentiles) {
  const auto x = table({num("a", {1, 2, 3, 4, 10}), num("b", {1, 2, 4, 7, kNaN}), num("c", {5, 5, 5, 6, 5})});
  const auto f = RobustScaler().fit(x);
  const auto& s = dynamic_cast<const FittedRobustScaler&>(*f);
  EXPECT_EQ(s.center()[0], 3.0);
  EXPECT_EQ(s.scale()[0], 2.0);
  EXPECT_EQ(s.center()[1], 3.0);
  EXPECT_EQ(s.scale()[1], 3.0);
  EXPECT_EQ(values(f->transform(x), 0), (std::vector<double>{-1, -0.5, 0, 0.5, 3.5}));
  const auto uv = RobustScaler({.unit_variance = true}).fit(x);
  EXPECT_NEAR(dynamic_cast<const FittedRobustScaler&>(*uv).scale()[0], 1.482602218505602, 1e-14);
  const auto q = RobustScaler({.q_min = 10, .q_max = 90}).fit(x);
  EXPECT_DOUBLE_EQ(dynamic_cast<const FittedRobustScaler&>(*q).scale()[0], 6.200000000000001);
}

TEST(RobustScaler, NormalQuantile) {
  EXPECT_NEAR(normal_ppf(0.75) - normal_ppf(0.25), 1.3489795003921634, 1e-15);
  EXPECT_NEAR(normal_ppf(0.975), 1.959963984540054, 1e-14);
}

TEST(MaxAbsScaler, DividesByLargestMagnitude) {
  const auto x = table({num("a", {-4, 2, kNaN}), num("z", {0, 0, 0})});
  const auto y = MaxAbsScaler().fit(x)->transform(x);
  EXPECT_EQ(values(y, 0)[0], -1.0);
  EXPECT_EQ(values(y, 0)[1], 0.5);
  EXPECT_EQ(values(y, 1), (std::vector<double>{0, 0, 0}));
}

TEST(PythonFloatStr, FollowsPythonRepr) {
  EXPECT_EQ(python_float_str(3.0), "3.0");
  EXPECT_EQ(python_float_str(-0.5), "-0.5");
  EXPECT_EQ(python_float_str(0.1), "0.1");
  EXPECT_EQ(python_float_str(1e20), "1e+20");
  EXPECT_EQ(python_float_str(1e-5), "1e-05");
  EXPECT_EQ(python_float_str(1.5e-7), "1.5e-07");
  EXPECT_EQ(python_float_str(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float_str(1e16), "1e+16");
  EXPECT_EQ(python_float_str(0.0001), "0.0001");
  EXPECT_EQ(python_float_str(123.456), "123.456");
  EXPECT_EQ(python_float_str(-0.0), "-0.0");
  EXPECT_EQ(python_float_str(kNaN), "nan");
}

}  // namespace
}  // namespace fitcheck::prep
