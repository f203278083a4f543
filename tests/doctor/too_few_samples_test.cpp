#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

doctor::CheckContext context(io::RunSpec& run, std::int64_t rows, int features, const json& layers) {
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = test::make_model(layers, {features});
  std::vector<float> x(static_cast<std::size_t>(rows * features));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 11);
  std::vector<float> y(static_cast<std::size_t>(rows));
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(i % 2);
  ctx.train = test::make_split(test::array_block({rows, features}, x), test::array_block({rows}, y, "y.npy"));
  return ctx;
}

const json kSmall = json::array({test::dense("h", 16, "relu"), test::dense("out", 1, "sigmoid")});
const json kHuge = json::array({test::dense("h1", 1024, "relu"), test::dense("h2", 1024, "relu"),
                                test::dense("out", 1, "sigmoid")});

TEST(TooFewSamples, FewerRowsThanABatch) {
  auto run = test::make_run({{"fit", {{"batch_size", 32}}}});
  auto ctx = context(run, 4, 2, kSmall);  // seed 000: four samples, Dense(128)
  auto f = test::run_category(ctx, "data.too_few_samples");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(f[0].evidence["training_rows"], 4);
  // The batch-size check reports the same fact as its consequence.
  auto b = test::run_category(ctx, "config.batch_size");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].caused_by, "FC-D116");
}

TEST(TooFewSamples, NoRowsIsAnErrorAndTheSplitCounts) {
  auto run = test::make_run();
  auto empty = context(run, 0, 2, kSmall);
  EXPECT_EQ(test::worst(test::run_category(empty, "data.too_few_samples")), doctor::Severity::Error);
  // 50 rows, 40% held out for validation: 30 training rows < 32.
  auto split = test::make_run({{"fit", {{"validation_split", 0.4}}}});
  auto ctx = context(split, 50, 2, kSmall);
  auto f = test::run_category(ctx, "data.too_few_samples");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["training_rows"], 30);
  auto whole = context(run, 50, 2, kSmall);
  EXPECT_TRUE(test::run_category(whole, "data.too_few_samples").empty());
}

TEST(TooFewSamples, FarMoreParametersThanSamples) {
  auto run = test::make_run();
  auto ctx = context(run, 500, 10, kHuge);  // 1,061,889 parameters for 500 rows
  EXPECT_TRUE(test::fires(test::run_category(ctx, "data.too_few_samples")));
  auto healthy = context(run, 5000, 10, kSmall);
  EXPECT_TRUE(test::run_category(healthy, "data.too_few_samples").empty());
}

}  // namespace
