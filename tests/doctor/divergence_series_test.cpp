// train.divergence on constructed loss series: a loss that grows is reported; a loss that falls
// while a few batches (those holding extreme rows) score far above the rest is not.
#include <cmath>

#include <gtest/gtest.h>

#include "fitcheck/doctor/training/series.hpp"
#include "fitcheck/doctor/training/training_check.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::doctor {
void check_divergence(const TrainingContext&, std::vector<Finding>&);
}  // namespace fitcheck::doctor

namespace {

using namespace fitcheck;

std::vector<doctor::Finding> divergence_of(const std::vector<double>& step_loss) {
  const auto run = io::parse_run_spec({{"data", {{"train", {{"x", "x.npy"}, {"y", "y.npy"}}}}},
                                       {"model", nlohmann::json::object()},
                                       {"compile", {{"optimizer", "adam"}, {"loss", "mse"}}}},
                                      "run.json", ".");
  doctor::ProbeResult probe;
  probe.learning_rate = 0.001;
  probe.signals.step_loss = step_loss;
  probe.signals.steps = static_cast<std::int64_t>(step_loss.size());
  const std::vector<doctor::Finding> none;
  doctor::TrainingContext ctx{.run = &run, .probe = &probe, .static_findings = &none};
  std::vector<doctor::Finding> out;
  doctor::check_divergence(ctx, out);
  return out;
}

TEST(WindowMedians, TheTypicalBatchOfEachWindow) {
  const std::vector<double> v = {1, 2, 100, 4, 5, 6};
  EXPECT_EQ(doctor::series::window_medians(v, 2), (std::vector<double>{2, 5}));
  EXPECT_EQ(doctor::series::window_means(v, 2), (std::vector<double>{103.0 / 3.0, 5}));
}

TEST(DivergenceSeries, AGrowingLossIsReported) {
  std::vector<double> loss;
  for (int t = 0; t < 600; ++t) loss.push_back(t < 200 ? 0.8 - 0.003 * t : 0.2 * std::exp((t - 200) / 150.0));
  const auto found = divergence_of(loss);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, doctor::Severity::Warning);
}

TEST(DivergenceSeries, AFewExtremeBatchesOnAFallingLossAreNot) {
  // 630 steps of a loss falling from 0.8 to 0.13 (63 batches an epoch); from the fourth epoch on,
  // the batch of each epoch that holds a glitched row scores ~110 (an error of 60 under MSE over
  // 32 rows) — it lands in the last window.
  std::vector<double> loss;
  for (int t = 0; t < 630; ++t) {
    double l = 0.13 + 0.67 * std::exp(-t / 60.0);
    const int in_epoch = t % 63;
    const int epoch = t / 63;
    if (epoch >= 3 && in_epoch == (epoch * 23 + 40) % 63) l += 110.0;
    loss.push_back(l);
  }
  // Windows' means jump with the glitch batches: the mean rule alone would call this divergence.
  const auto means = doctor::series::window_means(loss, 20);
  EXPECT_GE(means.back(), 3.0 * means[doctor::series::argmin(means)]);
  EXPECT_TRUE(divergence_of(loss).empty());
}

}  // namespace
