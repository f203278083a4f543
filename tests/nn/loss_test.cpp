#include "fitcheck/nn/losses/loss.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "fitcheck/core/error.hpp"
#include "gradient_check.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

Tensor make(Shape s, std::vector<float> v) { return Tensor(std::move(s), v); }

struct LossCase {
  std::string label;
  nlohmann::json spec;
  Tensor y_true;
  Tensor y_pred;
  bool logits = false;
};

std::vector<LossCase> cases() {
  const Tensor probs = make({3, 2}, {0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f});
  const Tensor binary = make({3, 2}, {0, 1, 1, 0, 1, 1});
  const Tensor onehot = make({3, 3}, {0, 1, 0, 1, 0, 0, 0, 0, 1});
  const Tensor dist = make({3, 3}, {0.2f, 0.5f, 0.3f, 0.6f, 0.3f, 0.1f, 0.1f, 0.2f, 0.7f});
  const Tensor unnormalized = make({3, 3}, {0.2f, 0.6f, 0.3f, 0.5f, 0.3f, 0.1f, 0.15f, 0.2f, 0.9f});
  const Tensor logits = make({3, 3}, {1.5f, -0.3f, 0.2f, -1.0f, 2.0f, 0.5f, 0.3f, 0.1f, -0.7f});
  const Tensor sparse = make({3}, {1, 0, 2});
  const Tensor regression_true = make({3, 2}, {1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 0.0f});
  const Tensor regression_pred = make({3, 2}, {1.4f, -1.1f, 2.0f, 2.5f, -0.7f, -1.6f});
  return {
      {"mse", "mse", regression_true, regression_pred},
      {"mae", "mean_absolute_error", regression_true, regression_pred},
      {"huber", "huber", regression_true, regression_pred},
      {"huber_delta", {{"class_name", "Huber"}, {"config", {{"delta", 0.5}}}}, regression_true, regression_pred},
      {"bce", "binary_crossentropy", binary, probs},
      {"bce_smoothing", {{"class_name", "BinaryCrossentropy"}, {"config", {{"label_smoothing", 0.1}}}}, binary, probs},
      {"bce_from_logits", {{"class_name", "BinaryCrossentropy"}, {"config", {{"from_logits", true}}}}, binary,
       make({3, 2}, {1.2f, -0.4f, 2.0f, -1.5f, 0.3f, 0.9f})},
      {"bce_logit_path", "binary_crossentropy", binary, make({3, 2}, {1.2f, -0.4f, 2.0f, -1.5f, 0.3f, 0.9f}), true},
      {"cce", "categorical_crossentropy", onehot, dist},
      {"cce_unnormalized", "categorical_crossentropy", onehot, unnormalized},
      {"cce_from_logits", {{"class_name", "CategoricalCrossentropy"}, {"config", {{"from_logits", true}}}}, onehot, logits},
      {"cce_logit_path_smoothing", {{"class_name", "CategoricalCrossentropy"}, {"config", {{"label_smoothing", 0.2}}}},
       onehot, logits, true},
      {"scce", "sparse_categorical_crossentropy", sparse, unnormalized},
      {"scce_from_logits", {{"class_name", "SparseCategoricalCrossentropy"}, {"config", {{"from_logits", true}}}}, sparse,
       logits},
      {"kld", "kl_divergence", dist, unnormalized},
      {"hinge", "hinge", binary, make({3, 2}, {0.3f, 0.8f, -0.5f, 2.0f, 1.4f, 0.2f})},
  };
}

class LossGradient : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossGradient, MatchesCentralDifferences) {
  const auto& c = GetParam();
  auto loss = make_loss(c.spec);
  const auto report = testing::check_loss_gradient(*loss, c.y_true, c.y_pred, c.logits);
  EXPECT_TRUE(report.ok) << c.label << ": " << report.message;
}

INSTANTIATE_TEST_SUITE_P(AllLosses, LossGradient, ::testing::ValuesIn(cases()),
                         [](const auto& test_info) { return test_info.param.label; });

TEST(Loss, BinaryCrossentropyClipsProbabilitiesAsKeras) {
  auto loss = make_loss("binary_crossentropy");
  // p = 0 with y = 1: Keras clips to 1e-7 → −log(1e-7) = 16.118.
  const double v = loss->compute(make({1, 1}, {1.0f}), make({1, 1}, {0.0f}), nullptr, nullptr);
  EXPECT_NEAR(v, -std::log(1e-7), 1e-4);
}

