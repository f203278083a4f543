// `fitcheck doctor` through the binary on runs compiled with the losses the engine took later
// (log_cosh, poisson): the training probe runs — before, the engine refused the loss, the probe
// was skipped and no training problem could be diagnosed — and a broken Poisson run is diagnosed
// both statically and by its training.
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_run.hpp"
#include "support/temp_dir.hpp"

namespace {

using fitcheck::test::run_fitcheck;
using nlohmann::json;

// 200 rows of two features; `target` gives the label of each row.
std::string csv_of(const std::function<double(double, double, int)>& target) {
  std::string csv = "x1,x2,y\n";
  for (int i = 0; i < 200; ++i) {
    const double x1 = std::sin(0.37 * i) * 1.5, x2 = std::cos(0.11 * i + 0.5);
    csv += fmt::format("{:.5f},{:.5f},{:.5f}\n", x1, x2, target(x1, x2, i));
  }
  return csv;
}

std::string run_json(const json& loss, const std::string& output_activation, double learning_rate) {
  const json layers = json::array(
      {{{"class_name", "InputLayer"}, {"config", {{"name", "in"}, {"batch_shape", {nullptr, 2}}}}},
       {{"class_name", "Dense"}, {"config", {{"name", "hidden"}, {"units", 16}, {"activation", "relu"}}}},
       {{"class_name", "Dense"}, {"config", {{"name", "out"}, {"units", 1}, {"activation", output_activation}}}}});
  return json{{"data", {{"train", {{"csv", "train.csv"}, {"target", "y"}}}}},
              {"model", {{"class_name", "Sequential"}, {"config", {{"name", "m"}, {"layers", layers}}}}},
              {"compile", {{"optimizer", {{"class_name", "Adam"}, {"config", {{"learning_rate", learning_rate}}}}},
                           {"loss", loss}}},
              {"fit", {{"epochs", 20}, {"batch_size", 16}, {"validation_split", 0.2}, {"seed", 1}}}}
      .dump(1);
}

json doctor_json(const fitcheck::test::TempDir& dir, const std::string& run) {
  dir.write("run.json", run);
  const auto r = run_fitcheck("doctor " + (dir.path() / "run.json").string() + " --format json");
  EXPECT_LE(r.status, 1) << r.out;
  return json::parse(r.out.substr(r.out.find('{')));
}

std::set<std::string> reported(const json& doc) {
  std::set<std::string> out;
  for (const auto& f : doc["findings"]) {
    if (f["severity"] != "info") out.insert(f["category"].get<std::string>());
  }
  return out;
}

TEST(DoctorLossesCli, LogCoshTrainsTheProbe) {
  fitcheck::test::TempDir dir;
  dir.write("train.csv", csv_of([](double x1, double x2, int) { return 2.0 * x1 - x2 + 0.5; }));
  const auto doc = doctor_json(dir, run_json("log_cosh", "linear", 0.01));
  ASSERT_TRUE(doc.contains("probe")) << doc.dump(1);
  const auto& probe = doc["probe"];
  ASSERT_FALSE(probe.contains("skipped")) << probe["skipped"];
  EXPECT_EQ(probe["loss"], "log_cosh");
  EXPECT_EQ(probe["task"], "regression");
  ASSERT_GT(probe["steps"].get<int>(), 0);
  const auto& losses = probe["step_loss"];
  EXPECT_LT(losses.back().get<double>(), 0.5 * losses.front().get<double>()) << "the probe should learn";
  EXPECT_FALSE(probe.contains("non_finite"));
  EXPECT_EQ(reported(doc).count("train.divergence"), 0u);
  EXPECT_EQ(reported(doc).count("model.output_activation_loss"), 0u);

  // Its class name and Keras 3's function reference train the same way.
  for (const json& spelling : {json("LogCosh"), json{{"module", "keras.losses"}, {"class_name", "function"},
                                                      {"config", "log_cosh"}, {"registered_name", "log_cosh"}}}) {
    const auto again = doctor_json(dir, run_json(spelling, "linear", 0.01));
    EXPECT_FALSE(again["probe"].contains("skipped")) << spelling.dump();
    EXPECT_EQ(again["probe"]["loss"], "log_cosh") << spelling.dump();
  }
}

TEST(DoctorLossesCli, PoissonOnALinearOutputIsDiagnosedStaticallyAndInTraining) {
  fitcheck::test::TempDir dir;
  // Counts with a log-linear rate.
  dir.write("train.csv", csv_of([](double x1, double x2, int i) {
    return std::floor(std::exp(0.6 * x1 + 0.3 * x2) + 0.5 * ((i * 7) % 3));
  }));
  const auto broken = doctor_json(dir, run_json("poisson", "linear", 0.01));
  ASSERT_FALSE(broken["probe"].contains("skipped")) << broken["probe"]["skipped"];
  EXPECT_EQ(broken["probe"]["loss"], "poisson");
  const auto cats = reported(broken);
  EXPECT_TRUE(cats.count("model.output_activation_loss")) << broken.dump(1);
  // The probe itself meets the NaN: log of a negative rate.
  EXPECT_TRUE(broken["probe"].contains("non_finite")) << broken["probe"].dump(1);
  EXPECT_TRUE(cats.count("train.divergence")) << broken.dump(1);
  // ... and names the output/loss mismatch as its root, without a learning-rate repair.
  std::string static_code;
  for (const auto& f : broken["findings"]) {
    if (f["category"] == "model.output_activation_loss") static_code = f["code"];
  }
  for (const auto& f : broken["findings"]) {
    if (f["category"] != "train.divergence") continue;
    EXPECT_EQ(f.value("caused_by", ""), static_code) << f.dump(1);
    EXPECT_FALSE(f.contains("repair")) << f.dump(1);
  }

  // doctor --fix applies the softplus repair; the fixed run beats the best constant rate, measured
  // above the Poisson loss of a perfect fit.
  const auto r = run_fitcheck("doctor " + (dir.path() / "run.json").string() + " --fix --format json");
  ASSERT_LE(r.status, 1) << r.out;
  const auto repaired = json::parse(r.out.substr(r.out.find('{')));
  ASSERT_TRUE(repaired.contains("repair")) << repaired.dump(1);
  EXPECT_EQ(repaired["repair"]["proven"], true) << repaired["repair"].dump(1);
  EXPECT_EQ(repaired["repair"]["rounds"][0]["applied"], json::array({static_code})) << repaired["repair"].dump(1);

  // With the repair's softplus output the same data trains without NaN and without the finding.
  const auto fixed = doctor_json(dir, run_json("Poisson", "softplus", 0.01));
  EXPECT_LT(fixed["probe"]["baseline"]["floor"].get<double>(), fixed["probe"]["baseline"]["loss"].get<double>());
  EXPECT_EQ(fixed["probe"]["loss"], "poisson");
  EXPECT_FALSE(fixed["probe"].contains("non_finite")) << fixed["probe"]["non_finite"];
  EXPECT_EQ(reported(fixed).count("model.output_activation_loss"), 0u);
  EXPECT_EQ(reported(fixed).count("train.divergence"), 0u);
}

}  // namespace
