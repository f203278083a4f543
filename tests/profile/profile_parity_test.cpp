// fitcheck's profile against numpy/pandas on generated CSV files (ctest label "parity"):
// counts, missing, min, max, distinct, top counts and duplicates exactly; mean and std to 1e-12
// relative; quantiles exactly (numpy's linear rule) while the sketch is exact, and within the
// sketch's rank bound after.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/profile/table_profile.hpp"
#include "support/test_data.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::profile {
namespace {

using fitcheck::test::kPython;

nlohmann::json run_pandas(const test::TempDir& dir, int rows, std::filesystem::path& csv) {
  csv = dir.path() / "table.csv";
  const auto out = dir.path() / "pandas.json";
  const std::string cmd = std::string(kPython) + " " + FITCHECK_PARITY_SCRIPT + " " + std::to_string(rows) + " " +
                          csv.string() + " " + out.string();
  const int status = std::system(cmd.c_str());
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 77) return nullptr;
  EXPECT_EQ(status, 0) << cmd;
  std::ifstream in(out);
  return nlohmann::json::parse(in);
}

void compare(int rows) {
  test::TempDir dir;
  std::filesystem::path csv;
  const auto expected = run_pandas(dir, rows, csv);
  if (expected.is_null()) GTEST_SKIP() << kPython << " lacks numpy or pandas (apt-get install python3-pandas)";
  const TableProfile p = profile_csv(csv, {.chunk_bytes = 64 << 10});  // many chunks, all workers
  const core::Table table = io::read_csv(csv).table;

  EXPECT_EQ(p.rows(), expected["rows"].get<std::int64_t>());
  EXPECT_EQ(p.duplicates().duplicate_rows, expected["duplicates"].get<std::int64_t>());
  for (const auto& c : p.columns()) {
    SCOPED_TRACE(c.name());
    const auto& e = expected["columns"][c.name()];
    EXPECT_EQ(c.count(), e["count"].get<std::int64_t>());
    EXPECT_EQ(c.missing(), e["missing"].get<std::int64_t>());
    EXPECT_EQ(c.distinct(), e["distinct"].get<std::int64_t>());
    const auto top = c.top(50);
    ASSERT_FALSE(top.empty());
    EXPECT_EQ(top[0].count, e["top_count"].get<std::int64_t>());
    std::vector<std::string> tied;
    for (const auto& t : top) {
      if (t.count == top[0].count) tied.push_back(t.display());
    }
    if (!e.contains("mean")) {
      EXPECT_TRUE(c.is_text());
      std::sort(tied.begin(), tied.end());
      EXPECT_EQ(tied, e["top_values"].get<std::vector<std::string>>());
      continue;
    }
    EXPECT_EQ(*c.min(), e["min"].get<double>());
    EXPECT_EQ(*c.max(), e["max"].get<double>());
    EXPECT_EQ(c.zeros(), e["zeros"].get<std::int64_t>());
    EXPECT_NEAR(*c.mean(), e["mean"].get<double>(), 1e-12 * std::fabs(e["mean"].get<double>()));
    EXPECT_NEAR(*c.std(), e["std"].get<double>(), 1e-12 * e["std"].get<double>());
    const auto qs = *c.quantiles();
    const auto eq = e["quantiles"].get<std::vector<double>>();
    if (c.sketch().exact()) {
      for (std::size_t i = 0; i < qs.size(); ++i) EXPECT_NEAR(qs[i], eq[i], 1e-12 * std::fabs(eq[i]) + 1e-300);
      continue;
    }
    // Rank check: fitcheck's quantile must sit within the bound of the rank pandas' sits at.
    std::vector<double> sorted;
    const auto& col = table.column(*table.find(c.name()));
    for (std::int64_t i = 0; i < col.size(); ++i) {
      const double x = col.as_double(i);
      if (std::isfinite(x)) sorted.push_back(x);
    }
    std::sort(sorted.begin(), sorted.end());
    const double bound = c.sketch().rank_error_bound(1e-3);
    for (std::size_t i = 0; i < qs.size(); ++i) {
      const double target = kReportedQuantiles[i] * static_cast<double>(sorted.size());
      const double lo = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), qs[i]) - sorted.begin());
      const double hi = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), qs[i]) - sorted.begin());
      EXPECT_LE(std::max({0.0, lo - target, target - hi}), bound) << "quantile " << kReportedQuantiles[i];
    }
  }
}

// Arrays written by numpy keep their dtype and values through .npz profiling.
TEST(ProfileParity, NpzArraysWrittenByNumpy) {
  test::TempDir dir;
  const auto npz = dir.path() / "data.npz";
  const std::string cmd = std::string(kPython) +
                          " -c \"import sys, numpy as np; r = np.random.default_rng(0); "
                          "np.savez_compressed(sys.argv[1], x_train=r.integers(0, 256, (300, 4)).astype(np.uint8), "
                          "y_train=(np.arange(300) % 3).astype(np.int32), x_test=np.zeros((7, 4), np.float32))\" " +
                          npz.string();
  const int status = std::system(cmd.c_str());
  if (status != 0) GTEST_SKIP() << kPython << " could not write an .npz with numpy (apt-get install python3-numpy)";
  FileProfileOptions options;
  options.npz_keys = {"x_train", "y_train"};
  const TableProfile p = profile_npz(npz, options);
  EXPECT_EQ(p.rows(), 300);
  ASSERT_EQ(p.columns().size(), 5u);
  EXPECT_EQ(p.columns()[0].source_dtype(), core::DType::UInt8);
  EXPECT_EQ(p.columns()[0].role(), ColumnRole::PixelLike);
  const auto& y = p.columns()[4];
  EXPECT_EQ(y.name(), "y_train");
  EXPECT_EQ(y.source_dtype(), core::DType::Int32);
  const auto label = profile_label(p, "y_train");
  EXPECT_EQ(label.task, LabelTask::Classification);
  EXPECT_EQ(label.classes.size(), 3u);
  EXPECT_DOUBLE_EQ(label.imbalance_ratio, 1.0);
  // Arrays of different lengths cannot be profiled side by side.
  options.npz_keys = {"x_train", "x_test"};
  EXPECT_THROW(profile_npz(npz, options), core::InputError);
}

TEST(ProfileParity, SmallTableMatchesPandasExactly) { compare(400); }
TEST(ProfileParity, LargerTableMatchesPandasWithinTheSketchBound) { compare(30'000); }

}  // namespace
}  // namespace fitcheck::profile
