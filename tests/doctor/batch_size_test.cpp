#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::vector<doctor::Finding> check(std::int64_t rows, std::int64_t batch, double validation_split, const json& layers) {
  auto run = test::make_run({{"fit", {{"batch_size", batch}, {"validation_split", validation_split}}}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = test::make_model(layers, {2});
  std::vector<float> x(static_cast<std::size_t>(rows * 2), 0.5f), y(static_cast<std::size_t>(rows), 1.0f);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7);
  ctx.train = test::make_split(test::array_block({rows, 2}, x), test::array_block({rows}, y, "y.npy"));
  return test::run_category(ctx, "config.batch_size");
}

const json kPlain = json::array({test::dense("h", 8, "relu"), test::dense("out", 1)});
const json kWithBn = json::array({test::dense("h", 8), json{{"class_name", "BatchNormalization"}, {"config", {{"name", "bn"}}}},
                                  test::dense("out", 1)});

TEST(BatchSize, LargerThanTheTrainingRowsAfterTheValidationSplit) {
  EXPECT_TRUE(check(1000, 32, 0.0, kPlain).empty());
  auto f = check(40, 32, 0.5, kPlain);  // 20 training rows
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(f[0].evidence["training_rows"], 20);
  EXPECT_EQ((*f[0].repair)["fit"]["batch_size"], 16);
  EXPECT_TRUE(check(40, 32, 0.0, kPlain).empty());
}

TEST(BatchSize, OneSampleBatchesWithBatchNormalization) {
  auto f = check(1000, 1, 0.0, kWithBn);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Error);  // Dense features: the variance of one sample is 0
  EXPECT_EQ(f[0].where["layer"], "bn");
  EXPECT_TRUE(check(1000, 1, 0.0, kPlain).empty());
  // 1001 rows in batches of 10 leave one sample for the last step: info only.
  auto last = check(1001, 10, 0.0, kWithBn);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].severity, doctor::Severity::Info);
  EXPECT_NE((*last[0].repair)["fit"]["batch_size"].get<std::int64_t>() , 10);
}

}  // namespace
