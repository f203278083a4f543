// Every registered static check on every development case (tests/cases), through the same
// context the CLI builds: healthy cases get nothing above info, and the categories of the checks
// in this file's list appear at warning or above exactly where a case expects them.
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
namespace fs = std::filesystem;

// The categories whose checks live in checks/ next to this test's subjects (the static data,
// model and configuration checks of FC-D109..D117, FC-M204..M206, FC-C302..C303).
const std::set<std::string> kScoped = {
    "data.high_cardinality", "data.constant_feature", "data.duplicate_rows",   "data.leakage_target",
    "data.leakage_preprocessing", "data.too_few_samples", "data.outliers",      "model.vanishing_prone",
    "model.capacity",        "model.memory",          "config.batch_size",      "config.metric_mismatch"};

// Every category named in expect.json's "categories" (alternatives included).
std::set<std::string> expected_categories(const nlohmann::json& expect) {
  std::set<std::string> out;
  for (const auto& c : expect.value("categories", nlohmann::json::array())) {
    if (c.is_string()) out.insert(c.get<std::string>());
    if (c.is_array()) {
      for (const auto& alt : c) out.insert(alt.get<std::string>());
    }
  }
  return out;
}

TEST(ScopedChecksOnCases, FireExactlyWhereExpected) {
  const fs::path root = test::test_case_path("");
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory() || !fs::exists(entry.path() / "expect.json")) continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    ++cases;
    const auto expect = io::read_json_file(entry.path() / "expect.json");
    const auto run = io::load_run_file(entry.path() / "run.json");
    auto ctx = doctor::build_check_context(run);
    ctx.memory_bytes = std::uint64_t{16} << 30;  // a fixed machine, so the result does not depend on the host
    const auto findings = doctor::run_checks(ctx);
    std::set<std::string> reported;
    for (const auto& f : findings) {
      if (f.severity == doctor::Severity::Info) continue;
      reported.insert(f.category);
      if (expect.value("healthy", false)) ADD_FAILURE() << "healthy case reports " << f.category << ": " << f.title;
    }
    const auto expected = expected_categories(expect);
    for (const auto& c : kScoped) {
      if (expected.count(c)) EXPECT_TRUE(reported.count(c)) << "expected " << c;
      else EXPECT_FALSE(reported.count(c)) << "unexpected " << c;
    }
  }
  EXPECT_GT(cases, 0);
}

}  // namespace
