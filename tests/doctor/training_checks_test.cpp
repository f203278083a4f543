// The training monitors on networks broken on purpose: each named pathology makes its check fire,
// and healthy runs of the same shape stay silent (nothing above info).
#include <cmath>
#include <fstream>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/core/tensor.hpp"
#include "fitcheck/doctor/diagnosis.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/io/run_file.hpp"
#include "fitcheck/nn/losses/loss.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

struct Data {
  core::Tensor x, y;
};

// Two Gaussian blobs in `features` dimensions, standardized; `minority` is class 1's share.
Data blobs(std::int64_t n, std::int64_t features, double minority = 0.5, std::uint32_t seed = 1) {
  core::Rng rng(seed);
  Data d{core::Tensor(core::Shape{n, features}), core::Tensor(core::Shape{n, 1})};
  for (std::int64_t i = 0; i < n; ++i) {
    const bool one = rng.random_sample() < minority;
    d.y.data()[i] = one ? 1.0f : 0.0f;
    for (std::int64_t j = 0; j < features; ++j) {
      d.x.data()[i * features + j] = static_cast<float>(rng.standard_normal() + (one ? 1.0 : -1.0) * (j < 3 ? 1.0 : 0.0));
    }
  }
  return d;
}

// y = x·w + noise, standardized features and target.
Data regression(std::int64_t n, std::int64_t features, std::uint32_t seed = 2) {
  core::Rng rng(seed);
  Data d{core::Tensor(core::Shape{n, features}), core::Tensor(core::Shape{n, 1})};
  for (std::int64_t i = 0; i < n; ++i) {
    double t = 0.0;
    for (std::int64_t j = 0; j < features; ++j) {
      const double v = rng.standard_normal();
      d.x.data()[i * features + j] = static_cast<float>(v);
      t += v * (j % 2 == 0 ? 0.5 : -0.3);
    }
    d.y.data()[i] = static_cast<float>(t + 0.1 * rng.standard_normal());
  }
  return d;
}

json dense(int units, const std::string& activation, json extra = json::object()) {
  json config = {{"units", units}, {"activation", activation}};
  config.update(extra);
  return {{"class_name", "Dense"}, {"config", config}};
}

json model(std::int64_t features, json layers) {
  json all = json::array({{{"class_name", "InputLayer"}, {"config", {{"batch_shape", {nullptr, features}}}}}});
  for (auto& l : layers) all.push_back(l);
  return {{"class_name", "Sequential"}, {"config", {{"name", "probe_test"}, {"layers", all}}}};
}

doctor::Diagnosis diagnose(const Data& d, json model_json, json compile, json fit,
                           const doctor::DiagnosisOptions& options = {}) {
  test::TempDir dir;
  io::write_npy(dir.path() / "x.npy", d.x);
  io::write_npy(dir.path() / "y.npy", d.y);
  json doc = {{"data", {{"train", {{"x", "x.npy"}, {"y", "y.npy"}}}}},
              {"model", std::move(model_json)},
              {"compile", std::move(compile)},
              {"fit", std::move(fit)}};
  auto run = io::parse_run_spec(doc, "run.json", dir.path());
  return doctor::diagnose(run, options);
}

std::set<std::string> reported(const doctor::Diagnosis& d) {
  std::set<std::string> out;
  for (const auto& f : d.findings) {
    if (f.severity != doctor::Severity::Info) out.insert(f.category);
  }
  return out;
}

std::string dump(const doctor::Diagnosis& d) {
  std::string s;
  for (const auto& f : d.findings) s += std::string(doctor::severity_name(f.severity)) + " " + f.category + ": " + f.title + "\n";
  return s;
}

json adam(double lr = 1e-3) { return {{"class_name", "Adam"}, {"config", {{"learning_rate", lr}}}}; }

