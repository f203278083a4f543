// What the doctor hands the report: each split's profile, the train-vs-test overlap counted as
// the leakage check counts it, and the model's layers and memory estimate.
#include "fitcheck/doctor/overview.hpp"

#include <gtest/gtest.h>

#include "fitcheck/io/run_file.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace fitcheck;

TEST(Overview, DataModelAndOverlapOfARun) {
  test::TempDir dir;
  std::string train = "a,b,label\n", test = "a,b,label\n";
  for (int i = 0; i < 40; ++i) train += std::to_string(i) + "," + (i == 3 ? "" : std::to_string(i * 0.5)) + "," + std::to_string(i % 2) + "\n";
  for (int i = 30; i < 50; ++i) test += std::to_string(i) + "," + std::to_string(i * 0.5) + "," + std::to_string(i % 2) + "\n";
  dir.write("train.csv", train);
  dir.write("test.csv", test);
  const nlohmann::json spec = {
      {"data", {{"train", {{"csv", "train.csv"}, {"target", "label"}}}, {"test", {{"csv", "test.csv"}, {"target", "label"}}}}},
      {"model", {{"class_name", "Sequential"},
                 {"config", {{"name", "mlp"},
                             {"layers", {{{"class_name", "Dense"}, {"config", {{"name", "hidden"}, {"units", 8}, {"batch_input_shape", {nullptr, 2}}}}},
                                         {{"class_name", "Dense"}, {"config", {{"name", "out"}, {"units", 1}, {"activation", "sigmoid"}}}}}}}}}},
      {"compile", {{"optimizer", "adam"}, {"loss", "binary_crossentropy"}}},
      {"fit", {{"batch_size", 16}}}};
  const auto run = io::parse_run_spec(spec, "run.json", dir.path());
  const auto ctx = doctor::build_check_context(run);
  const auto o = doctor::run_overview(ctx);

  const auto& t = o.at("data").at("train");
  EXPECT_EQ(t.at("rows"), 40);
  ASSERT_EQ(t.at("columns").size(), 2u);  // the features; the label is profiled apart
  EXPECT_EQ(t.at("columns")[1].at("missing"), 1);
  EXPECT_EQ(t.at("label").at("task"), "classification");
  EXPECT_EQ(o.at("data").at("test").at("rows"), 20);
  // Test rows 30..39 repeat training rows 30..39 exactly.
  EXPECT_EQ(o.at("data").at("overlap").at("test_rows_in_train"), 10);
  EXPECT_DOUBLE_EQ(o.at("data").at("overlap").at("share").get<double>(), 0.5);

  const auto& m = o.at("model");
  EXPECT_EQ(m.at("name"), "mlp");
  ASSERT_EQ(m.at("layers").size(), 2u);
  EXPECT_EQ(m.at("layers")[0].at("output_shape"), "(None, 8)");
  EXPECT_EQ(m.at("layers")[0].at("params"), 24);
  EXPECT_EQ(m.at("total_params"), 33);
  const auto& mem = m.at("memory");
  EXPECT_EQ(mem.at("optimizer_slots"), 2);  // Adam: two moments
  EXPECT_DOUBLE_EQ(mem.at("weight_bytes").get<double>(), (33 + 33 * 3) * 4.0);
  EXPECT_DOUBLE_EQ(mem.at("data_bytes").get<double>(), (40 * 3 + 20 * 3) * 4.0);
  EXPECT_GT(mem.at("available_bytes").get<double>(), 0.0);
}

}  // namespace
