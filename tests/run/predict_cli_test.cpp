// `fitcheck fit --out` then `fitcheck predict` through the binary: output file and exit statuses.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "support/cli_run.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

namespace fs = std::filesystem;
using fitcheck::test::run_fitcheck;

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(PredictCli, FitOutThenPredict) {
  fitcheck::test::TempDir dir;
  fs::copy(fitcheck::test::test_case_path("categorical_strings_auto_healthy"), dir.path() / "case",
           fs::copy_options::recursive);
  const std::string run = (dir.path() / "case" / "run.json").string();
  const std::string saved = (dir.path() / "saved").string();
  const std::string csv = (dir.path() / "case" / "train.csv").string();
  auto fit = run_fitcheck("fit " + run + " --out " + saved + " --epochs 2");
  ASSERT_EQ(fit.status, 0) << fit.out;

  const auto out = dir.path() / "p.csv";
  auto r = run_fitcheck("predict " + saved + " " + csv + " -o " + out.string());
  ASSERT_EQ(r.status, 0) << r.out;
  const auto lines = lines_of(out);
  ASSERT_EQ(lines.size(), lines_of(csv).size());
  EXPECT_EQ(lines.front(), "prediction,class");

  const auto missing = dir.write("missing.csv", "color,label\ngreen,1\n");
  r = run_fitcheck("predict " + saved + " " + missing.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("\"size\""), std::string::npos) << r.out;
  EXPECT_EQ(lines_of(out).size(), lines.size());  // the earlier output is untouched

  r = run_fitcheck("predict " + (dir.path() / "nowhere").string() + " " + csv + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("run.json"), std::string::npos) << r.out;
}

}  // namespace
