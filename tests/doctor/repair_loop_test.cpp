// doctor --fix end to end on the development cases: every broken case whose model the engine
// can train is repaired into a run that beats the constant-prediction baseline, RUN.fixed.json is
// written beside the run file, and the learning-rate range test proposes a usable rate.
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/doctor/diagnosis.hpp"
#include "fitcheck/doctor/repair_loop.hpp"
#include "fitcheck/doctor/training/lr_finder.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/run_file.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;

// Cases whose data carry no signal a model could learn (random pixels and labels: a fixed run
// cannot beat chance honestly), or whose model the engine cannot train yet (Conv2D, LSTM).
const std::set<std::string> kNotProvable = {"conv2d_into_lstm", "flat_vs_image_input"};

std::filesystem::path copy_case(const test::TempDir& dir, const std::string& name) {
  const auto to = dir.path() / name;
  std::filesystem::copy(test::test_case_path(name), to, std::filesystem::copy_options::recursive);
  return to / "run.json";
}

TEST(RepairLoop, EveryRepairableDevelopmentCaseIsProven) {
  int repaired = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::test_case_path(""))) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    const auto expect = io::read_json_file(entry.path() / "expect.json");
    if (expect.value("healthy", false) || kNotProvable.count(name)) continue;
    test::TempDir dir;
    const auto path = copy_case(dir, name);
    const auto run = io::load_run_file(path);
    const auto first = doctor::diagnose(run);
    const auto rounds = doctor::repair_and_retrain(run, first);
    ASSERT_FALSE(rounds.empty()) << name << ": nothing repaired";
    EXPECT_TRUE(rounds.back().proven) << name << ": the last round is not proven";
    EXPECT_TRUE(std::filesystem::exists(doctor::fixed_run_path(path))) << name;
    // The fixed run file is a valid run file on its own.
    EXPECT_NO_THROW((void)io::load_run_file(doctor::fixed_run_path(path))) << name;
    ++repaired;
  }
  EXPECT_GE(repaired, 11);
}

TEST(RepairLoop, HealthyCaseHasNothingToRepair) {
  test::TempDir dir;
  const auto path = copy_case(dir, "scaled_regression_healthy");
  const auto run = io::load_run_file(path);
  const auto rounds = doctor::repair_and_retrain(run, doctor::diagnose(run));
  EXPECT_TRUE(rounds.empty());
  EXPECT_FALSE(std::filesystem::exists(doctor::fixed_run_path(path)));
}

TEST(RepairLoop, FixedPathSitsBesideTheRun) {
  EXPECT_EQ(doctor::fixed_run_path("/a/b/run.json"), std::filesystem::path("/a/b/run.fixed.json"));
  EXPECT_EQ(doctor::fixed_run_path("/a/b/run.fixed.json"), std::filesystem::path("/a/b/run.fixed.json"));
}

TEST(LrFinder, ProposesARateOnTheFallingSide) {
  const auto run = io::load_run_file(test::test_case_path("adam_lr_10/run.json"));
  const auto r = doctor::find_learning_rate(run);
  ASSERT_TRUE(r.proposed) << r.note;
  ASSERT_TRUE(r.lowest_at);
  EXPECT_LT(*r.proposed, *r.lowest_at);
  EXPECT_GE(*r.proposed, 1e-3 / 30.0);
  EXPECT_LE(*r.proposed, 1e-3 * 30.0);
  EXPECT_EQ(r.learning_rates.size(), r.losses.size());
  EXPECT_GE(r.losses.size(), 10u);
  // The rates grow exponentially from 1e-6.
  EXPECT_NEAR(r.learning_rates.front(), 1e-6, 1e-12);
  EXPECT_GT(r.learning_rates[1] / r.learning_rates[0], 1.1);
}

TEST(LrFinder, DiagnosisPutsTheProposalIntoTheRepair) {
  const auto run = io::load_run_file(test::test_case_path("adam_lr_10/run.json"));
  const auto d = doctor::diagnose(run);
  ASSERT_TRUE(d.lr_finder);
  ASSERT_TRUE(d.lr_finder->proposed);
  bool found = false;
  for (const auto& f : d.findings) {
    if (f.category != "config.learning_rate" || !f.repair) continue;
    EXPECT_DOUBLE_EQ((*f.repair)["compile"]["optimizer"]["config"]["learning_rate"].get<double>(), *d.lr_finder->proposed);
    found = true;
  }
  EXPECT_TRUE(found);
}

}  // namespace
