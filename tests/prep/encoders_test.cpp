// Encoders and the imputer against hand-computed and scikit-learn-observed values.
#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/prep/one_hot_encoder.hpp"
#include "fitcheck/prep/ordinal_encoder.hpp"
#include "fitcheck/prep/registry.hpp"
#include "fitcheck/prep/simple_imputer.hpp"
#include "support/test_data.hpp"
#include "table_builders.hpp"

namespace fitcheck::prep {
namespace {

using testing::num;
using testing::str;
using testing::table;
using testing::values;
using Names = std::vector<std::string>;
using test::kNaN;

core::Column ints(std::string name, std::vector<std::int64_t> v) { return core::Column::int64(std::move(name), std::move(v)); }

TEST(OneHotEncoder, SortsCategoriesAndIgnoresUnknown) {
  const auto fit = table({str("x0", {"b", "a", "c", "b"}), ints("x1", {10, 2, 10, 1})});
  const auto f = OneHotEncoder({.handle_unknown = HandleUnknown::Ignore}).fit(fit);
  EXPECT_EQ(f->feature_names_out(), (Names{"x0_a", "x0_b", "x0_c", "x1_1", "x1_2", "x1_10"}));
  const auto y = f->transform(table({str("x0", {"d", "a"}), ints("x1", {10, 5})}));
  ASSERT_EQ(y.num_columns(), 6);
  std::vector<double> row0, row1;
  for (int j = 0; j < 6; ++j) {
    row0.push_back(y.column(j).as_double(0));
    row1.push_back(y.column(j).as_double(1));
  }
  EXPECT_EQ(row0, (std::vector<double>{0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(row1, (std::vector<double>{1, 0, 0, 0, 0, 0}));
}

TEST(OneHotEncoder, MissingIsTheLastCategory) {
  const auto f = OneHotEncoder().fit(table({num("x0", {3, 1.5, kNaN, 1.5})}));
  EXPECT_EQ(f->feature_names_out(), (Names{"x0_1.5", "x0_3.0", "x0_nan"}));
  const auto g = OneHotEncoder().fit(table({str("c", {"b", "", "a", "B"})}));
  EXPECT_EQ(g->feature_names_out(), (Names{"c_B", "c_a", "c_b", "c_nan"}));
}

TEST(OneHotEncoder, UnknownWithErrorNamesColumnValueAndRow) {
  const auto f = OneHotEncoder().fit(table({str("city", {"a", "b"})}));
  try {
    f->transform(table({str("city", {"a", "d"})}));
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("column \"city\""));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("\"d\" in row 1"));
  }
}

TEST(OneHotEncoder, InfrequentByMinFrequencyGoesLast) {
  std::vector<std::string> v;
  for (auto [c, n] : std::vector<std::pair<std::string, int>>{{"a", 5}, {"b", 20}, {"c", 10}, {"d", 3}}) {
    for (int i = 0; i < n; ++i) v.push_back(c);
  }
  const auto x = table({str("x0", v)});
  const auto f = OneHotEncoder({.min_frequency = 6.0}).fit(x);
  EXPECT_EQ(f->feature_names_out(), (Names{"x0_b", "x0_c", "x0_infrequent_sklearn"}));
  const auto frac = OneHotEncoder({.min_frequency = 0.2, .min_frequency_is_fraction = true}).fit(x);
  EXPECT_EQ(frac->feature_names_out(), f->feature_names_out());
  const auto y = f->transform(table({str("x0", {"a", "d", "b"})}));
  EXPECT_EQ(values(y, 2), (std::vector<double>{1, 1, 0}));
  // infrequent_if_exist sends unknown values to the infrequent column.
  const auto g = OneHotEncoder({.handle_unknown = HandleUnknown::InfrequentIfExist, .min_frequency = 6.0}).fit(x);
  EXPECT_EQ(values(g->transform(table({str("x0", {"zz"})})), 2), (std::vector<double>{1}));
}

TEST(OneHotEncoder, MaxCategoriesTakesEarlierCategoriesOnEqualCounts) {
  std::vector<std::string> v;
  for (auto [c, n] : std::vector<std::pair<std::string, int>>{{"a", 3}, {"b", 3}, {"c", 3}, {"d", 5}}) {
    for (int i = 0; i < n; ++i) v.push_back(c);
  }
  const auto x = table({str("x0", v)});
  EXPECT_EQ(OneHotEncoder({.max_categories = 3}).fit(x)->feature_names_out(),
            (Names{"x0_c", "x0_d", "x0_infrequent_sklearn"}));
  // scikit-learn 1.2 quirk: max_categories=1 groups nothing.
  EXPECT_EQ(OneHotEncoder({.max_categories = 1}).fit(x)->feature_names_out().size(), 4u);
}

TEST(OneHotEncoder, DropFirstAndIfBinary) {
  const auto x = table({str("f", {"x", "y", "x"}), str("g", {"p", "q", "r"})});
  EXPECT_EQ(OneHotEncoder({.drop = OneHotDrop::First}).fit(x)->feature_names_out(), (Names{"f_y", "g_q", "g_r"}));
  EXPECT_EQ(OneHotEncoder({.drop = OneHotDrop::IfBinary}).fit(x)->feature_names_out(),
            (Names{"f_y", "g_p", "g_q", "g_r"}));
}

TEST(OneHotEncoder, TransformIntoEqualsTransform) {
  const auto x = table({str("f", {"x", "y", "z", "", "y"}), ints("g", {3, 1, 3, 2, 2})});
  const auto f = OneHotEncoder({.min_frequency = 2.0}).fit(x);
  const auto y = f->transform(x);
  const std::int64_t stride = y.num_columns() + 3;
  std::vector<float> out(static_cast<std::size_t>(5 * stride), 0.0f);
  f->transform_into(x, out.data(), stride, 2);
  for (std::int64_t i = 0; i < 5; ++i) {
    for (int j = 0; j < y.num_columns(); ++j) {
      EXPECT_EQ(out[static_cast<std::size_t>(i * stride + 2 + j)], static_cast<float>(y.column(j).as_double(i)));
    }
  }
}

TEST(OneHotEncoder, InverseTransformRecoversCategories) {
  const auto x = table({str("f", {"x", "y", "z"})});
  const auto f = OneHotEncoder().fit(x);
  const auto back = f->inverse_transform(f->transform(x));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(back.column(0).as_string(i), x.column(0).as_string(i));
}

TEST(OrdinalEncoder, CodesAreSortedPositions) {
  const auto x = table({str("c", {"b", "a", "", "c"})});
  const auto f = OrdinalEncoder().fit(x);
  const auto y = values(f->transform(x), 0);
  EXPECT_EQ(y[0], 1);
  EXPECT_EQ(y[1], 0);
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_EQ(y[3], 2);
  const auto g = OrdinalEncoder({.use_encoded_value = true, .unknown_value = -1}).fit(x);
  const auto z = values(g->transform(table({str("c", {"z", "a", ""})})), 0);
  EXPECT_EQ(z[0], -1);
  EXPECT_EQ(z[1], 0);
  EXPECT_TRUE(std::isnan(z[2]));
  EXPECT_THROW(OrdinalEncoder({.use_encoded_value = true, .unknown_value = 1}).fit(x), core::ConfigError);
  EXPECT_THROW(f->transform(table({str("c", {"q"})})), core::InputError);
  const auto back = g->inverse_transform(g->transform(x));
  EXPECT_EQ(back.column(0).as_string(0), "b");
  EXPECT_FALSE(back.column(0).is_valid(2));
}

TEST(SimpleImputer, StatisticsAndDroppedEmptyColumn) {
  const auto x = table({num("a", {1, kNaN, 7, 3}), num("b", {2, 2, 5, 5}), num("c", {kNaN, kNaN, kNaN, kNaN})});
  auto stats = [&](ImputeStrategy s) {
    const auto f = SimpleImputer({.strategy = s}).fit(x);
    std::vector<double> out;
    for (const auto& st : dynamic_cast<const FittedSimpleImputer&>(*f).statistics()) out.push_back(st.number);
    return out;
  };
  EXPECT_DOUBLE_EQ(stats(ImputeStrategy::Mean)[0], 3.6666666666666665);
  EXPECT_EQ(stats(ImputeStrategy::Mean)[1], 3.5);
  EXPECT_EQ(stats(ImputeStrategy::Median)[0], 3);
  EXPECT_EQ(stats(ImputeStrategy::MostFrequent)[0], 1);
  EXPECT_EQ(stats(ImputeStrategy::MostFrequent)[1], 2);  // tie 2 vs 5 goes to the smaller
  const auto f = SimpleImputer().fit(x);
  EXPECT_EQ(f->feature_names_out(), (Names{"a", "b"}));
  const auto y = f->transform(x);
  EXPECT_EQ(y.num_columns(), 2);
  EXPECT_DOUBLE_EQ(values(y, 0)[1], 3.6666666666666665);
  EXPECT_EQ(SimpleImputer({.strategy = ImputeStrategy::Constant}).fit(x)->feature_names_out().size(), 3u);
}

TEST(SimpleImputer, IndicatorForColumnsMissingInFit) {
  const auto x = table({num("x0", {1, kNaN}), num("x1", {1, 2}), num("x2", {kNaN, kNaN})});
  const auto f = SimpleImputer({.add_indicator = true}).fit(x);
  EXPECT_EQ(f->feature_names_out(), (Names{"x0", "x1", "missingindicator_x0", "missingindicator_x2"}));
  const auto y = f->transform(x);
  EXPECT_EQ(y.column_names(), f->feature_names_out());
  EXPECT_EQ(values(y, 2), (std::vector<double>{0, 1}));
}

TEST(SimpleImputer, MostFrequentStringTieGoesToSmallest) {
  const auto x = table({str("c", {"b", "a", "b", "a", ""})});
  const auto f = SimpleImputer({.strategy = ImputeStrategy::MostFrequent}).fit(x);
  EXPECT_EQ(f->transform(x).column(0).as_string(4), "a");
  EXPECT_THROW(SimpleImputer().fit(x), core::InputError);
}

TEST(Registry, BuildsStepsFromRunFileJson) {
  using nlohmann::json;
  EXPECT_EQ(make_transformer(json{{"scale", "standard"}}, "/s")->class_name(), "StandardScaler");
  EXPECT_EQ(make_transformer(json{{"scale", {{"method", "minmax"}, {"feature_range", {-1, 1}}}}}, "/s")->class_name(),
            "MinMaxScaler");
  EXPECT_EQ(make_transformer(json{{"impute", "median"}}, "/s")->get_params()["strategy"], "median");
  EXPECT_EQ(make_transformer(json{{"onehot", {{"handle_unknown", "ignore"}}}}, "/s")->class_name(), "OneHotEncoder");
  EXPECT_EQ(make_transformer(json{{"cast", "float32"}}, "/s")->class_name(), "Float32Cast");
  try {
    make_transformer(json{{"scale", "standrd"}}, "run.json: /preprocess/0/steps/0");
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Did you mean \"standard\""));
  }
  EXPECT_THROW(make_transformer(json{{"onehot", {{"handle_unknwn", "ignore"}}}}, "/s"), core::ConfigError);
  EXPECT_THROW(make_transformer(json{{"scael", "standard"}}, "/s"), core::ConfigError);
}

TEST(Registry, EveryFittedTransformerRoundTripsThroughJson) {
  const auto x = table({num("a", {1, kNaN, 7, 3, 0.1}), num("b", {2, 2, 5, 5, -1e-300})});
  const auto s = table({str("c", {"b", "a", "", "a", "z"})});
  for (const auto& e : transformer_registry()) {
    nlohmann::json step = nlohmann::json::object();
    step[std::string(e.step)] = e.variant.empty() ? nlohmann::json::object() : nlohmann::json(e.variant);
    const auto t = make_transformer(step, "/s");
    const bool categorical = e.step == "onehot" || e.step == "ordinal" || e.variant == "most_frequent";
    const auto& data = categorical ? s : x;
    const auto fitted = t->fit(data);
    const auto again = load_fitted_transformer(nlohmann::json::parse(fitted->to_json().dump()), "/p");
    EXPECT_EQ(again->to_json(), fitted->to_json()) << e.class_name;
    const auto a = fitted->transform(data), b = again->transform(data);
    ASSERT_EQ(a.num_columns(), b.num_columns());
    for (int j = 0; j < a.num_columns(); ++j) {
      for (std::int64_t i = 0; i < a.num_rows(); ++i) EXPECT_EQ(a.column(j).as_string(i), b.column(j).as_string(i));
    }
  }
}

}  // namespace
}  // namespace fitcheck::prep
