// Every development case (tests/cases, a copy of the shared cases) through the static doctor:
// each expected category is reported at warning or error, no must_not category is, and the
// healthy cases get nothing above info. The static checks must already find the cases whose
// problem is visible before training (all of them but the training-only categories).
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/context.hpp"
#include "fitcheck/doctor/diagnosis.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;

bool training_only(const std::string& category) { return category.rfind("train.", 0) == 0; }

TEST(DevelopmentCases, StaticDoctorFindsTheExpectedCategories) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::test_case_path(""))) {
    if (!entry.is_directory()) continue;
    const auto expect = io::read_json_file(entry.path() / "expect.json");
    auto run = io::load_run_file(entry.path() / "run.json");
    auto ctx = doctor::build_check_context(run);
    auto findings = doctor::run_checks(ctx);
    std::set<std::string> reported;
    for (const auto& f : findings) {
      if (f.severity != doctor::Severity::Info) reported.insert(f.category);
    }
    const std::string name = entry.path().filename().string();
    for (const auto& want : expect["categories"]) {
      if (want.is_array()) {
        bool any = false, only_training = true;
        for (const auto& alt : want) {
          any = any || reported.count(alt.get<std::string>());
          only_training = only_training && training_only(alt.get<std::string>());
        }
        if (!only_training) {
          EXPECT_TRUE(any) << name << ": none of " << want.dump();
        }
      } else if (!training_only(want.get<std::string>())) {
        EXPECT_TRUE(reported.count(want.get<std::string>())) << name << ": missing " << want.get<std::string>();
      }
    }
    for (const auto& bad : expect["must_not"]) {
      EXPECT_FALSE(reported.count(bad.get<std::string>())) << name << ": must not report " << bad.get<std::string>();
    }
    if (expect.value("healthy", false)) {
      std::string all;
      for (const auto& c : reported) all += c + " ";
      EXPECT_TRUE(reported.empty()) << name << " is healthy but got: " << all;
    }
    ++cases;
  }
  EXPECT_GE(cases, 18);
}

// The full doctor (static checks, probe, training checks) as design.md evaluates it: every
// expected category (or one of a list of alternatives) at warning or error, no must_not
// category, nothing above info on a healthy case.
TEST(DevelopmentCases, DoctorPassesEveryCase) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::test_case_path(""))) {
    if (!entry.is_directory()) continue;
    const auto expect = io::read_json_file(entry.path() / "expect.json");
    auto run = io::load_run_file(entry.path() / "run.json");
    const auto d = doctor::diagnose(run);
    std::set<std::string> reported;
    std::string all;
    for (const auto& f : d.findings) {
      if (f.severity == doctor::Severity::Info) continue;
      reported.insert(f.category);
      all += f.category + " (" + f.title + ")\n";
    }
    const std::string name = entry.path().filename().string();
    for (const auto& want : expect["categories"]) {
      bool any = false;
      for (const auto& alt : want.is_array() ? want : nlohmann::json::array({want})) {
        any = any || reported.count(alt.get<std::string>());
      }
      EXPECT_TRUE(any) << name << ": missing " << want.dump() << "; got:\n" << all;
    }
    for (const auto& bad : expect["must_not"]) {
      EXPECT_FALSE(reported.count(bad.get<std::string>())) << name << ": must not report " << bad.get<std::string>();
    }
    if (expect.value("healthy", false)) {
      EXPECT_TRUE(reported.empty()) << name << " is healthy but got:\n" << all;
    }
    ++cases;
  }
  EXPECT_GE(cases, 18);
}

}  // namespace
