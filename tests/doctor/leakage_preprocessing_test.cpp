#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;

// Raw features: 3 columns on different scales, 800 train + 200 test rows.
std::vector<std::vector<double>> raw(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<std::vector<double>> cols(3);
  for (int i = 0; i < n; ++i) {
    cols[0].push_back(50.0 + 10.0 * g(rng));
    cols[1].push_back(std::exp(g(rng)));
    cols[2].push_back(1000.0 * g(rng));
  }
  return cols;
}

void standardize(std::vector<std::vector<double>>& cols, std::size_t begin, std::size_t end) {
  for (auto& c : cols) {
    double m = 0, s = 0;
    for (std::size_t i = begin; i < end; ++i) m += c[i];
    m /= static_cast<double>(end - begin);
    for (std::size_t i = begin; i < end; ++i) s += (c[i] - m) * (c[i] - m);
    s = std::sqrt(s / static_cast<double>(end - begin));
    for (auto& v : c) v = (v - m) / s;  // applied to every row, statistics from [begin, end)
  }
}

void minmax(std::vector<std::vector<double>>& cols, std::size_t begin, std::size_t end) {
  for (auto& c : cols) {
    double lo = c[begin], hi = c[begin];
    for (std::size_t i = begin; i < end; ++i) { lo = std::min(lo, c[i]); hi = std::max(hi, c[i]); }
    for (auto& v : c) v = (v - lo) / (hi - lo);
  }
}

std::vector<doctor::Finding> check(const std::vector<std::vector<double>>& cols, std::size_t train_rows) {
  auto block = [&](std::size_t begin, std::size_t end) {
    std::vector<core::Column> out;
    for (std::size_t j = 0; j < cols.size(); ++j) {
      out.push_back(core::Column::float64(test::indexed("f", static_cast<std::int64_t>(j)),
                                          std::vector<double>(cols[j].begin() + static_cast<std::ptrdiff_t>(begin),
                                                              cols[j].begin() + static_cast<std::ptrdiff_t>(end))));
    }
    return test::table_block(test::table_of(std::move(out)));
  };
  auto run = test::make_run();
  doctor::CheckContext ctx;
  ctx.run = &run;
  ctx.train = test::make_split(block(0, train_rows), std::nullopt);
  ctx.test = test::make_split(block(train_rows, cols[0].size()), std::nullopt, "", "test");
  return test::run_category(ctx, "data.leakage_preprocessing");
}

TEST(LeakagePreprocessing, StandardizedTogetherVersusOnTrainOnly) {
  auto together = raw(1000, 1);
  standardize(together, 0, 1000);
  auto f = check(together, 800);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["scaler"], "standard");
  auto healthy = raw(1000, 1);
  standardize(healthy, 0, 800);
  EXPECT_TRUE(check(healthy, 800).empty());
  EXPECT_TRUE(check(raw(1000, 1), 800).empty());
}

TEST(LeakagePreprocessing, MinMaxTogetherVersusOnTrainOnly) {
  auto together = raw(1000, 2);
  minmax(together, 0, 1000);
  // Fires only if some extreme fell into the test rows (with 3 columns and 20 % test rows it does
  // for this seed); a train-only scaler leaves train exactly in [0, 1].
  auto f = check(together, 800);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["scaler"], "minmax");
  auto healthy = raw(1000, 2);
  minmax(healthy, 0, 800);
  EXPECT_TRUE(check(healthy, 800).empty());
}

}  // namespace
