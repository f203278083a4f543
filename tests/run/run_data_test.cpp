#include "fitcheck/run/run_data.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/npy.hpp"
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

// "drop_train_copies" (the repair of data.leakage_overlap) leaves out the test rows whose features
// are a training row's, with their labels; rows that only share some values stay.
TEST(RunData, TestRowsCopiedFromTrainingAreLeftOutWhenAsked) {
  test::TempDir dir;
  dir.write("train.csv", "a,b,label\n1,x,0\n2,y,1\n3,x,0\n");
  dir.write("test.csv", "a,b,label\n2,y,1\n4,x,0\n1,y,1\n3,x,1\n");
  nlohmann::json doc = {{"data", {{"train", {{"csv", "train.csv"}, {"target", "label"}}},
                                  {"test", {{"csv", "test.csv"}, {"target", "label"}, {"drop_train_copies", true}}}}},
                        {"preprocess", "auto"},
                        {"model", {{"class_name", "Sequential"}, {"config", {{"layers", nlohmann::json::array()}}}}}};
  auto data = run::prepare_run_data(io::parse_run_spec(doc, "run.json", dir.path()));
  ASSERT_TRUE(data.test.has_value());
  ASSERT_EQ(data.test->y.dim(0), 2);  // 4,x and 1,y remain
  EXPECT_EQ(data.test->x.dim(0), 2);
  EXPECT_EQ(data.test->y.data()[0], 0.0f);
  EXPECT_EQ(data.test->y.data()[1], 1.0f);

  doc["data"]["test"]["drop_train_copies"] = false;
  EXPECT_EQ(run::prepare_run_data(io::parse_run_spec(doc, "run.json", dir.path())).test->x.dim(0), 4);
}

TEST(RunData, ArrayTestRowsCopiedFromTrainingAreLeftOut) {
  test::TempDir dir;
  core::Tensor x(core::Shape{3, 2, 2}), tx(core::Shape{3, 2, 2}), y(core::Shape{3}), ty(core::Shape{3});
  for (std::int64_t i = 0; i < 12; ++i) x[i] = static_cast<float>(i);
  for (std::int64_t i = 0; i < 12; ++i) tx[i] = static_cast<float>(i < 4 ? 100 + i : i);  // rows 1, 2 copied
  for (std::int64_t i = 0; i < 3; ++i) ty[i] = static_cast<float>(i);
  io::write_npy(dir.path() / "x.npy", x);
  io::write_npy(dir.path() / "y.npy", y);
  io::write_npy(dir.path() / "tx.npy", tx);
  io::write_npy(dir.path() / "ty.npy", ty);
  nlohmann::json doc = {{"data", {{"train", {{"x", "x.npy"}, {"y", "y.npy"}}},
                                  {"test", {{"x", "tx.npy"}, {"y", "ty.npy"}, {"drop_train_copies", true}}}}},
                        {"model", {{"class_name", "Sequential"}, {"config", {{"layers", nlohmann::json::array()}}}}}};
  auto data = run::prepare_run_data(io::parse_run_spec(doc, "run.json", dir.path()));
  ASSERT_TRUE(data.test.has_value());
  EXPECT_EQ(data.test->x.shape().str(), "(1, 2, 2)");
  EXPECT_EQ(data.test->x[0], 100.0f);
  EXPECT_EQ(data.test->y.size(), 1);
}

TEST(RunData, OnlyTheTestSplitCanDropTrainingCopies) {
  nlohmann::json doc = {{"data", {{"train", {{"csv", "t.csv"}, {"target", "label"}, {"drop_train_copies", true}}}}},
                        {"model", {{"class_name", "Sequential"}, {"config", {{"layers", nlohmann::json::array()}}}}}};
  try {
    (void)io::parse_run_spec(doc, "run.json", ".");
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/data/train/drop_train_copies"), std::string::npos) << e.what();
  }
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
