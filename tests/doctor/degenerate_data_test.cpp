// Data that leaves nothing to train on is a diagnosis, not the end of the run: the context is
// built, and the checks name what is missing.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/core/error.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck {
namespace {

std::set<std::string> errors_of(const std::string& csv, const std::string& fit, const std::string& preprocess = "\"auto\"") {
  test::TempDir dir;
  dir.write("train.csv", csv);
  dir.write("run.json", R"({"data": {"train": {"csv": "train.csv", "target": "y"}}, "preprocess": )" + preprocess +
                            R"(, "model": {"class_name": "Sequential", "config": {"layers": [
                               {"class_name": "Dense", "config": {"name": "out", "units": 1, "activation": "sigmoid"}}]}},
                               "compile": {"optimizer": "adam", "loss": "binary_crossentropy"}, "fit": )" + fit + "}");
  auto run = io::load_run_file(dir.path() / "run.json");
  auto ctx = doctor::build_check_context(run);
  std::set<std::string> out;
  for (const auto& f : doctor::run_checks(ctx)) {
    if (f.severity != doctor::Severity::Info) out.insert(f.category);
  }
  return out;
}

TEST(DegenerateData, NoTrainingRowLeftByTheValidationSplit) {
  EXPECT_TRUE(errors_of("a,b,y\n1,2,1\n", R"({"validation_split": 0.2})").count("data.too_few_samples"));
  EXPECT_TRUE(errors_of("a,b,y\n", R"({"epochs": 1})").count("data.too_few_samples"));
}

TEST(DegenerateData, OnlyTheTargetColumn) {
  const auto found = errors_of("y\n1\n0\n1\n0\n1\n0\n", R"({"epochs": 1})");
  EXPECT_TRUE(found.count("data.shape_mismatch"));
  EXPECT_FALSE(found.count("data.duplicate_rows"));
}

TEST(DegenerateData, OtherPipelineErrorsStillStopTheRun) {
  // A step naming a column the data does not have is the run file's mistake: an InputError.
  EXPECT_THROW(errors_of("a,b,y\n1,2,1\n3,4,0\n5,6,1\n", R"({"epochs": 1})",
                         R"([{"columns": ["nope"], "steps": [{"scale": "standard"}]}])"),
               core::InputError);
}

}  // namespace
}  // namespace fitcheck