TEST(Loss, BinaryCrossentropyValue) {
  auto loss = make_loss("bce");
  const double v = loss->compute(make({2, 1}, {1, 0}), make({2, 1}, {0.8f, 0.3f}), nullptr, nullptr);
  EXPECT_NEAR(v, (-std::log(0.8) - std::log(0.7)) / 2.0, 1e-6);
}

TEST(Loss, SampleWeightsDivideByElementCountNotWeightSum) {
  auto loss = make_loss("mse");
  const float sw[] = {2.0f, 0.0f};
  const double v = loss->compute(make({2, 1}, {0, 0}), make({2, 1}, {1, 3}), sw, nullptr);
  EXPECT_NEAR(v, (2.0 * 1.0 + 0.0 * 9.0) / 2.0, 1e-9);
}

TEST(Loss, MseAcceptsRankOneLabelsAgainstOneUnit) {
  auto loss = make_loss("MeanSquaredError");
  EXPECT_NEAR(loss->compute(make({2}, {1, 2}), make({2, 1}, {1, 4}), nullptr, nullptr), 2.0, 1e-9);
}

TEST(Loss, SparseCategoricalCrossentropyRenormalizesLikeKeras) {
  auto loss = make_loss("sparse_categorical_crossentropy");
  const double v = loss->compute(make({1}, {1}), make({1, 2}, {0.2f, 0.6f}), nullptr, nullptr);
  EXPECT_NEAR(v, -std::log(0.6 / 0.8), 1e-6);
}

TEST(Loss, UnknownNameSuggestsTheClosest) {
  try {
    make_loss("binary_crosentropy", "run.json: compile.loss");
    FAIL() << "expected ConfigError";
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("run.json: compile.loss"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Did you mean \"binary_crossentropy\"?"));
  }
}

TEST(Loss, OneHotLabelsWithSparseLossGiveAShapeErrorWithTheFix) {
  auto loss = make_loss("sparse_categorical_crossentropy");
  try {
    loss->compute(make({2, 3}, {0, 1, 0, 1, 0, 0}), make({2, 3}, {0.2f, 0.5f, 0.3f, 0.3f, 0.3f, 0.4f}), nullptr, nullptr);
    FAIL() << "expected ShapeError";
  } catch (const core::ShapeError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("categorical_crossentropy"));
  }
}

TEST(Loss, SparseLabelOutOfRangeIsAnInputError) {
  auto loss = make_loss("sparse_categorical_crossentropy");
  EXPECT_THROW(loss->compute(make({1}, {3}), make({1, 3}, {0.2f, 0.5f, 0.3f}), nullptr, nullptr), core::InputError);
}

TEST(Loss, AliasesResolveToTheSameFunction) {
  for (const char* n : {"mse", "mean_squared_error", "MeanSquaredError"}) EXPECT_EQ(make_loss(n)->name(), "mean_squared_error");
  for (const char* n : {"kld", "KLD", "kl_divergence", "kullback_leibler_divergence"}) EXPECT_EQ(make_loss(n)->name(), "kl_divergence");
  EXPECT_EQ(make_loss(nlohmann::json{{"class_name", "CategoricalCrossentropy"}, {"config", {{"from_logits", true}}}})->name(),
            "categorical_crossentropy");
}

TEST(Loss, LogitPathEqualsProbabilityPathAwayFromClipping) {
  auto loss = make_loss("binary_crossentropy");
  const Tensor y = make({2, 1}, {1, 0});
  const Tensor z = make({2, 1}, {0.7f, -1.2f});
  Tensor p(z.shape());
  for (int i = 0; i < 2; ++i) p[i] = 1.0f / (1.0f + std::exp(-z[i]));
  EXPECT_NEAR(loss->compute_from_logits(y, z, nullptr, nullptr), loss->compute(y, p, nullptr, nullptr), 1e-6);
  EXPECT_TRUE(loss->uses_logits_of("sigmoid"));
  EXPECT_FALSE(make_loss(nlohmann::json{{"class_name", "BinaryCrossentropy"}, {"config", {{"from_logits", true}}}})
                   ->uses_logits_of("sigmoid"));
}

}  // namespace
}  // namespace fitcheck::nn
