#include "fitcheck/nn/metrics/metric.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

Tensor make(Shape s, std::vector<float> v) { return Tensor(std::move(s), v); }

TEST(Metric, AccuracyResolvesToBinaryForOneOutput) {
  auto m = make_metric("accuracy");
  m->update(make({4}, {1, 0, 1, 0}), make({4, 1}, {0.9f, 0.5f, 0.4f, 0.1f}));  // 0.5 is not > 0.5 → 0
  EXPECT_DOUBLE_EQ(m->result(), 0.75);
  EXPECT_EQ(m->name(), "accuracy");
}

TEST(Metric, AccuracyResolvesToSparseForIntegerLabels) {
  auto m = make_metric("acc");
  m->update(make({2}, {2, 0}), make({2, 3}, {0.1f, 0.2f, 0.7f, 0.2f, 0.5f, 0.3f}));
  EXPECT_DOUBLE_EQ(m->result(), 0.5);
  EXPECT_EQ(m->name(), "acc");
}

TEST(Metric, AccuracyResolvesToCategoricalForOneHot) {
  auto m = make_metric("accuracy");
  m->update(make({2, 3}, {0, 0, 1, 1, 0, 0}), make({2, 3}, {0.1f, 0.2f, 0.7f, 0.2f, 0.5f, 0.3f}));
  EXPECT_DOUBLE_EQ(m->result(), 0.5);
}

TEST(Metric, RunningMeanOverBatchesAndReset) {
  auto m = make_metric("binary_accuracy");
  m->update(make({2, 1}, {1, 1}), make({2, 1}, {0.9f, 0.9f}));
  m->update(make({1, 1}, {1}), make({1, 1}, {0.1f}));
  EXPECT_NEAR(m->result(), 2.0 / 3.0, 1e-12);
  m->reset();
  EXPECT_EQ(m->result(), 0.0);
}

TEST(Metric, AucOfAPerfectRankingIsOneAndOfAReversedOneIsZero) {
  auto m = make_metric("auc");
  m->update(make({4, 1}, {0, 0, 1, 1}), make({4, 1}, {0.1f, 0.3f, 0.6f, 0.8f}));
  EXPECT_NEAR(m->result(), 1.0, 1e-9);
  auto r = make_metric("AUC");
  r->update(make({4, 1}, {1, 1, 0, 0}), make({4, 1}, {0.1f, 0.3f, 0.6f, 0.8f}));
  EXPECT_NEAR(r->result(), 0.0, 1e-9);
}

TEST(Metric, AucMatchesTheMannWhitneyValueWhenScoresFallInDistinctBuckets) {
  // Positives 0.35, 0.75, 0.95; negatives 0.15, 0.55, 0.85: pairs ranked right = 1+2+3 = 6 of 9... of (3×3):
  // 0.35 beats 0.15 (1); 0.75 beats 0.15, 0.55 (2); 0.95 beats all three (3) → 6/9.
  auto m = make_metric("auc");
  m->update(make({6}, {1, 1, 1, 0, 0, 0}), make({6}, {0.35f, 0.75f, 0.95f, 0.15f, 0.55f, 0.85f}));
  EXPECT_NEAR(m->result(), 6.0 / 9.0, 1e-9);
}

TEST(Metric, PrecisionAndRecall) {
  const Tensor y = make({5}, {1, 1, 0, 0, 1});
  const Tensor p = make({5}, {0.9f, 0.2f, 0.8f, 0.1f, 0.7f});
  auto precision = make_metric("precision");
  auto recall = make_metric("recall");
  precision->update(y, p);
  recall->update(y, p);
  EXPECT_NEAR(precision->result(), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(recall->result(), 2.0 / 3.0, 1e-12);
}

TEST(Metric, ErrorMetrics) {
  const Tensor y = make({2, 1}, {1, 3});
  const Tensor p = make({2, 1}, {2, 1});
  auto mae = make_metric("mae"), mse = make_metric("mse"), rmse = make_metric("rmse");
  for (auto* m : {mae.get(), mse.get(), rmse.get()}) m->update(y, p);
  EXPECT_DOUBLE_EQ(mae->result(), 1.5);
  EXPECT_DOUBLE_EQ(mse->result(), 2.5);
  EXPECT_DOUBLE_EQ(rmse->result(), std::sqrt(2.5));
  EXPECT_FALSE(mse->higher_is_better());
}

TEST(Metric, ClassStyleIdentifiers) {
  EXPECT_EQ(make_metric(nlohmann::json{{"class_name", "AUC"}, {"config", {{"num_thresholds", 50}}}})->name(), "auc");
  EXPECT_EQ(make_metric(nlohmann::json::parse(
                R"({"class_name":"MeanMetricWrapper","config":{"name":"accuracy","dtype":"float32","fn":"binary_accuracy"}})"))
                ->name(),
            "accuracy");
  EXPECT_THROW(make_metric("acuracy"), core::ConfigError);
}

TEST(Metric, LossesAsMetricsAreSampleMeansOverTheEpoch) {
  // poisson over two batches of different sizes: the mean of the three per-sample values.
  auto m = make_metric("poisson");
  auto per_sample = [](double y, double p) { return p - y * std::log(p + 1e-7); };
  m->update(make({1, 1}, {2}), make({1, 1}, {1.5f}));
  m->update(make({2, 1}, {0, 1}), make({2, 1}, {0.5f, 2.0f}));
  EXPECT_NEAR(m->result(), (per_sample(2, 1.5) + per_sample(0, 0.5) + per_sample(1, 2.0)) / 3.0, 1e-6);
  EXPECT_FALSE(m->higher_is_better());
  m->reset();
  EXPECT_EQ(m->result(), 0.0);
  // cosine_similarity as a metric is the similarity itself (Keras' CosineSimilarity), not its negative.
  auto cos = make_metric("cosine_similarity");
  cos->update(make({2, 2}, {1, 1, 0, 1}), make({2, 2}, {2, 2, 1, 0}));
  EXPECT_NEAR(cos->result(), 0.5, 1e-6);
  EXPECT_TRUE(cos->higher_is_better());
  // Keras 3's class names and tf.keras 2's function names, logged under the name given.
  for (const char* n : {"mape", "MAPE", "msle", "logcosh", "log_cosh", "LogCoshError", "kld", "hinge", "squared_hinge",
                        "categorical_hinge", "bce", "binary_crossentropy", "categorical_crossentropy",
                        "sparse_categorical_crossentropy"}) {
    EXPECT_EQ(make_metric(n)->name(), n);
  }
  EXPECT_EQ(make_metric(nlohmann::json{{"class_name", "LogCoshError"}, {"config", nlohmann::json::object()}})->name(), "logcosh");
  auto mape = make_metric(nlohmann::json{{"class_name", "MeanAbsolutePercentageError"}, {"config", {{"name", "mape"}}}});
  mape->update(make({2}, {2, 4}), make({2, 1}, {1, 5}));
  EXPECT_NEAR(mape->result(), (50.0 + 25.0) / 2.0, 1e-4);
  EXPECT_EQ(mape->name(), "mape");
  // Keras 3's reference to a function is logged under the function's name.
  EXPECT_EQ(make_metric(nlohmann::json{{"class_name", "function"}, {"config", "msle"}})->name(), "msle");
}

}  // namespace
}  // namespace fitcheck::nn
