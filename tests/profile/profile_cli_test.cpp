// `fitcheck profile` through the binary: JSON parsed back, text layout, exit statuses.
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_run.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::test::CliRun;

// stdout alone (the output under test), unless stderr is wanted too.
CliRun run_fitcheck(const std::string& args, bool with_stderr = false) {
  using fitcheck::test::Output;
  return fitcheck::test::run_fitcheck(args, with_stderr ? Output::StdoutAndStderr : Output::StdoutOnly);
}

constexpr const char* kCsv =
    "id,age,income,city,pixel,label\n"
    "1,34,52000.5,oslo,0,1\n"
    "2,,61000,lima,255,0\n"
    "3,51,48000.25,oslo,128,0\n"
    "4,29,inf,pune,17,0\n"
    "5,34,52000.5,oslo,0,1\n"
    "6,45,75000,lima,200,0\n";

TEST(ProfileCli, JsonIsStableAndComplete) {
  fitcheck::test::TempDir dir;
  const auto csv = dir.write("people.csv", kCsv);
  const CliRun r = run_fitcheck("profile " + csv.string() + " --target label --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["version"], "1");
  EXPECT_EQ(doc["rows"], 6);
  ASSERT_EQ(doc["columns"].size(), 6u);
  const auto& age = doc["columns"][1];
  EXPECT_EQ(age["name"], "age");
  EXPECT_EQ(age["source_dtype"], "int64");
  EXPECT_EQ(age["missing"], 1);
  EXPECT_EQ(age["count"], 5);
  EXPECT_DOUBLE_EQ(age["mean"].get<double>(), 38.6);
  EXPECT_EQ(age["quantiles"]["50%"], 34.0);
  const auto& income = doc["columns"][2];
  EXPECT_EQ(income["source_dtype"], "float64");
  EXPECT_EQ(income["non_finite"], 1);
  EXPECT_EQ(doc["columns"][3]["source_dtype"], "string");
  EXPECT_EQ(doc["columns"][3]["role"], "categorical");
  EXPECT_EQ(doc["columns"][3]["top"]["values"][0]["value"], "oslo");
  EXPECT_EQ(doc["columns"][3]["top"]["values"][0]["count"], 3);
  EXPECT_EQ(doc["columns"][3]["mean"], nullptr);
  EXPECT_EQ(doc["columns"][4]["role"], "pixel-like");
  EXPECT_EQ(doc["label"]["task"], "classification");
  EXPECT_EQ(doc["label"]["classes"][0]["value"], "0");
  EXPECT_EQ(doc["label"]["classes"][0]["count"], 4);
  EXPECT_DOUBLE_EQ(doc["label"]["imbalance_ratio"].get<double>(), 2.0);
  // Rows 0 and 4 differ only in "id": no duplicates.
  EXPECT_EQ(doc["duplicates"]["rows"], 0);
  for (const char* key : {"source", "notes", "duplicates", "label", "columns"}) EXPECT_TRUE(doc.contains(key)) << key;
}

TEST(ProfileCli, TextFitsAHundredColumnsWithoutColourOnAPipe) {
  const auto csv = fitcheck::test::example_data_path("breast_cancer.csv");
  const CliRun r = run_fitcheck("profile " + csv.string() + " --target benign");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  std::size_t start = 0, widest = 0;
  while (start < r.out.size()) {
    const std::size_t end = std::min(r.out.find('\n', start), r.out.size());
    widest = std::max(widest, end - start);
    start = end + 1;
  }
  EXPECT_LE(widest, 100u);
  EXPECT_NE(r.out.find("569 rows x 31 columns"), std::string::npos);
  EXPECT_NE(r.out.find("Target \"benign\": classification"), std::string::npos);
  EXPECT_NE(r.out.find("imbalance ratio 1.68"), std::string::npos);
}

TEST(ProfileCli, DuplicatesAreReported) {
  fitcheck::test::TempDir dir;
  const auto csv = dir.write("d.csv", "a,b\n1,x\n2,y\n1,x\n1,x\n");
  const auto doc = nlohmann::json::parse(run_fitcheck("profile " + csv.string() + " --format json").out);
  EXPECT_EQ(doc["duplicates"]["rows"], 2);
  EXPECT_EQ(doc["duplicates"]["examples"][0], nlohmann::json::array({0, 2}));
}

TEST(ProfileCli, UnknownTargetExitsTwoWithASuggestion) {
  fitcheck::test::TempDir dir;
  const auto csv = dir.write("people.csv", kCsv);
  const CliRun r = run_fitcheck("profile " + csv.string() + " --target lable", true);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("Did you mean \"label\"?"), std::string::npos) << r.out;
}

TEST(ProfileCli, UnusableInputExitsTwo) {
  EXPECT_EQ(run_fitcheck("profile /nonexistent/file.csv").status, 2);
  fitcheck::test::TempDir dir;
  const auto csv = dir.write("people.csv", kCsv);
  const CliRun r = run_fitcheck("profile " + csv.string() + " --max-memory lots", true);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("--max-memory"), std::string::npos) << r.out;
  const auto ragged = dir.write("ragged.csv", "a,b\n1,2\n3\n");
  EXPECT_EQ(run_fitcheck("profile " + ragged.string()).status, 2);
}

TEST(ProfileCli, MaxMemoryGivesTheSameProfile) {
  fitcheck::test::TempDir dir;
  std::string text = "x,y,z\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(i % 97) + "," + std::to_string(i * 0.5) + ",k" + std::to_string(i % 7) + "\n";
  const auto csv = dir.write("big.csv", text);
  const auto a = nlohmann::json::parse(run_fitcheck("profile " + csv.string() + " --format json").out);
  const CliRun capped = run_fitcheck("profile " + csv.string() + " --format json --max-memory 64M");
  ASSERT_EQ(capped.status, 0);
  const auto b = nlohmann::json::parse(capped.out);
  EXPECT_EQ(a["rows"], 20000);
  EXPECT_EQ(a["rows"], b["rows"]);
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(a["columns"][c]["mean"], b["columns"][c]["mean"]);
    EXPECT_EQ(a["columns"][c]["distinct"], b["columns"][c]["distinct"]);
  }
  EXPECT_EQ(run_fitcheck("profile " + csv.string() + " --max-memory 1M").status, 2);
}

// A uint8 .npy written byte by byte (format 1.0): the source dtype survives into the profile.
TEST(ProfileCli, NpyKeepsItsSourceDtype) {
  fitcheck::test::TempDir dir;
  std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4, 2), }";
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string file = "\x93NUMPY";
  file += '\x01';
  file += '\x00';
  file += static_cast<char>(header.size() & 0xFF);
  file += static_cast<char>(header.size() >> 8);
  file += header;
  for (unsigned char v : {0, 10, 255, 10, 128, 10, 3, 10}) file += static_cast<char>(v);
  const auto npy = dir.write("images.npy", file);
  const CliRun r = run_fitcheck("profile " + npy.string() + " --format json", true);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["rows"], 4);
  ASSERT_EQ(doc["columns"].size(), 2u);
  EXPECT_EQ(doc["columns"][0]["source_dtype"], "uint8");
  EXPECT_EQ(doc["columns"][0]["role"], "pixel-like");
  EXPECT_EQ(doc["columns"][1]["role"], "constant");
}

}  // namespace
