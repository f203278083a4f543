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

std::vector<LossCase> loss_cases() {
  const Tensor probs = make({3, 2}, {0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f});
  const Tensor binary = make({3, 2}, {0, 1, 1, 0, 1, 1});
  const Tensor onehot = make({3, 3}, {0, 1, 0, 1, 0, 0, 0, 0, 1});
  const Tensor dist = make({3, 3}, {0.2f, 0.5f, 0.3f, 0.6f, 0.3f, 0.1f, 0.1f, 0.2f, 0.7f});
  const Tensor unnormalized = make({3, 3}, {0.2f, 0.6f, 0.3f, 0.5f, 0.3f, 0.1f, 0.15f, 0.2f, 0.9f});
  const Tensor logits = make({3, 3}, {1.5f, -0.3f, 0.2f, -1.0f, 2.0f, 0.5f, 0.3f, 0.1f, -0.7f});
  const Tensor sparse = make({3}, {1, 0, 2});
  const Tensor regression_true = make({3, 2}, {1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 0.0f});
  const Tensor regression_pred = make({3, 2}, {1.4f, -1.1f, 2.0f, 2.5f, -0.7f, -1.6f});
  const Tensor counts = make({3, 2}, {0, 2, 1, 5, 3, 0});
  const Tensor rates = make({3, 2}, {0.4f, 1.5f, 1.2f, 3.0f, 2.2f, 0.3f});
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
      {"log_cosh", "log_cosh", regression_true, regression_pred},
      {"poisson", "poisson", counts, rates},
      {"mape", "mape", make({3, 2}, {1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 0.8f}), regression_pred},
      {"msle", "msle", counts, rates},
      {"msle_negative_prediction", "msle", counts, make({3, 2}, {0.4f, -0.6f, 1.2f, 2.0f, -0.3f, 0.9f})},
      {"squared_hinge", "squared_hinge", binary, make({3, 2}, {0.3f, 0.8f, -0.5f, 2.0f, 1.4f, 0.2f})},
      {"categorical_hinge", "categorical_hinge", onehot, make({3, 3}, {0.2f, 0.9f, -0.4f, 0.3f, 1.9f, 0.5f, 0.7f, -0.6f, 2.4f})},
      {"cosine_similarity", "cosine_similarity", regression_true, regression_pred},
      {"cosine_similarity_3", "CosineSimilarity", logits, dist},
      {"bfce", "binary_focal_crossentropy", binary, probs},
      {"bfce_balanced_gamma3",
       {{"class_name", "BinaryFocalCrossentropy"}, {"config", {{"apply_class_balancing", true}, {"alpha", 0.3}, {"gamma", 3.0}}}},
       binary, probs},
      {"bfce_smoothing", {{"class_name", "BinaryFocalCrossentropy"}, {"config", {{"label_smoothing", 0.1}}}}, binary, probs},
      {"bfce_from_logits", {{"class_name", "BinaryFocalCrossentropy"}, {"config", {{"from_logits", true}}}}, binary,
       make({3, 2}, {1.2f, -0.4f, 2.0f, -1.5f, 0.3f, 0.9f})},
      {"bfce_logit_path", "binary_focal_crossentropy", binary, make({3, 2}, {1.2f, -0.4f, 2.0f, -1.5f, 0.3f, 0.9f}), true},
      {"cfce", "categorical_focal_crossentropy", onehot, dist},
      {"cfce_unnormalized", "categorical_focal_crossentropy", onehot, unnormalized},
      {"cfce_from_logits_alpha_list",
       {{"class_name", "CategoricalFocalCrossentropy"},
        {"config", {{"from_logits", true}, {"alpha", {0.2, 0.5, 0.3}}, {"gamma", 1.5}, {"label_smoothing", 0.1}}}},
       onehot, logits},
      {"gce", "categorical_generalized_cross_entropy", sparse, dist},
      {"gce_q", {{"class_name", "CategoricalGeneralizedCrossEntropy"}, {"config", {{"q", 0.2}}}}, sparse, unnormalized},
      {"dice", "dice", binary, probs},
      {"dice_per_sample", {{"class_name", "Dice"}, {"config", {{"axis", {1}}}}}, binary, probs},
      {"tversky", {{"class_name", "Tversky"}, {"config", {{"alpha", 0.7}, {"beta", 0.3}}}}, binary, probs},
  };
}

class LossGradient : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossGradient, MatchesCentralDifferences) {
  const auto& c = GetParam();
  auto loss = make_loss(c.spec);
  const auto report = testing::check_loss_gradient(*loss, c.y_true, c.y_pred, c.logits);
  EXPECT_TRUE(report.ok) << c.label << ": " << report.message;
}

