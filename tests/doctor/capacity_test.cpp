#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::vector<doctor::Finding> check(std::int64_t rows, const json& layers, double validation_split = 0.0) {
  auto run = test::make_run({{"fit", {{"validation_split", validation_split}}}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.model = test::make_model(layers, {10});
  std::vector<float> x(static_cast<std::size_t>(rows * 10), 0.25f), y(static_cast<std::size_t>(rows), 0.0f);
  ctx.train = test::make_split(test::array_block({rows, 10}, x), test::array_block({rows}, y, "y.npy"));
  return test::run_category(ctx, "model.capacity");
}

const json kHuge = json::array({test::dense("h1", 1024, "relu"), test::dense("h2", 1024, "relu"), test::dense("out", 1)});
const json kModest = json::array({test::dense("h1", 32, "relu"), test::dense("out", 1)});  // 385 parameters

TEST(Capacity, ParametersPerSample) {
  auto f = check(1000, kHuge);  // 1,061,889 parameters / 1000 rows
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(f[0].evidence["parameters"], 1061889);
  EXPECT_EQ(f[0].where["layer"], "h2");
  ASSERT_TRUE(f[0].repair);
  const auto& layers = (*f[0].repair)["model"]["layers"];
  ASSERT_EQ(layers.size(), 2u);  // the output layer keeps its units
  EXPECT_LT(layers[0]["config"]["units"].get<int>(), 1024);
  // 100..1000 per sample: info; a modest model: nothing.
  auto info = check(5000, kHuge);
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].severity, doctor::Severity::Info);
  EXPECT_TRUE(check(1000, kModest).empty());
}

TEST(Capacity, CountsOnlyTheRowsFitTrainsOn) {
  EXPECT_EQ(check(1500, kHuge)[0].severity, doctor::Severity::Info);             // 709 per sample
  EXPECT_EQ(check(1500, kHuge, 0.5)[0].severity, doctor::Severity::Warning);     // 750 rows: 1417 per sample
}

}  // namespace
