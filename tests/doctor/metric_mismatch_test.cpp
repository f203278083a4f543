#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::vector<doctor::Finding> check(const json& metrics, const std::string& loss, const std::vector<float>& y,
                                   std::vector<std::int64_t> y_shape, const json& out_layer) {
  auto run = test::make_run({{"compile", {{"loss", loss}, {"metrics", metrics}}}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = test::make_model(json::array({test::dense("h", 8, "relu"), out_layer}), {1});
  const auto n = y_shape[0];
  std::vector<float> x(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i);
  ctx.train = test::make_split(test::array_block({n, 1}, x), test::array_block(y_shape, y, "y.npy"));
  return test::run_category(ctx, "config.metric_mismatch");
}

std::vector<float> continuous(int n) {
  std::vector<float> y;
  for (int i = 0; i < n; ++i) y.push_back(0.37f * static_cast<float>(i) + 0.01f * static_cast<float>(i % 3));
  return y;
}
std::vector<float> class_ids(int n, int k) {
  std::vector<float> y;
  for (int i = 0; i < n; ++i) y.push_back(static_cast<float>(i % k));
  return y;
}

TEST(MetricMismatch, AccuracyOnARegressionTarget) {
  auto f = check({"accuracy"}, "mse", continuous(100), {100}, test::dense("out", 1));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ((*f[0].repair)["compile"]["metrics"], json({"mae"}));
  EXPECT_TRUE(check({"mae"}, "mse", continuous(100), {100}, test::dense("out", 1)).empty());
  // mse on 0/1 labels is a deliberate choice: accuracy still makes sense there.
  EXPECT_TRUE(check({"accuracy"}, "mse", class_ids(100, 2), {100}, test::dense("out", 1, "sigmoid")).empty());
}

TEST(MetricMismatch, RegressionMetricsOnClasses) {
  auto f = check({"accuracy", "mape"}, "binary_crossentropy", class_ids(100, 2), {100}, test::dense("out", 1, "sigmoid"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].where["metric"], "mean_absolute_percentage_error");
  EXPECT_EQ((*f[0].repair)["compile"]["metrics"], json({"accuracy", "accuracy"}));
  // The Brier score is legitimate: info only.
  auto mse = check({"mse"}, "binary_crossentropy", class_ids(100, 2), {100}, test::dense("out", 1, "sigmoid"));
  ASSERT_EQ(mse.size(), 1u);
  EXPECT_EQ(mse[0].severity, doctor::Severity::Info);
}

TEST(MetricMismatch, AccuracyVariantsThatDoNotFitTheLabels) {
  auto sparse = check({"categorical_accuracy"}, "sparse_categorical_crossentropy", class_ids(90, 3), {90},
                      test::dense("out", 3, "softmax"));
  ASSERT_EQ(sparse.size(), 1u);
  EXPECT_EQ((*sparse[0].repair)["compile"]["metrics"], json({"sparse_categorical_accuracy"}));
  EXPECT_TRUE(check({"sparse_categorical_accuracy"}, "sparse_categorical_crossentropy", class_ids(90, 3), {90},
                    test::dense("out", 3, "softmax")).empty());
  std::vector<float> onehot;
  for (int i = 0; i < 90; ++i) for (int k = 0; k < 3; ++k) onehot.push_back(i % 3 == k ? 1.0f : 0.0f);
  EXPECT_EQ(check({"sparse_categorical_accuracy"}, "categorical_crossentropy", onehot, {90, 3},
                  test::dense("out", 3, "softmax")).size(), 1u);
  EXPECT_EQ(check({"binary_accuracy"}, "sparse_categorical_crossentropy", class_ids(90, 3), {90},
                  test::dense("out", 3, "softmax")).size(), 1u);
  EXPECT_TRUE(check({"accuracy"}, "categorical_crossentropy", onehot, {90, 3}, test::dense("out", 3, "softmax")).empty());
}

}  // namespace