INSTANTIATE_TEST_SUITE_P(AllLosses, LossGradient, ::testing::ValuesIn(loss_cases()),
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

TEST(Loss, ReductionsAsKeras) {
  using nlohmann::json;
  const Tensor y = make({3, 1}, {0, 0, 0}), p = make({3, 1}, {1, 2, 3});
  const float sw[] = {1.0f, 0.5f, 0.0f};
  auto with = [](const char* loss, json reduction) {
    return make_loss({{"class_name", loss}, {"config", {{"reduction", reduction}}}});
  };
  // Weighted squared errors 1, 2, 0: sum 3; over 3 values 1; over Σsw = 1.5, 2.
  for (const char* r : {"sum_over_batch_size", "auto", "mean"}) {
    EXPECT_NEAR(with("MeanSquaredError", r)->compute(y, p, sw, nullptr), 1.0, 1e-9) << r;
  }
  auto sum = with("MeanSquaredError", "sum");
  auto mws = with("MeanSquaredError", "mean_with_sample_weight");
  EXPECT_NEAR(sum->compute(y, p, sw, nullptr), 3.0, 1e-9);
  EXPECT_NEAR(mws->compute(y, p, sw, nullptr), 2.0, 1e-9);
  EXPECT_NEAR(mws->compute(y, p, nullptr, nullptr), 14.0 / 3.0, 1e-9);  // without weights: the mean
  EXPECT_EQ(sum->get_config()["reduction"], "sum");
  // The gradient follows the same division: d/dp of Σ w·p² is 2·w·p.
  Tensor g;
  sum->compute(y, p, sw, &g);
  EXPECT_NEAR(g[0], 2.0, 1e-6);
  EXPECT_NEAR(g[1], 2.0, 1e-6);
  EXPECT_NEAR(g[2], 0.0, 1e-6);
  const auto report = testing::check_loss_gradient(*mws, make({2, 2}, {0.5f, -1, 2, 0}), make({2, 2}, {1, 0.3f, -0.4f, 1.2f}));
  EXPECT_TRUE(report.ok) << report.message;
  // A batch-level Dice under "sum" is its value times Σsw (Keras broadcasts the scalar first).
  const Tensor m = make({2, 2}, {1, 0, 1, 1}), q = make({2, 2}, {0.8f, 0.1f, 0.6f, 0.9f});
  const float w2[] = {1.0f, 3.0f};
  const double dice = make_loss("dice")->compute(m, q, nullptr, nullptr);
  EXPECT_NEAR(with("Dice", "sum")->compute(m, q, w2, nullptr), 4.0 * dice, 1e-6);
  EXPECT_NEAR(with("Dice", "mean_with_sample_weight")->compute(m, q, w2, nullptr), dice, 1e-6);
  EXPECT_NEAR(with("Dice", "sum")->compute(m, q, nullptr, nullptr), dice, 1e-6);
  EXPECT_THROW(with("MeanSquaredError", nullptr), core::ConfigError);
  EXPECT_THROW(with("MeanSquaredError", "none"), core::ConfigError);
}

TEST(Loss, KerasLossesTheEngineLacksAreNamedAsSuch) {
  for (const char* n : {"ctc", "CTC", "Circle"}) {
    try {
      make_loss(n);
      FAIL() << "expected ConfigError for " << n;
    } catch (const core::ConfigError& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr("not implemented by fitcheck")) << n;
    }
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

// Values from the examples in Keras 3's documentation of each loss (keras/src/losses/losses.py).
TEST(KerasExamples, LogCosh) {
  EXPECT_NEAR(make_loss("log_cosh")->compute(make({2, 2}, {0, 1, 0, 0}), make({2, 2}, {1, 1, 0, 0}), nullptr, nullptr),
              0.108, 5e-4);
}

TEST(KerasExamples, BinaryFocalCrossentropy) {
  auto focal = [](double gamma, bool balancing) {
    return make_loss({{"class_name", "BinaryFocalCrossentropy"},
                      {"config", {{"gamma", gamma}, {"from_logits", true}, {"apply_class_balancing", balancing}}}});
  };
  const Tensor y1 = make({1, 4}, {0, 1, 0, 0}), z1 = make({1, 4}, {-18.6f, 0.51f, 2.94f, -12.8f});
  EXPECT_NEAR(focal(2, false)->compute(y1, z1, nullptr, nullptr), 0.691, 5e-4);
  EXPECT_NEAR(focal(2, true)->compute(y1, z1, nullptr, nullptr), 0.51, 5e-3);
  const Tensor y2 = make({2, 2}, {0, 1, 0, 0}), z2 = make({2, 2}, {-18.6f, 0.51f, 2.94f, -12.8f});
  EXPECT_NEAR(focal(3, false)->compute(y2, z2, nullptr, nullptr), 0.647, 5e-4);
  EXPECT_NEAR(focal(3, true)->compute(y2, z2, nullptr, nullptr), 0.482, 5e-4);
  const float sw[] = {0.8f, 0.2f};
  EXPECT_NEAR(focal(3, false)->compute(y2, z2, sw, nullptr), 0.133, 5e-4);
  EXPECT_NEAR(focal(3, true)->compute(y2, z2, sw, nullptr), 0.097, 5e-4);
  // The function on probabilities: per-sample values [0.330, 0.206].
  auto probs = make_loss({{"class_name", "BinaryFocalCrossentropy"}, {"config", {{"gamma", 2.0}}}});
  EXPECT_NEAR(probs->compute(make({1, 2}, {0, 1}), make({1, 2}, {0.6f, 0.4f}), nullptr, nullptr), 0.330, 5e-4);
  EXPECT_NEAR(probs->compute(make({1, 2}, {0, 0}), make({1, 2}, {0.4f, 0.6f}), nullptr, nullptr), 0.206, 5e-4);
}

TEST(KerasExamples, CategoricalFocalCrossentropy) {
  auto loss = make_loss("CategoricalFocalCrossentropy");
  const Tensor y = make({2, 3}, {0, 1, 0, 0, 0, 1}), p = make({2, 3}, {0.05f, 0.95f, 0.0f, 0.1f, 0.8f, 0.1f});
  EXPECT_NEAR(loss->compute(y, p, nullptr, nullptr), 0.23315276, 1e-6);
  const float sw[] = {0.3f, 0.7f};
  EXPECT_NEAR(loss->compute(y, p, sw, nullptr), 0.1632, 5e-5);
  EXPECT_NEAR(loss->compute(make({1, 3}, {0, 1, 0}), make({1, 3}, {0.05f, 0.9f, 0.05f}), nullptr, nullptr), 2.63401289e-04, 1e-8);
  EXPECT_NEAR(loss->compute(make({1, 3}, {0, 0, 1}), make({1, 3}, {0.1f, 0.85f, 0.05f}), nullptr, nullptr), 0.675912094, 1e-6);
}

TEST(KerasExamples, CosineSimilarity) {
  auto loss = make_loss("cosine_similarity");
  const Tensor y = make({3, 2}, {0, 1, 1, 1, 1, 1}), p = make({3, 2}, {1, 0, 1, 1, -1, -1});
  EXPECT_NEAR(loss->compute(y.slice_rows(1, 2), p.slice_rows(1, 2), nullptr, nullptr), -1.0, 1e-6);
  EXPECT_NEAR(loss->compute(y.slice_rows(2, 3), p.slice_rows(2, 3), nullptr, nullptr), 1.0, 1e-6);
  EXPECT_NEAR(loss->compute(y, p, nullptr, nullptr), 0.0, 1e-6);
}

TEST(KerasExamples, DiceOverTheBatchOrPerSample) {
  const Tensor y = make({2, 2, 2, 1}, {1, 1, 0, 0, 1, 1, 0, 0});
  const Tensor p = make({2, 2, 2, 1}, {0, 1, 0, 1, 0.4f, 0, 0, 0.9f});
  EXPECT_NEAR(make_loss("dice")->compute(y, p, nullptr, nullptr), 0.6164384, 1e-6);
  auto per_sample = make_loss({{"class_name", "Dice"}, {"config", {{"axis", {1, 2, 3}}}}});
  EXPECT_NEAR(per_sample->compute(y, p, nullptr, nullptr), (0.5 + 0.75757575) / 2.0, 1e-6);
  // One value for the batch: sample weights scale it by their mean, as Keras broadcasts a scalar.
  const float sw[] = {1.0f, 3.0f};
  EXPECT_NEAR(make_loss("dice")->compute(y, p, sw, nullptr), 2.0 * 0.6164384, 1e-6);
  EXPECT_NEAR(per_sample->compute(y, p, sw, nullptr), (0.5 + 3.0 * 0.75757575) / 2.0, 1e-6);
  // Tversky with α = β = 0.5 is Dice.
  EXPECT_NEAR(make_loss("tversky")->compute(y, p, nullptr, nullptr), 0.6164384, 1e-6);
  EXPECT_THROW(make_loss({{"class_name", "Dice"}, {"config", {{"axis", {1, 2}}}}})->compute(y, p, nullptr, nullptr),
               core::ConfigError);
}

TEST(KerasExamples, CategoricalGeneralizedCrossEntropy) {
  const Tensor y = make({4}, {0, 1, 0, 1}), p = make({4, 2}, {0.7f, 0.3f, 0.2f, 0.8f, 0.6f, 0.4f, 0.4f, 0.6f});
  auto gce = [](double q, double v) { return (1.0 - std::pow(v, q)) / q; };
  EXPECT_NEAR(make_loss("CategoricalGeneralizedCrossEntropy")->compute(y, p, nullptr, nullptr),
              (gce(0.5, 0.7) + gce(0.5, 0.8) + gce(0.5, 0.6) + gce(0.5, 0.6)) / 4.0, 1e-6);
  EXPECT_THROW(make_loss({{"class_name", "CategoricalGeneralizedCrossEntropy"}, {"config", {{"q", 1.0}}}}), core::ConfigError);
}

TEST(Loss, PoissonTakesTheLogOfTheRateUnclipped) {
  auto loss = make_loss("poisson");
  EXPECT_NEAR(loss->compute(make({1, 2}, {2, 0}), make({1, 2}, {1.5f, 0.5f}), nullptr, nullptr),
              ((1.5 - 2.0 * std::log(1.5 + 1e-7)) + 0.5) / 2.0, 1e-6);
  // A negative rate (a linear output) makes the log NaN, as it does in Keras.
  EXPECT_TRUE(std::isnan(loss->compute(make({1, 1}, {2}), make({1, 1}, {-0.5f}), nullptr, nullptr)));
}

TEST(Loss, MapeAndMsleClampAsKeras) {
  // A 0 label divides by ε = 1e-7.
  EXPECT_NEAR(make_loss("mape")->compute(make({1, 2}, {0, 4}), make({1, 2}, {1e-7f, 3}), nullptr, nullptr),
              100.0 * (1e-7f / 1e-7 + 0.25) / 2.0, 1e-3);
  // Negative labels and predictions count as ε: log(1 + ε) − log(1 + ε) = 0.
  EXPECT_NEAR(make_loss("msle")->compute(make({1, 1}, {-3}), make({1, 1}, {-0.5f}), nullptr, nullptr), 0.0, 1e-12);
  EXPECT_NEAR(make_loss("MSLE")->compute(make({1, 1}, {3}), make({1, 1}, {1}), nullptr, nullptr),
              std::pow(std::log(2.0) - std::log(4.0), 2), 1e-6);
}

TEST(Loss, HingeConvertsZeroOneLabelsOnlyWhenTheWholeBatchIsZeroOne) {
  auto hinge = make_loss("hinge");
  // All labels 0/1: 0 → −1, so p = −1 has no loss for label 0.
  EXPECT_NEAR(hinge->compute(make({2, 1}, {0, 1}), make({2, 1}, {-1, 1}), nullptr, nullptr), 0.0, 1e-9);
  // −1/0/1 mixed: Keras keeps the 0, whose margin 1 − 0·p is 1 for every p.
  EXPECT_NEAR(hinge->compute(make({3, 1}, {-1, 0, 1}), make({3, 1}, {-1, -1, 1}), nullptr, nullptr), 1.0 / 3.0, 1e-9);
  auto squared = make_loss("SquaredHinge");
  EXPECT_NEAR(squared->compute(make({2, 1}, {0, 1}), make({2, 1}, {0.5f, 0.5f}), nullptr, nullptr),
              (1.5 * 1.5 + 0.5 * 0.5) / 2.0, 1e-9);
  // categorical_hinge: max(best other − labelled + 1, 0).
  EXPECT_NEAR(make_loss("categorical_hinge")->compute(make({1, 3}, {0, 1, 0}), make({1, 3}, {0.5f, 0.8f, 0.1f}), nullptr, nullptr),
              0.7, 1e-6);
}

TEST(Loss, EveryKeras3NameAndAliasResolves) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> names = {
      {{"log_cosh", "logcosh", "LogCosh"}, "log_cosh"},
      {{"poisson", "Poisson"}, "poisson"},
      {{"mean_absolute_percentage_error", "mape", "MAPE", "MeanAbsolutePercentageError"}, "mean_absolute_percentage_error"},
      {{"mean_squared_logarithmic_error", "msle", "MSLE", "MeanSquaredLogarithmicError"}, "mean_squared_logarithmic_error"},
      {{"squared_hinge", "SquaredHinge"}, "squared_hinge"},
      {{"categorical_hinge", "CategoricalHinge"}, "categorical_hinge"},
      {{"cosine_similarity", "CosineSimilarity", "cosine_proximity"}, "cosine_similarity"},
      {{"binary_focal_crossentropy", "BinaryFocalCrossentropy"}, "binary_focal_crossentropy"},
      {{"categorical_focal_crossentropy", "CategoricalFocalCrossentropy"}, "categorical_focal_crossentropy"},
      {{"categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy"}, "categorical_generalized_cross_entropy"},
      {{"dice", "Dice"}, "dice"},
      {{"tversky", "Tversky"}, "tversky"},
      {{"bce", "BCE", "MSE", "MAE"}, ""},
  };
  for (const auto& [aliases, canonical] : names) {
    for (const auto& n : aliases) {
      auto loss = make_loss(n);
      if (!canonical.empty()) {
        EXPECT_EQ(loss->name(), canonical) << n;
      }
    }
  }
}

TEST(Loss, SerialisedObjectsInTfKeras2AndKeras3Forms) {
  using nlohmann::json;
  // tf.keras 2: {"class_name", "config"} with reduction "auto".
  auto k2 = make_loss(json::parse(R"({"class_name": "LogCosh", "config": {"reduction": "auto", "name": "log_cosh"}})"));
  EXPECT_EQ(k2->name(), "log_cosh");
  // Keras 3: module and registered_name around the same; a focal loss with its options.
  auto k3 = make_loss(json::parse(R"({"module": "keras.losses", "class_name": "BinaryFocalCrossentropy",
      "config": {"name": "binary_focal_crossentropy", "reduction": "sum_over_batch_size", "apply_class_balancing": true,
                 "alpha": 0.4, "gamma": 1.0, "from_logits": true, "label_smoothing": 0.0, "axis": -1},
      "registered_name": null})"));
  EXPECT_EQ(k3->get_config()["alpha"], 0.4);
  EXPECT_EQ(k3->get_config()["apply_class_balancing"], true);
  EXPECT_FALSE(k3->uses_logits_of("sigmoid"));  // from_logits: the output is taken as logits already
  // Keras 3's reference to a loss function, and a LossFunctionWrapper around one.
  EXPECT_EQ(make_loss(json::parse(R"({"module": "keras.losses", "class_name": "function", "config": "log_cosh",
      "registered_name": "log_cosh"})"))->name(), "log_cosh");
  EXPECT_EQ(make_loss(json::parse(R"({"class_name": "LossFunctionWrapper", "config": {"fn": {"class_name": "function",
      "config": "huber"}, "delta": 2.0}})"))->get_config()["delta"], 2.0);
  // Per-class alpha, and a type error names the key.
  EXPECT_EQ(make_loss(json::parse(R"({"class_name": "CategoricalFocalCrossentropy", "config": {"alpha": [0.2, 0.8]}})"))
                ->get_config()["alpha"], json({0.2, 0.8}));
  try {
    make_loss(json::parse(R"({"class_name": "BinaryFocalCrossentropy", "config": {"gamma": "2"}})"), "run.json: compile.loss");
    FAIL() << "expected ConfigError";
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("compile.loss.config.gamma"));
  }
}

