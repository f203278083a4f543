// SMOTE, RandomOverSampler and RandomUnderSampler against imbalanced-learn 0.10 on the same
// float32 data and seed: bit-identical rows, labels and sample indices. The data is continuous
// random, so no two minority points are equidistant (imbalanced-learn's neighbour order for
// exact ties is not specified; see docs/prep.md).
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/random_over_sampler.hpp"
#include "fitcheck/prep/random_under_sampler.hpp"
#include "fitcheck/prep/smote.hpp"
#include "prep_parity_support.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::prep {
namespace {

using nlohmann::json;

struct ResampleCase {
  std::string id, kind;
  std::int64_t rows, cols, k;
  std::uint32_t seed;
  json strategy;
  core::Tensor x;
  std::vector<std::int64_t> y;
};

std::vector<ResampleCase> resample_cases() {
  std::vector<ResampleCase> out;
  const std::vector<std::tuple<std::string, std::int64_t, std::int64_t, std::int64_t, std::uint32_t, json>> specs = {
      {"smote", 300, 4, 5, 0, "auto"},    {"smote", 500, 3, 3, 42, "auto"},  {"smote", 400, 20, 5, 7, "auto"},
      {"smote", 2000, 6, 5, 1, "auto"},   {"smote", 300, 2, 4, 9, json{{"1", 200}, {"2", 120}}},
      // Classes of 4000 and 2000 rows in 20 and 12 features: the blocked float32 search, threaded.
      {"smote", 20000, 20, 5, 0, "auto"}, {"smote", 6000, 12, 7, 5, "auto"},
      {"over", 300, 3, 0, 5, "auto"},     {"over", 200, 2, 0, 11, "not minority"},
      {"under", 300, 3, 0, 3, "auto"},    {"under", 250, 2, 0, 8, "majority"},
  };
  core::Rng rng(2024);
  int id = 0;
  for (const auto& [kind, rows, cols, k, seed, strategy] : specs) {
    ResampleCase c{std::string("case").append(std::to_string(id++)), kind, rows, cols, k, seed, strategy, {}, {}};
    c.x = core::Tensor(core::Shape({rows, cols}));
    for (std::int64_t i = 0; i < rows; ++i) {
      const double u = rng.random_sample();
      const std::int64_t cls = u < 0.7 ? 0 : (u < 0.9 ? 1 : 2);  // 70 / 20 / 10
      c.y.push_back(cls);
      for (std::int64_t j = 0; j < cols; ++j) {
        c.x[i * cols + j] = static_cast<float>(rng.standard_normal() + 2.0 * static_cast<double>(cls));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::unique_ptr<Resampler> make(const ResampleCase& c) {
  const auto strategy = SamplingStrategy::from_json(c.strategy, "/strategy");
  if (c.kind == "smote") return std::make_unique<Smote>(SmoteOptions{strategy, c.seed, c.k, 2});
  if (c.kind == "over") return std::make_unique<RandomOverSampler>(RandomOverSamplerOptions{strategy, c.seed});
  return std::make_unique<RandomUnderSampler>(RandomUnderSamplerOptions{strategy, c.seed, false});
}

TEST(PrepResampleParity, MatchesImbalancedLearnBitForBit) {
  test::TempDir dir;
  auto all = resample_cases();
  json spec = {{"cases", json::array()}};
  for (const auto& c : all) {
    const auto xp = (dir.path() / (c.id + "_x.bin")).string(), yp = (dir.path() / (c.id + "_y.bin")).string();
    std::ofstream(xp, std::ios::binary).write(reinterpret_cast<const char*>(c.x.data()), c.x.size() * 4);
    std::ofstream(yp, std::ios::binary).write(reinterpret_cast<const char*>(c.y.data()), static_cast<std::streamsize>(c.y.size() * 8));
    spec["cases"].push_back({{"id", c.id}, {"kind", c.kind}, {"x", xp}, {"y", yp}, {"rows", c.rows}, {"cols", c.cols},
                             {"seed", c.seed}, {"k", c.k}, {"strategy", c.strategy}});
  }
  const auto peer = parity::run_peer(FITCHECK_PREP_PARITY_DIR "/prep_imblearn.py", dir.path(), spec);
  if (peer.skipped) GTEST_SKIP() << "imbalanced-learn parity skipped: " << peer.message;
  ASSERT_FALSE(peer.output.is_null()) << peer.message;
  for (const auto& c : all) {
    SCOPED_TRACE(c.id + " " + c.kind);
    const auto& expected = peer.output[c.id];
    const auto ours = make(c)->fit_resample(c.x, c.y);
    ASSERT_EQ(ours.x.dim(0), expected["rows"].get<std::int64_t>());
    EXPECT_EQ(ours.y, expected["y"].get<std::vector<std::int64_t>>());
    if (!expected["indices"].is_null()) {
      EXPECT_EQ(ours.sample_indices, expected["indices"].get<std::vector<std::int64_t>>());
    }
    std::vector<float> theirs(static_cast<std::size_t>(ours.x.size()));
    std::ifstream((dir.path() / (c.id + "_x.bin.res")).string(), std::ios::binary)
        .read(reinterpret_cast<char*>(theirs.data()), static_cast<std::streamsize>(theirs.size() * 4));
    std::int64_t first_bad = -1, bad = 0;
    for (std::int64_t i = 0; i < ours.x.size(); ++i) {
      if (std::memcmp(ours.x.data() + i, &theirs[static_cast<std::size_t>(i)], 4) != 0) {
        if (first_bad < 0) first_bad = i;
        ++bad;
      }
    }
    EXPECT_EQ(bad, 0) << "first differing element " << first_bad << " (row " << first_bad / c.cols << "): ours "
                      << (first_bad >= 0 ? ours.x[first_bad] : 0) << ", imblearn "
                      << (first_bad >= 0 ? theirs[static_cast<std::size_t>(first_bad)] : 0);
  }
}

}  // namespace
}  // namespace fitcheck::prep
