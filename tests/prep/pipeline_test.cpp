// The leakage-safe pipeline: explicit groups, auto plan, splits, save/load bit-identity.
#include <cmath>
#include <cstring>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/pipeline.hpp"
#include "fitcheck/prep/split.hpp"
#include "support/test_data.hpp"
#include "support/temp_dir.hpp"
#include "table_builders.hpp"

namespace fitcheck::prep {
namespace {

using nlohmann::json;
using testing::num;
using testing::str;
using testing::table;
using ::testing::HasSubstr;
using Names = std::vector<std::string>;
using test::kNaN;

core::Table people(std::uint32_t seed, std::int64_t n) {
  core::Rng rng(seed);
  std::vector<double> age, income;
  std::vector<std::string> city, name;
  std::vector<std::int64_t> id;
  const std::vector<std::string> cities = {"Paris", "Oslo", "Rome"};
  for (std::int64_t i = 0; i < n; ++i) {
    age.push_back(rng.random_sample() < 0.1 ? kNaN : 20 + 50 * rng.random_sample());
    income.push_back(30000 + 10000 * rng.standard_normal());
    city.push_back(rng.random_sample() < 0.05 ? "" : cities[static_cast<std::size_t>(rng.randint(0, 3))]);
    name.push_back(std::string("person").append(std::to_string(i)));
    id.push_back(1000 + i);
  }
  return table({num("age", age), num("income", income), str("city", city), num("const", std::vector<double>(static_cast<std::size_t>(n), 1.0)),
                str("name", name), core::Column::int64("row_id", id)});
}

TEST(TrainTestSplit, MatchesScikitLearnGolden) {
  const auto s = train_test_split_indices(10, {.seed = 0});
  EXPECT_EQ(s.test, (std::vector<std::int64_t>{2, 8, 4}));
  EXPECT_EQ(s.train, (std::vector<std::int64_t>{9, 1, 6, 7, 3, 0, 5}));
  EXPECT_EQ(train_test_split_indices(10, {.test_size = 0.33}).test.size(), 4u);
  EXPECT_EQ(train_test_split_indices(10, {.test_size = 0.05}).test.size(), 1u);
  const auto ordered = train_test_split_indices(10, {.test_size = 0.3, .shuffle = false});
  EXPECT_EQ(ordered.test, (std::vector<std::int64_t>{7, 8, 9}));
}

TEST(TrainTestSplit, StratifiedKeepsClassProportionsAndRejectsSingletons) {
  std::vector<std::int64_t> y;
  for (int i = 0; i < 90; ++i) y.push_back(i % 10 == 0 ? 1 : 0);  // 9 of class 1
  const auto s = train_test_split_indices(90, {.test_size = 1.0 / 3.0, .seed = 3}, &y);
  EXPECT_EQ(s.test.size(), 30u);
  int ones = 0;
  for (auto i : s.test) ones += static_cast<int>(y[static_cast<std::size_t>(i)]);
  EXPECT_EQ(ones, 3);
  std::vector<std::int64_t> single = {0, 0, 0, 1};
  EXPECT_THROW(train_test_split_indices(4, {.test_size = 0.5}, &single), core::ConfigError);
}

TEST(ValidationSplit, TakesTheLastFractionLikeKeras) {
  const auto s = validation_split_indices(10, 0.2);
  EXPECT_EQ(s.train, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(s.test, (std::vector<std::int64_t>{8, 9}));
  // Sorted labels: plain Keras would validate on class 1 only; stratified takes each class's tail.
  std::vector<std::int64_t> y = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  const auto st = validation_split_indices(10, 0.2, &y);
  EXPECT_EQ(st.test, (std::vector<std::int64_t>{4, 9}));
}

TEST(Pipeline, ExplicitGroupsNamesAndValues) {
  const auto data = people(1, 40).select({"age", "income", "city"});
  const auto p = Pipeline::from_json(json::parse(R"([
      {"columns": ["age"], "steps": [{"impute": {"strategy": "median", "add_indicator": true}}, {"scale": "standard"}]},
      {"columns": ["city"], "steps": [{"impute": "most_frequent"}, {"onehot": {"handle_unknown": "ignore"}}]}
    ])"), "run.json: /preprocess");
  const auto fitted = p.fit(TrainingData::whole(data));
  EXPECT_EQ(fitted.feature_names_out(),
            (Names{"age", "missingindicator_age", "city_Oslo", "city_Paris", "city_Rome", "income"}));
  const auto out = fitted.transform(data);
  ASSERT_EQ(out.x.dim(0), 40);
  ASSERT_EQ(out.x.dim(1), 6);
  // income passes through unchanged (float32 of the value); one-hot rows sum to 1.
  for (std::int64_t i = 0; i < 40; ++i) {
    EXPECT_EQ(out.x[i * 6 + 5], static_cast<float>(data.column(1).f64[static_cast<std::size_t>(i)]));
    EXPECT_EQ(out.x[i * 6 + 2] + out.x[i * 6 + 3] + out.x[i * 6 + 4], 1.0f);
    EXPECT_FALSE(std::isnan(out.x[i * 6]));
  }
}

// A large table fits its groups on several threads: each group's fitted state is what fitting
// that group alone gives, the groups stay in order, and the first failing group's error is thrown.
TEST(Pipeline, GroupsFittedOnThreadsEqualGroupsFittedAlone) {
  const std::int64_t n = 120'000;  // x 20 columns: above the threshold for threads
  core::Rng rng(5);
  std::vector<core::Column> cols;
  json groups = json::array();
  for (int c = 0; c < 20; ++c) {
    std::vector<double> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = rng.random_sample() < 0.02 ? kNaN : c + rng.standard_normal() * (c + 1);
    const std::string name = std::string("x").append(std::to_string(c));
    cols.push_back(num(name, v));
    groups.push_back({{"columns", {name}},
                      {"steps", c % 2 ? json::array({{{"impute", "median"}}, {{"scale", "robust"}}})
                                      : json::array({{{"impute", {{"strategy", "mean"}, {"add_indicator", true}}}},
                                                     {{"scale", "standard"}}})}});
  }
  const auto data = table(cols);
  const auto whole = Pipeline::from_json(groups, "/p").fit(TrainingData::whole(data)).to_json();
  Names expected_names;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto alone = Pipeline::from_json(json::array({groups[g], {{"remainder", "drop"}}}), "/p").fit(TrainingData::whole(data));
    EXPECT_EQ(whole["groups"][g], alone.to_json()["groups"][0]) << "group " << g;
    for (const auto& name : alone.feature_names_out()) expected_names.push_back(name);
  }
  const auto fitted = Pipeline::from_json(groups, "/p").fit(TrainingData::whole(data));
  EXPECT_EQ(fitted.feature_names_out(), expected_names);

  auto text = cols;
  text[3] = str("x3", std::vector<std::string>(static_cast<std::size_t>(n), "a"));
  text[7] = str("x7", std::vector<std::string>(static_cast<std::size_t>(n), "b"));
  auto plain = groups;
  plain[3]["steps"] = json::array();
  plain[7]["steps"] = json::array();
  try {
    Pipeline::from_json(plain, "/p").fit(TrainingData::whole(table(text)));
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("group 3 (x3)"));
  }
}

TEST(Pipeline, UnencodedTextIsAConfigErrorNamingTheColumn) {
  const auto data = people(1, 30).select({"age", "city"});
  try {
    Pipeline::from_json("none", "/p").fit(TrainingData::whole(data));
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("column \"city\""));
  }
  EXPECT_THROW(Pipeline::from_json(json::parse(R"([{"columns": ["cty"], "steps": []}])"), "/p")
                   .fit(TrainingData::whole(data)),
               core::InputError);
}

