#include "fitcheck/run/run_data.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/run/run_model.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;

TEST(RunData, RawArraysKeepTheirShape) {
  auto spec = io::load_run_file(test::test_case_path("missing_channel_axis") / "run.json");
  auto data = run::prepare_run_data(spec);
  EXPECT_EQ(data.train.x.shape().str(), "(300, 28, 28)");
  EXPECT_EQ(data.train.y.dim(0), 300);
  EXPECT_FALSE(data.pipeline.has_value());
}

TEST(RunData, RawTextIsRefusedNamingTheColumn) {
  auto spec = io::load_run_file(test::test_case_path("categorical_strings") / "run.json");
  try {
    (void)run::prepare_run_data(spec);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("\"color\""), std::string::npos) << e.what();
  }
}

TEST(RunData, AutoPreprocessingIsFittedOnTheTrainingRowsOnly) {
  // The last 20% of the rows (the Keras validation rows) are far larger: a scaler fitted on them
  // would not centre the first 80%.
  test::TempDir dir;
  std::string csv = "a,label\n";
  for (int i = 0; i < 100; ++i) csv += std::to_string(i < 80 ? (i % 10) * 1.0 : 1000.0 + i) + "," + std::to_string(i % 2) + "\n";
  dir.write("t.csv", csv);
  nlohmann::json doc = {{"data", {{"train", {{"csv", "t.csv"}, {"target", "label"}}}}},
                        {"preprocess", "auto"},
                        {"model", {{"class_name", "Sequential"}, {"config", {{"layers", nlohmann::json::array()}}}}},
                        {"fit", {{"validation_split", 0.2}}}};
  auto spec = io::parse_run_spec(doc, "run.json", dir.path());
  auto data = run::prepare_run_data(spec);
  ASSERT_TRUE(data.pipeline.has_value());
  ASSERT_EQ(data.train.x.dim(0), 100);
  double sum = 0.0;
  for (int i = 0; i < 80; ++i) sum += data.train.x.data()[i * data.train.x.dim(1)];
  EXPECT_NEAR(sum / 80.0, 0.0, 1e-5);
  EXPECT_GT(data.train.x.data()[99 * data.train.x.dim(1)], 100.0f);  // validation rows: far out
}

TEST(RunModel, BalancedClassWeightsAsScikitLearn) {
  auto spec = io::load_run_file(test::test_case_path("class_imbalance") / "run.json");
  spec.fit.class_weight = "balanced";
  auto data = run::prepare_run_data(spec);
  auto options = run::fit_options(spec, data);
  ASSERT_EQ(options.class_weight.size(), 2u);
  // n / (2 * count): the weights times the class counts sum to n per class.
  std::int64_t n = data.train.y.dim(0), positives = 0;
  for (std::int64_t i = 0; i < n; ++i) positives += data.train.y.data()[i] > 0.5f;
  EXPECT_NEAR(options.class_weight[1], static_cast<double>(n) / (2.0 * positives), 1e-9);
  EXPECT_NEAR(options.class_weight[0], static_cast<double>(n) / (2.0 * (n - positives)), 1e-9);
}

TEST(RunModel, HealthyCaseTrains) {
  auto spec = io::load_run_file(test::test_case_path("adam_default_lr_healthy") / "run.json");
  spec.fit.verbose = 0;
  auto data = run::prepare_run_data(spec);
  auto model = run::build_run_model(spec);
  auto history = model.fit(data.train.x, data.train.y, run::fit_options(spec, data));
  const auto& loss = history.at("loss");
  ASSERT_FALSE(loss.empty());
  EXPECT_LT(loss.back(), loss.front() * 0.7);
}

}  // namespace
