// A model fitcheck cannot analyse (a branching Functional model) does not stop the data checks.
#include <gtest/gtest.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace fitcheck;

TEST(ModelCoverage, BranchingModelStillGetsItsDataChecked) {
  test::TempDir dir;
  std::string csv = "a,b,colour,label\n";
  for (int i = 0; i < 40; ++i) csv += std::to_string(i) + ".5,1.0," + (i % 2 ? "red" : "blue") + "," + std::to_string(i % 2) + "\n";
  dir.write("train.csv", csv);
  auto model = nlohmann::json::parse(R"({"class_name": "Functional", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, 3], "name": "in"}, "inbound_nodes": []},
      {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Add", "name": "sum", "config": {"name": "sum"}, "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]}],
      "input_layers": [["in", 0, 0]], "output_layers": [["sum", 0, 0]]}})");
  nlohmann::json doc = {{"data", {{"train", {{"csv", "train.csv"}, {"target", "label"}}}}},
                        {"model", model},
                        {"compile", {{"optimizer", "adam"}, {"loss", "binary_crossentropy"}}}};
  auto run = io::parse_run_spec(doc, "run.json", dir.path());
  auto ctx = doctor::build_check_context(run);
  EXPECT_FALSE(ctx.model.has_value());
  EXPECT_FALSE(ctx.model_error.empty());
  bool unencoded = false, coverage = false;
  for (const auto& f : doctor::run_checks(ctx)) {
    unencoded = unencoded || f.category == "data.categorical_unencoded";
    coverage = coverage || (f.code == "FC-M200" && f.severity == doctor::Severity::Info);
  }
  EXPECT_TRUE(unencoded);
  EXPECT_TRUE(coverage);
}

}  // namespace