TEST(Pipeline, FitsOnTrainingRowsOnly) {
  // Test rows hold huge values; the fitted mean must be that of the training rows alone.
  std::vector<double> v;
  for (int i = 0; i < 100; ++i) v.push_back(i < 80 ? i % 7 : 1e6);
  const auto data = table({num("x", v)});
  const auto split = split_table(data, validation_split_indices(100, 0.2));
  const auto fitted = Pipeline::from_json(json::parse(R"([{"columns": ["x"], "steps": [{"scale": "standard"}]}])"), "/p")
                          .fit(split.train);
  const auto saved = fitted.to_json();
  const double mean = saved["groups"][0]["steps"][0]["state"]["mean"][0].get<double>();
  double expected = 0;
  for (int i = 0; i < 80; ++i) expected += i % 7;
  EXPECT_DOUBLE_EQ(mean, expected / 80);
  const auto held_out = fitted.transform(split.held_out);
  EXPECT_GT(held_out.x[0], 1000.0f);  // far outside the training distribution, as it should be
}

TEST(Pipeline, EmptyAndSingleRowTrainingData) {
  const auto one = table({num("x", {3}), num("y", {-2})});
  const auto scaled = Pipeline::from_json(json::parse(R"([{"columns": ["x", "y"], "steps": [{"scale": "standard"}]}])"), "/p")
                          .fit(TrainingData::whole(one))
                          .transform(one);
  EXPECT_EQ(scaled.x[0], 0.0f);  // variance 0: scale 1, as scikit-learn
  EXPECT_EQ(scaled.x[1], 0.0f);
  EXPECT_THROW(Pipeline::from_json("none", "/p").fit(TrainingData::whole(take_rows(one, {}))), core::InputError);
  try {
    Pipeline::from_json("none", "/p").fit(TrainingData::whole(core::Table()));
    FAIL() << "a table without columns was fitted";
  } catch (const core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("at least 1 feature column"));
  }
}