TEST(TrainingChecks, HealthyClassifierIsSilent) {
  const auto d = diagnose(blobs(600, 8), model(8, {dense(16, "relu"), dense(1, "sigmoid")}),
                          {{"optimizer", adam()}, {"loss", "binary_crossentropy"}, {"metrics", {"accuracy"}}},
                          {{"epochs", 15}, {"batch_size", 32}, {"validation_split", 0.2}, {"seed", 3}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).empty()) << dump(d);
  EXPECT_GT(d.probe->signals.steps, 100);
}

TEST(TrainingChecks, HealthyRegressionIsSilent) {
  const auto d = diagnose(regression(500, 6), model(6, {dense(32, "relu"), dense(16, "tanh"), dense(1, "linear")}),
                          {{"optimizer", adam()}, {"loss", "mse"}},
                          {{"epochs", 20}, {"batch_size", 32}, {"validation_split", 0.2}, {"seed", 4}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).empty()) << dump(d);
}

TEST(TrainingChecks, LearningRateTenDiverges) {
  const auto d = diagnose(regression(400, 6), model(6, {dense(32, "relu"), dense(1, "linear")}),
                          {{"optimizer", {{"class_name", "SGD"}, {"config", {{"learning_rate", 10.0}}}}}, {"loss", "mse"}},
                          {{"epochs", 5}, {"batch_size", 32}, {"seed", 5}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("train.divergence")) << dump(d);
  EXPECT_TRUE(d.probe->signals.non_finite.has_value());
}

TEST(TrainingChecks, TwelveSigmoidLayersVanish) {
  json layers = json::array();
  for (int i = 0; i < 12; ++i) layers.push_back(dense(16, "sigmoid"));
  layers.push_back(dense(1, "sigmoid"));
  const auto d = diagnose(blobs(400, 8), model(8, layers),
                          {{"optimizer", {{"class_name", "SGD"}, {"config", {{"learning_rate", 0.01}}}}},
                           {"loss", "binary_crossentropy"}},
                          {{"epochs", 5}, {"batch_size", 32}, {"seed", 6}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("train.vanishing_gradient")) << dump(d);
}

TEST(TrainingChecks, NegativeReluBiasesDie) {
  const json bias = {{"bias_initializer", {{"class_name", "Constant"}, {"config", {{"value", -5.0}}}}}};
  const auto d = diagnose(blobs(400, 8), model(8, {dense(32, "relu", bias), dense(32, "relu", bias), dense(1, "sigmoid")}),
                          {{"optimizer", adam()}, {"loss", "binary_crossentropy"}},
                          {{"epochs", 5}, {"batch_size", 32}, {"seed", 7}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  const auto r = reported(d);
  EXPECT_TRUE(r.count("train.dying_relu")) << dump(d);
  EXPECT_TRUE(r.count("train.unchanged_weights")) << dump(d);
}

TEST(TrainingChecks, OnePercentMinorityCollapses) {
  // Features that say little about the rare class: the cheapest loss is the majority class.
  auto data = blobs(2000, 8, 0.01, 8);
  core::Rng rng(14);
  for (std::int64_t i = 0; i < data.x.size(); ++i) data.x.data()[i] = static_cast<float>(rng.standard_normal());
  const auto d = diagnose(data, model(8, {dense(16, "relu"), dense(1, "sigmoid")}),
                          {{"optimizer", adam()}, {"loss", "binary_crossentropy"}},
                          {{"epochs", 5}, {"batch_size", 32}, {"seed", 9}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("train.majority_collapse")) << dump(d);
}

TEST(TrainingChecks, EightySamplesWideLayersOverfit) {
  // Pure-noise labels: nothing generalises, and 80 rows are easy to memorise.
  auto data = blobs(100, 20, 0.5, 10);
  core::Rng rng(11);
  for (std::int64_t i = 0; i < 100; ++i) data.y.data()[i] = rng.random_sample() < 0.5 ? 1.0f : 0.0f;
  const auto d = diagnose(data, model(20, {dense(256, "relu"), dense(256, "relu"), dense(1, "sigmoid")}),
                          {{"optimizer", adam()}, {"loss", "binary_crossentropy"}},
                          {{"epochs", 60}, {"batch_size", 16}, {"validation_split", 0.2}, {"seed", 12}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("train.overfitting")) << dump(d);
}

TEST(TrainingChecks, TinyLearningRatePlateaus) {
  const auto d = diagnose(regression(400, 6), model(6, {dense(16, "relu"), dense(1, "linear")}),
                          {{"optimizer", {{"class_name", "SGD"}, {"config", {{"learning_rate", 1e-7}}}}}, {"loss", "mse"}},
                          {{"epochs", 5}, {"batch_size", 32}, {"seed", 13}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("train.loss_plateau")) << dump(d);
}

// SGD at a hundredth of its default on standardized wine (tests/cases_more): the probe's loss
// starts below the majority-class loss by chance and falls 2.6%, at a pace that would need many
// times the run to learn — a plateau judged by the pace, not by the start. At the default rate
// the same run learns and nothing is said.
TEST(TrainingChecks, AFarTooSlowFallIsAPlateau) {
  const auto dir = test::test_case_path("../cases_more/plateau_sgd_rate_too_small");
  auto doc = json::parse(std::ifstream(dir / "run.json"));
  const auto slow = doctor::diagnose(io::parse_run_spec(doc, "run.json", dir), {});
  ASSERT_TRUE(slow.probe) << slow.probe_skipped;
  EXPECT_TRUE(reported(slow).count("train.loss_plateau")) << dump(slow);
  doc["compile"]["optimizer"]["config"]["learning_rate"] = 0.01;
  const auto normal = doctor::diagnose(io::parse_run_spec(doc, "run.json", dir), {});
  ASSERT_TRUE(normal.probe) << normal.probe_skipped;
  EXPECT_FALSE(reported(normal).count("train.loss_plateau")) << dump(normal);
}

// The losses the engine took later train a probe with their task, and a healthy run with each
// of them is silent: log_cosh, huber, mape and msle on a regression; poisson on counts through a
// softplus output; the focal BCE on 0/1 labels; hinge and squared hinge on -1/1 labels.
TEST(TrainingChecks, HealthyRunsWithEveryNewLossAreSilent) {
  struct Run {
    json loss;
    std::string output;
    std::string task;
  };
  auto reg = regression(500, 6);
  Data positive = reg, counts = reg, signed_labels = blobs(600, 8);
  for (std::int64_t i = 0; i < 500; ++i) {
    positive.y.data()[i] = reg.y.data()[i] + 4.0f;  // mape and msle want targets away from 0 / above 0
    counts.y.data()[i] = std::floor(std::exp(0.5f * reg.y.data()[i]) + 0.5f);
  }
  for (auto& v : signed_labels.y.values()) v = 2.0f * v - 1.0f;
  const std::vector<std::pair<Run, const Data*>> runs = {
      {{"log_cosh", "linear", "regression"}, &reg},
      {{"huber", "linear", "regression"}, &reg},
      {{"mape", "linear", "regression"}, &positive},
      {{"msle", "linear", "regression"}, &positive},
      {{"poisson", "softplus", "regression"}, &counts},
      {{"binary_focal_crossentropy", "sigmoid", "binary classification"}, nullptr},
      {{"hinge", "tanh", "binary classification"}, &signed_labels},
      {{"squared_hinge", "linear", "binary classification"}, &signed_labels},
  };
  const auto classes = blobs(600, 8);
  for (const auto& [r, data] : runs) {
    SCOPED_TRACE(r.loss.dump());
    const Data& d = data ? *data : classes;
    const auto features = d.x.dim(1);
    const auto diagnosis = diagnose(d, model(features, {dense(32, "relu"), dense(1, r.output)}),
                                    {{"optimizer", adam(3e-3)}, {"loss", r.loss}},
                                    {{"epochs", 20}, {"batch_size", 32}, {"validation_split", 0.2}, {"seed", 4}});
    ASSERT_TRUE(diagnosis.probe) << diagnosis.probe_skipped;
    EXPECT_EQ(doctor::task_name(diagnosis.probe->task), r.task);
    EXPECT_TRUE(reported(diagnosis).empty()) << dump(diagnosis);
    // Half the way from the constant prediction down to a perfect fit (whose Poisson loss is not 0).
    const auto& b = diagnosis.probe->baseline;
    ASSERT_TRUE(b.loss.has_value());
    EXPECT_LT(diagnosis.probe->signals.step_loss.back() - b.floor, 0.5 * (*b.loss - b.floor));
    EXPECT_EQ(b.floor != 0.0, r.loss == "poisson");
    if (r.task != "regression") {
      ASSERT_TRUE(diagnosis.probe->final_accuracy.has_value());
      EXPECT_GT(*diagnosis.probe->final_accuracy, 0.85);  // hinge outputs are read by their sign
    }
  }
}

// The constant-prediction baseline of a loss without a closed form is the best constant under
// the loss's own formula: checked against a scan of constants.
TEST(TrainingChecks, BaselineIsTheBestConstantOfTheRunsLoss) {
  auto data = regression(300, 4);
  for (const char* loss : {"log_cosh", "huber", "mape"}) {
    SCOPED_TRACE(loss);
    if (std::string(loss) == "mape") {
      for (auto& v : data.y.values()) v += 5.0f;  // MAPE's weights 1/|y| stay moderate
    }
    const auto d = diagnose(data, model(4, {dense(1, "linear")}), {{"optimizer", adam()}, {"loss", loss}},
                            {{"epochs", 1}, {"seed", 1}});
    ASSERT_TRUE(d.probe && d.probe->baseline.loss);
    EXPECT_EQ(d.probe->baseline.kind, "best constant");
    const auto l = nn::make_loss(loss);
    double best = INFINITY;
    core::Tensor pred(data.y.shape());
    for (double c = -3.0; c <= 9.0; c += 0.001) {
      for (auto& v : pred.values()) v = static_cast<float>(c);
      best = std::min(best, l->compute(data.y, pred, nullptr, nullptr));
    }
    EXPECT_NEAR(*d.probe->baseline.loss, best, 1e-4 * best);
  }
  // Poisson: the best constant is the mean count, and the floor is the loss of the counts themselves.
  Data counts = data;
  double mean = 0.0;
  for (std::int64_t i = 0; i < 300; ++i) mean += counts.y.data()[i] = static_cast<float>(i % 7);
  mean /= 300.0;
  const auto d = diagnose(counts, model(4, {dense(1, "softplus")}), {{"optimizer", adam()}, {"loss", "poisson"}},
                          {{"epochs", 1}, {"seed", 1}});
  ASSERT_TRUE(d.probe && d.probe->baseline.loss);
  double at_mean = 0.0, floor = 0.0;
  for (std::int64_t i = 0; i < 300; ++i) {
    const double y = counts.y.data()[i];
    at_mean += mean - y * std::log(mean + 1e-7);
    floor += y - y * std::log(y + 1e-7);
  }
  EXPECT_NEAR(*d.probe->baseline.loss, at_mean / 300.0, 1e-5);
  EXPECT_NEAR(d.probe->baseline.floor, floor / 300.0, 1e-5);
  // Hinge on 75 % positive -1/1 labels: the best constant is +1, whose loss is 2 x 25 %.
  Data signed_labels = blobs(400, 4);
  std::int64_t negatives = 0;
  for (std::int64_t i = 0; i < 400; ++i) {
    signed_labels.y.data()[i] = i % 4 == 0 ? -1.0f : 1.0f;
    negatives += i % 4 == 0;
  }
  const auto h = diagnose(signed_labels, model(4, {dense(1, "linear")}), {{"optimizer", adam()}, {"loss", "hinge"}},
                          {{"epochs", 1}, {"seed", 1}});
  ASSERT_TRUE(h.probe && h.probe->baseline.loss);
  EXPECT_NEAR(*h.probe->baseline.loss, 2.0 * static_cast<double>(negatives) / 400.0, 1e-6);
}

// A training problem is now found for a log_cosh run: at a learning rate of 1e-7 it plateaus.
TEST(TrainingChecks, TinyLearningRatePlateausUnderLogCosh) {
  const auto d = diagnose(regression(400, 6), model(6, {dense(16, "relu"), dense(1, "linear")}),
                          {{"optimizer", {{"class_name", "SGD"}, {"config", {{"learning_rate", 1e-7}}}}}, {"loss", "log_cosh"}},
                          {{"epochs", 5}, {"batch_size", 32}, {"seed", 13}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("train.loss_plateau")) << dump(d);
}

TEST(TrainingChecks, ProbeSeriesAreInTheJson) {
  const auto d = diagnose(blobs(200, 4), model(4, {dense(8, "relu"), dense(1, "sigmoid")}),
                          {{"optimizer", adam()}, {"loss", "binary_crossentropy"}}, {{"epochs", 2}, {"seed", 1}});
  ASSERT_TRUE(d.probe);
  const auto j = d.probe->to_json();
  EXPECT_EQ(j["step_loss"].size(), static_cast<std::size_t>(d.probe->signals.steps));
  EXPECT_EQ(j["history"]["loss"].size(), 2u);
  EXPECT_EQ(j["layers"][0]["grad_rms"].size(), static_cast<std::size_t>(d.probe->signals.steps));
  EXPECT_EQ(j["baseline"]["kind"], "majority class");
  EXPECT_NEAR(j["baseline"]["loss"].get<double>(), std::log(2.0), 0.05);
}

}  // namespace

// A run that cannot fit in memory (model.memory at error) is not trained: the probe would only
// fail allocating (std::bad_alloc ended the whole doctor with "out of memory" before). The same
// run with the memory it needs is trained.
TEST(TrainingChecks, NoProbeWhenTrainingNeedsMoreMemoryThanTheMachineHas) {
  const auto data = blobs(200, 8);
  const json m = model(8, {dense(16, "relu"), dense(1, "sigmoid")});
  const json compile = {{"optimizer", adam()}, {"loss", "binary_crossentropy"}};
  const json fit = {{"epochs", 2}, {"batch_size", 32}, {"seed", 3}};
  doctor::DiagnosisOptions small;
  small.memory_bytes = 4096;  // below the float32 data alone
  const auto d = diagnose(data, m, compile, fit, small);
  EXPECT_FALSE(d.probe);
  EXPECT_THAT(d.probe_skipped, testing::HasSubstr("FC-M206"));
  EXPECT_TRUE(reported(d).count("model.memory")) << dump(d);
  doctor::DiagnosisOptions enough;
  enough.memory_bytes = std::uint64_t{1} << 30;
  const auto ok = diagnose(data, m, compile, fit, enough);
  EXPECT_TRUE(ok.probe) << ok.probe_skipped;
  EXPECT_FALSE(reported(ok).count("model.memory")) << dump(ok);
}

// NaN labels make the loss NaN at the first batch holding one: the divergence is their
// consequence (info under data.missing_labels), not a learning-rate problem to repair.
TEST(TrainingChecks, NaNLabelsAreTheRootOfTheNaNLoss) {
  auto data = blobs(400, 6);
  for (std::int64_t i = 0; i < 400; i += 37) data.y.data()[i] = std::nanf("");
  const json m = model(6, {dense(16, "relu"), dense(1, "sigmoid")});
  const json compile = {{"optimizer", adam()}, {"loss", "binary_crossentropy"}};
  const auto d = diagnose(data, m, compile, {{"epochs", 3}, {"batch_size", 32}, {"seed", 3}});
  ASSERT_TRUE(d.probe) << d.probe_skipped;
  EXPECT_TRUE(reported(d).count("data.missing_labels")) << dump(d);
  EXPECT_FALSE(reported(d).count("train.divergence")) << dump(d);
  bool noted = false;
  for (const auto& f : d.findings) noted = noted || (f.category == "train.divergence" && f.severity == doctor::Severity::Info);
  EXPECT_TRUE(noted) << dump(d);
  // The same run with its labels intact does not diverge at all.
  const auto clean = diagnose(blobs(400, 6), m, compile, {{"epochs", 3}, {"batch_size", 32}, {"seed", 3}});
  EXPECT_TRUE(reported(clean).empty()) << dump(clean);
}

namespace {
// Powers of one standardized variable as features (t, t^2, t^3) beside three plain ones; the
// target standardized. t^3's heavy tail gives the batches holding the largest |t| (a sample of
// 1000 normals reaches about 3.3; three such rows are placed) a curvature far above the rest.
Data power_features(std::int64_t n, double target_scale, std::uint32_t seed = 4) {
  core::Rng rng(seed);
  Data d{core::Tensor(core::Shape{n, 6}), core::Tensor(core::Shape{n, 1})};
  for (std::int64_t i = 0; i < n; ++i) {
    double t = rng.standard_normal();
    if (i == n / 10) t = 3.4;
    if (i == n / 2) t = -3.3;
    if (i == 9 * n / 10) t = 3.2;
    const double z = rng.standard_normal();
    const float row[6] = {static_cast<float>(t), static_cast<float>(t * t), static_cast<float>(t * t * t),
                          static_cast<float>(z), static_cast<float>(rng.standard_normal()),
                          static_cast<float>(rng.standard_normal())};
    for (int j = 0; j < 6; ++j) d.x.data()[i * 6 + j] = row[j];
    d.y.data()[i] = static_cast<float>(target_scale * (std::sin(t) + 0.5 * z + 0.1 * rng.standard_normal()));
  }
  return d;
}
const doctor::Finding* finding(const doctor::Diagnosis& d, const std::string& category) {
  for (const auto& f : d.findings) {
    if (f.category == category) return &f;
  }
  return nullptr;
}
}  // namespace

// Linear regression on power features with SGD and momentum: the gradient norm bursts by orders
// of magnitude — a warning of its own. With the target in the hundreds of thousands (unscaled)
// gradient growth is what the target's scale does to any run: info under data.unscaled_features.
TEST(TrainingChecks, ExplodingGradientIsItsOwnWarningUnlessTheDataExplainsIt) {
  const json sgd = {{"class_name", "SGD"}, {"config", {{"learning_rate", 0.015}, {"momentum", 0.9}}}};
  const json fit = {{"epochs", 20}, {"batch_size", 32}, {"seed", 1}};
  const auto scaled = diagnose(power_features(1000, 1.0), model(6, {dense(1, "linear")}), {{"optimizer", sgd}, {"loss", "mse"}}, fit);
  ASSERT_TRUE(scaled.probe) << scaled.probe_skipped;
  EXPECT_TRUE(reported(scaled).count("train.exploding_gradient")) << dump(scaled);

  // Sale prices in dollars from standardized features: Adam's weights grow towards the target's
  // scale and the gradient grows with them.
  auto houses = regression(1000, 8);
  for (std::int64_t i = 0; i < 1000; ++i) houses.y.data()[i] = 320000.0f + 90000.0f * houses.y.data()[i];
  const auto prices = diagnose(houses, model(8, {dense(64, "relu"), dense(32, "relu"), dense(1, "linear")}),
                               {{"optimizer", adam()}, {"loss", "mse"}},
                               {{"epochs", 20}, {"batch_size", 32}, {"validation_split", 0.2}, {"seed", 15}});
  ASSERT_TRUE(prices.probe) << prices.probe_skipped;
  EXPECT_TRUE(reported(prices).count("data.unscaled_features")) << dump(prices);
  EXPECT_FALSE(reported(prices).count("train.exploding_gradient")) << dump(prices);
  const auto* symptom = finding(prices, "train.exploding_gradient");
  ASSERT_NE(symptom, nullptr) << dump(prices);
  EXPECT_EQ(symptom->caused_by, finding(prices, "data.unscaled_features")->code);
}

