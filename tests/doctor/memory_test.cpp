#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

std::vector<doctor::Finding> check(const std::string& optimizer, std::int64_t batch, std::uint64_t memory) {
  auto run = test::make_run({{"compile", {{"optimizer", optimizer}}}, {"fit", {{"batch_size", batch}}}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  // 1000 -> Dense(1000) -> Dense(1): 1,002,001 parameters, about 1000 activation floats per sample.
  ctx.model = test::make_model(json::array({test::dense("big", 1000, "relu"), test::dense("out", 1)}), {1000});
  ctx.memory_bytes = memory;
  return test::run_category(ctx, "model.memory");
}

TEST(Memory, ParametersGradientsAndAdamSlotsAgainstTheMachine) {
  // Adam: 1e6 params x 4 floats x 4 B = 16 MB; batch 32 x 2001 x 8 B = 0.5 MB.
  const std::uint64_t MiB = 1 << 20;
  EXPECT_TRUE(check("adam", 32, 1024 * MiB).empty());
  auto warn = check("adam", 32, 30 * MiB);  // 16.5 MB > half of 30 MiB
  ASSERT_EQ(warn.size(), 1u);
  EXPECT_EQ(warn[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(warn[0].evidence["optimizer_slots"], 2);
  auto err = check("adam", 32, 10 * MiB);
  ASSERT_EQ(err.size(), 1u);
  EXPECT_EQ(err[0].severity, doctor::Severity::Error);
  // Plain SGD keeps no slots: 8 MB fits in 20 MiB.
  EXPECT_TRUE(check("sgd", 32, 20 * MiB).empty());
}

TEST(Memory, ActivationsDominateAndTheRepairLowersTheBatch) {
  const std::uint64_t MiB = 1 << 20;
  // batch 100000: 100000 x ~1000 x 8 B = 0.8 GB of activations.
  auto f = check("sgd", 100000, 512 * MiB);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Error);
  ASSERT_TRUE(f[0].repair);
  const auto b = (*f[0].repair)["fit"]["batch_size"].get<std::int64_t>();
  EXPECT_GT(b, 1);
  EXPECT_LE(static_cast<double>(b), f[0].evidence["largest_batch_that_fits"].get<double>());
  auto smaller = check("sgd", b, 512 * MiB);
  EXPECT_TRUE(smaller.empty() || smaller[0].severity != doctor::Severity::Error);
}

}  // namespace