TEST(Pipeline, ColumnDifferencesAreListed) {
  const auto data = people(1, 30).select({"age", "income"});
  const auto fitted = Pipeline::from_json("none", "/p").fit(TrainingData::whole(data));
  try {
    fitted.transform(people(2, 5).select({"income", "city"}));
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("missing column \"age\""));
    EXPECT_THAT(e.what(), HasSubstr("extra column \"city\""));
  }
  EXPECT_THROW(fitted.transform(people(2, 5).select({"income", "age"})), core::InputError);
}

TEST(AutoPlan, DecisionsFollowTheColumnFacts) {
  const auto data = people(4, 60);
  const auto plan = plan_auto(data);
  ASSERT_EQ(plan.size(), 6u);
  EXPECT_EQ(plan[0].kind, AutoKind::Numeric);  // age, with missing
  EXPECT_EQ(plan[0].steps.size(), 2u);
  EXPECT_EQ(plan[1].kind, AutoKind::Numeric);  // income
  EXPECT_EQ(plan[1].steps.size(), 1u);
  EXPECT_EQ(plan[2].kind, AutoKind::LowCardinality);
  EXPECT_EQ(plan[3].kind, AutoKind::Constant);
  EXPECT_TRUE(plan[3].drop);
  EXPECT_EQ(plan[4].kind, AutoKind::Identifier);  // unique strings
  EXPECT_EQ(plan[5].kind, AutoKind::Identifier);  // row counter
  const auto fitted = Pipeline::from_plan(plan).fit(TrainingData::whole(data));
  EXPECT_EQ(fitted.feature_names_out(),
            (Names{"age", "missingindicator_age", "income", "city_Oslo", "city_Paris", "city_Rome"}));
  EXPECT_EQ(fitted.decisions().size(), 6u);
  // A user can override a decision and rebuild.
  auto edited = plan;
  edited[1].steps = json::array({{{"scale", "robust"}}});
  const auto refit = Pipeline::from_plan(edited).fit(TrainingData::whole(data));
  EXPECT_EQ(refit.to_json()["groups"][1]["steps"][0]["class_name"], "RobustScaler");
}