TEST(Loss, FocalLossesWithGammaZeroAreTheCrossEntropies) {
  const Tensor y = make({3, 2}, {0, 1, 1, 0, 1, 1}), p = make({3, 2}, {0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f});
  auto bfce = make_loss({{"class_name", "BinaryFocalCrossentropy"}, {"config", {{"gamma", 0.0}}}});
  EXPECT_NEAR(bfce->compute(y, p, nullptr, nullptr), make_loss("bce")->compute(y, p, nullptr, nullptr), 1e-9);
  const Tensor oh = make({2, 3}, {0, 1, 0, 1, 0, 0}), q = make({2, 3}, {0.2f, 0.5f, 0.3f, 0.6f, 0.3f, 0.1f});
  auto cfce = make_loss({{"class_name", "CategoricalFocalCrossentropy"}, {"config", {{"gamma", 0.0}, {"alpha", 1.0}}}});
  EXPECT_NEAR(cfce->compute(oh, q, nullptr, nullptr), make_loss("cce")->compute(oh, q, nullptr, nullptr), 1e-9);
  // On logits, the binary focal loss is the probability form away from the clip.
  Tensor z(p.shape());
  for (int i = 0; i < p.size(); ++i) z[i] = std::log(p[i] / (1.0f - p[i]));
  auto focal = make_loss("binary_focal_crossentropy");
  EXPECT_NEAR(focal->compute_from_logits(y, z, nullptr, nullptr), focal->compute(y, p, nullptr, nullptr), 1e-6);
  EXPECT_TRUE(focal->uses_logits_of("sigmoid"));
}

}  // namespace
}  // namespace fitcheck::nn
