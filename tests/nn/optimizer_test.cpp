// First steps of each optimizer against values computed here, in double, from the update rules of
// shared/reference/keras.md §3.2 (written out independently of the implementation).
#include "fitcheck/nn/optimizers/optimizer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

// Runs the optimizer on a scalar variable w0 with the gradient sequence gs; returns w after each step.
std::vector<double> run(Optimizer& opt, double w0, std::vector<double> gs) {
  Tensor w(Shape{1}, static_cast<float>(w0)), g(Shape{1});
  std::vector<double> out;
  for (double gv : gs) {
    g[0] = static_cast<float>(gv);
    opt.apply({{&w, &g}});
    out.push_back(w[0]);
  }
  return out;
}

constexpr double kTol = 2e-6;

TEST(Optimizer, SgdPlain) {
  auto opt = make_sgd({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  EXPECT_NEAR(w[0], 1.0 - 0.1 * 0.5, kTol);
  EXPECT_NEAR(w[1], 1.0 - 0.1 * 0.5 - 0.1 * 0.25, kTol);
}

TEST(Optimizer, SgdMomentumCarriesTheLearningRateInTheVelocity) {
  auto opt = make_sgd({.learning_rate = 0.1}, {.momentum = 0.9});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  const double m1 = -0.1 * 0.5, m2 = 0.9 * m1 - 0.1 * 0.25;
  EXPECT_NEAR(w[0], 1.0 + m1, kTol);
  EXPECT_NEAR(w[1], 1.0 + m1 + m2, kTol);
}

TEST(Optimizer, SgdNesterov) {
  auto opt = make_sgd({.learning_rate = 0.1}, {.momentum = 0.9, .nesterov = true});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  const double m1 = -0.05, w1 = 1.0 + 0.9 * m1 - 0.05;
  const double m2 = 0.9 * m1 - 0.025, w2 = w1 + 0.9 * m2 - 0.025;
  EXPECT_NEAR(w[0], w1, kTol);
  EXPECT_NEAR(w[1], w2, kTol);
}

double adam_step(double& w, double& m, double& v, double g, int t, double lr, double b1 = 0.9, double b2 = 0.999,
                 double eps = 1e-7) {
  m += (g - m) * (1 - b1);
  v += (g * g - v) * (1 - b2);
  const double alpha = lr * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
  w -= m * alpha / (std::sqrt(v) + eps);
  return w;
}

TEST(Optimizer, AdamEpsilonOutsideTheSquareRootOfUncorrectedV) {
  auto opt = make_adam({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5, -0.25, 0.1});
  double ew = 1.0, m = 0.0, v = 0.0;
  for (int t = 1; t <= 3; ++t) {
    adam_step(ew, m, v, std::vector<double>{0.5, -0.25, 0.1}[t - 1], t, 0.1);
    EXPECT_NEAR(w[t - 1], ew, kTol) << "step " << t;
  }
}

TEST(Optimizer, AdamAmsgradKeepsTheMaximumSecondMoment) {
  auto opt = make_adam({.learning_rate = 0.1}, {.amsgrad = true});
  const auto w = run(*opt, 1.0, {0.5, 0.0});
  double ew = 1.0, m = 0.0, v = 0.0;
  adam_step(ew, m, v, 0.5, 1, 0.1);
  EXPECT_NEAR(w[0], ew, kTol);
  const double vmax = v;
  m += (0.0 - m) * 0.1;
  v += (0.0 - v) * 0.001;
  const double alpha = 0.1 * std::sqrt(1 - std::pow(0.999, 2)) / (1 - std::pow(0.9, 2));
  ew -= m * alpha / (std::sqrt(std::max(vmax, v)) + 1e-7);
  EXPECT_NEAR(w[1], ew, kTol);
}

TEST(Optimizer, AdamWDecaysWeightsBeforeTheAdamStep) {
  auto opt = make_adamw({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5});
  double ew = 1.0 - 1.0 * 0.004 * 0.1, m = 0.0, v = 0.0;
  adam_step(ew, m, v, 0.5, 1, 0.1);
  EXPECT_NEAR(w[0], ew, kTol);
}

TEST(Optimizer, RmspropEpsilonInsideTheSquareRoot) {
  auto opt = make_rmsprop({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  const double v1 = 0.1 * 0.25, w1 = 1.0 - 0.1 * 0.5 / std::sqrt(v1 + 1e-7);
  const double v2 = 0.9 * v1 + 0.1 * 0.0625, w2 = w1 - 0.1 * 0.25 / std::sqrt(v2 + 1e-7);
  EXPECT_NEAR(w[0], w1, kTol);
  EXPECT_NEAR(w[1], w2, kTol);
}

TEST(Optimizer, RmspropCenteredWithMomentum) {
  auto opt = make_rmsprop({.learning_rate = 0.1}, {.rho = 0.9, .momentum = 0.5, .epsilon = 1e-7, .centered = true});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  double v = 0, a = 0, m = 0, ew = 1.0;
  for (int t = 0; t < 2; ++t) {
    const double g = t == 0 ? 0.5 : 0.25;
    v = 0.9 * v + 0.1 * g * g;
    a = 0.9 * a + 0.1 * g;
    m = 0.5 * m + 0.1 * g / std::sqrt(v - a * a + 1e-7);
    ew -= m;
    EXPECT_NEAR(w[t], ew, 1e-5) << "step " << t;
  }
}

TEST(Optimizer, AdagradStartsTheAccumulatorAtPointOne) {
  auto opt = make_adagrad({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  const double acc1 = 0.1 + 0.25, w1 = 1.0 - 0.1 * 0.5 / std::sqrt(acc1 + 1e-7);
  const double acc2 = acc1 + 0.0625, w2 = w1 - 0.1 * 0.25 / std::sqrt(acc2 + 1e-7);
  EXPECT_NEAR(w[0], w1, kTol);
  EXPECT_NEAR(w[1], w2, kTol);
}

TEST(Optimizer, Adamax) {
  auto opt = make_adamax({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5, -0.25});
  double m = 0, u = 0, ew = 1.0;
  for (int t = 1; t <= 2; ++t) {
    const double g = t == 1 ? 0.5 : -0.25;
    m += (g - m) * 0.1;
    u = std::max(0.999 * u, std::fabs(g));
    ew -= 0.1 * m / ((1 - std::pow(0.9, t)) * (u + 1e-7));
    EXPECT_NEAR(w[t - 1], ew, kTol) << "step " << t;
  }
}

TEST(Optimizer, NadamMomentumSchedule) {
  auto opt = make_nadam({.learning_rate = 0.1});
  const auto w = run(*opt, 1.0, {0.5, 0.25});
  double m = 0, v = 0, ew = 1.0, prod = 1.0;
  for (int t = 1; t <= 2; ++t) {
    const double g = t == 1 ? 0.5 : 0.25;
    const double mu_t = 0.9 * (1 - 0.5 * std::pow(0.96, t)), mu_next = 0.9 * (1 - 0.5 * std::pow(0.96, t + 1));
    prod *= mu_t;
    m += (g - m) * 0.1;
    v += (g * g - v) * 0.001;
    const double m_hat = mu_next * m / (1 - prod * mu_next) + (1 - mu_t) * g / (1 - prod);
    const double v_hat = v / (1 - std::pow(0.999, t));
    ew -= 0.1 * m_hat / (std::sqrt(v_hat) + 1e-7);
    EXPECT_NEAR(w[t - 1], ew, kTol) << "step " << t;
  }
}

TEST(Optimizer, ClipnormScalesEachTensorToTheNorm) {
  auto opt = make_sgd({.learning_rate = 1.0, .clipnorm = 1.0});
  Tensor w(Shape{2}), g(Shape{2}, std::vector<float>{3, 4});
  opt->apply({{&w, &g}});
  EXPECT_NEAR(w[0], -0.6, 1e-6);
  EXPECT_NEAR(w[1], -0.8, 1e-6);
}

TEST(Optimizer, ClipvalueClipsElementwise) {
  auto opt = make_sgd({.learning_rate = 1.0, .clipvalue = 0.5});
  Tensor w(Shape{2}), g(Shape{2}, std::vector<float>{3, -0.2f});
  opt->apply({{&w, &g}});
  EXPECT_NEAR(w[0], -0.5, 1e-6);
  EXPECT_NEAR(w[1], 0.2, 1e-6);
}

TEST(Optimizer, GlobalClipnormUsesTheNormOverAllTensors) {
  auto opt = make_sgd({.learning_rate = 1.0, .global_clipnorm = 1.0});
  Tensor w1(Shape{1}), w2(Shape{1}), g1(Shape{1}, 3.0f), g2(Shape{1}, 4.0f);
  opt->apply({{&w1, &g1}, {&w2, &g2}});
  EXPECT_NEAR(w1[0], -0.6, 1e-6);
  EXPECT_NEAR(w2[0], -0.8, 1e-6);
}

TEST(Optimizer, OnlyOneClippingOption) {
  EXPECT_THROW(make_sgd({.clipnorm = 1.0, .clipvalue = 1.0}), core::ConfigError);
}

TEST(Optimizer, KerasDefaultsByName) {
  EXPECT_DOUBLE_EQ(make_optimizer("sgd")->learning_rate(), 0.01);
  EXPECT_DOUBLE_EQ(make_optimizer("adam")->learning_rate(), 0.001);
  EXPECT_DOUBLE_EQ(make_optimizer("RMSprop")->learning_rate(), 0.001);
  auto adam = make_optimizer(nlohmann::json::parse(
      R"({"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.0010000000474974513, "beta_1": 0.8999999761581421, "amsgrad": false}})"));
  EXPECT_EQ(adam->class_name(), "Adam");
  EXPECT_EQ(make_optimizer(nlohmann::json{{"class_name", "Custom>Adam"}, {"config", nlohmann::json::object()}})->class_name(),
            "Adam");
  EXPECT_EQ(make_optimizer(nlohmann::json{{"class_name", "AdamW"}, {"config", nlohmann::json::object()}})->get_config()["config"]["weight_decay"],
            0.004);
}

TEST(Optimizer, UnknownNameSuggests) {
  try {
    make_optimizer("adma", "run.json: compile.optimizer");
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Did you mean \"Adam\"?"));
  }
}

TEST(Schedule, ExponentialCosinePiecewise) {
  EXPECT_NEAR(ExponentialDecay(0.1, 10, 0.5)(5), 0.1 * std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(ExponentialDecay(0.1, 10, 0.5, true)(5), 0.1, 1e-12);
  EXPECT_NEAR(CosineDecay(0.1, 10)(5), 0.05, 1e-12);
  EXPECT_NEAR(CosineDecay(0.1, 10, 0.1)(20), 0.01, 1e-12);
  PiecewiseConstantDecay p({10, 20}, {1.0, 0.5, 0.1});
  EXPECT_EQ(p(10), 1.0);
  EXPECT_EQ(p(11), 0.5);
  EXPECT_EQ(p(21), 0.1);
}

TEST(Schedule, OptimizerUsesTheScheduleAtItsIteration) {
  auto opt = make_optimizer(nlohmann::json::parse(
      R"({"class_name": "SGD", "config": {"learning_rate": {"class_name": "PiecewiseConstantDecay", "config": {"boundaries": [0], "values": [1.0, 0.5]}}}})"));
  const auto w = run(*opt, 0.0, {1.0, 1.0});
  EXPECT_NEAR(w[0], -1.0, 1e-6);  // step 0 ≤ boundary 0
  EXPECT_NEAR(w[1], -1.5, 1e-6);
}

}  // namespace
}  // namespace fitcheck::nn