TEST(AutoPlan, HighCardinalityAndPixels) {
  std::vector<std::string> many;
  for (int i = 0; i < 200; ++i) many.push_back(std::string("v").append(std::to_string(i % 50)));
  EXPECT_EQ(plan_auto(table({str("code", many)}))[0].kind, AutoKind::HighCardinality);
  core::Table img;
  core::Rng rng(0);
  for (int j = 0; j < 64; ++j) {
    std::vector<std::int64_t> px;
    for (int i = 0; i < 10; ++i) px.push_back(rng.randint(0, 256));
    img.add_column(core::Column::int64(std::string("p").append(std::to_string(j)), px));
  }
  const auto plan = plan_auto(img);
  EXPECT_EQ(plan[0].kind, AutoKind::Pixels);
  const auto out = Pipeline::from_plan(plan).fit(TrainingData::whole(img)).transform(img);
  EXPECT_FLOAT_EQ(out.x[0], static_cast<float>(static_cast<double>(img.column(0).i64[0]) / 255.0));
}

TEST(FittedPipeline, SavedAndReloadedGivesBitIdenticalOutput) {
  const auto train = people(5, 300);
  const auto test = people(6, 100);
  const auto fitted = Pipeline::from_plan(plan_auto(train)).fit(TrainingData::whole(train));
  test::TempDir dir;
  fitted.save(dir.path() / "pipeline.json");
  const auto again = FittedPipeline::load(dir.path() / "pipeline.json");
  const auto a = fitted.transform(test), b = again.transform(test);
  ASSERT_EQ(a.x.size(), b.x.size());
  EXPECT_EQ(std::memcmp(a.x.data(), b.x.data(), static_cast<std::size_t>(a.x.size()) * sizeof(float)), 0);
  EXPECT_EQ(again.to_json(), fitted.to_json());
  EXPECT_EQ(again.feature_names_out(), fitted.feature_names_out());
}

TEST(FittedPipeline, RejectsForeignOrEditedFiles) {
  EXPECT_THROW(FittedPipeline::from_json(json{{"format", "other"}}, "p.json"), core::InputError);
  const auto train = people(5, 50);
  auto j = Pipeline::from_plan(plan_auto(train)).fit(TrainingData::whole(train)).to_json();
  j["version"] = 99;
  EXPECT_THROW(FittedPipeline::from_json(j, "p.json"), core::InputError);
  j["version"] = kPipelineFormatVersion;
  j["feature_names_out"][0] = "renamed";
  EXPECT_THROW(FittedPipeline::from_json(j, "p.json"), core::InputError);
  auto k = Pipeline::from_json("none", "/p").fit(TrainingData::whole(train.select({"age", "income"}))).to_json();
  k["passthrough"][1] = "nope";
  k["feature_names_out"][1] = "nope";
  EXPECT_THROW(FittedPipeline::from_json(k, "p.json"), core::InputError);
}

// Every single-node corruption of a saved pipeline (a member removed, or replaced by a value of
// another type) is refused with a fitcheck error, never a crash or a foreign exception.
TEST(FittedPipeline, CorruptedFilesGiveLocatedErrors) {
  const auto train = people(5, 40);
  const json good = Pipeline::from_plan(plan_auto(train)).fit(TrainingData::whole(train)).to_json();
  std::vector<json::json_pointer> pointers;
  const json flat = good.flatten();
  for (const auto& [key, value] : flat.items()) pointers.emplace_back(key);
  int refused = 0, checked = 0;
  for (std::size_t p = 0; p < pointers.size(); p += 3) {
    for (const json& replacement : {json(), json("x"), json(-7), json::array(), json::object()}) {
      json bad = good;
      bad[pointers[p]] = replacement;
      ++checked;
      try {
        const auto f = FittedPipeline::from_json(bad, "p.json");
        f.transform(train);  // accepted edits must still work or fail cleanly
      } catch (const core::Error&) {
        ++refused;
      }
    }
  }
  EXPECT_GT(checked, 50);
  EXPECT_GT(refused, checked / 3);
}

}  // namespace
}  // namespace fitcheck::prep
