// train_test_split indices equal scikit-learn's for the same seed, stratified or not.
#include <gtest/gtest.h>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/split.hpp"
#include "prep_parity_support.hpp"
#include "support/temp_dir.hpp"

namespace fitcheck::prep {
namespace {

using nlohmann::json;

struct SplitCase {
  std::string id;
  std::int64_t n;
  double test_size;
  std::uint32_t seed;
  std::vector<std::int64_t> labels;  // empty: not stratified
};

std::vector<SplitCase> split_cases() {
  std::vector<SplitCase> out;
  core::Rng rng(11);
  for (int k = 0; k < 12; ++k) {
    SplitCase c;
    c.id = std::string("case").append(std::to_string(k));
    c.n = 20 + rng.randint(0, 400);
    c.test_size = 0.1 + 0.05 * static_cast<double>(rng.randint(0, 9));
    c.seed = static_cast<std::uint32_t>(rng.randint(0, 100000));
    if (k % 3 != 0) {
      const auto classes = 2 + rng.randint(0, k % 2 ? 2 : 5);
      for (std::int64_t i = 0; i < c.n; ++i) {
        // Skewed classes so that the remainders of approximate_mode tie and need the RNG.
        const double u = rng.random_sample();
        c.labels.push_back(std::min<std::int64_t>(classes - 1, static_cast<std::int64_t>(u * u * static_cast<double>(classes))));
      }
      for (std::int64_t cl = 0; cl < classes; ++cl) {  // at least 2 members per class
        c.labels[static_cast<std::size_t>(2 * cl)] = cl;
        c.labels[static_cast<std::size_t>(2 * cl + 1)] = cl;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

TEST(PrepSplitParity, TrainTestSplitIndicesMatchScikitLearn) {
  test::TempDir dir;
  json spec = {{"cases", json::array()}};
  const auto all = split_cases();
  for (const auto& c : all) {
    spec["cases"].push_back({{"id", c.id}, {"n", c.n}, {"test_size", c.test_size}, {"seed", c.seed},
                             {"stratify", c.labels.empty() ? json(nullptr) : json(c.labels)}});
  }
  const auto peer = parity::run_peer(FITCHECK_PREP_PARITY_DIR "/prep_split_sklearn.py", dir.path(), spec);
  if (peer.skipped) GTEST_SKIP() << "scikit-learn parity skipped: " << peer.message;
  ASSERT_FALSE(peer.output.is_null()) << peer.message;
  for (const auto& c : all) {
    SCOPED_TRACE(c.id);
    const auto ours = train_test_split_indices(c.n, {.test_size = c.test_size, .seed = c.seed},
                                               c.labels.empty() ? nullptr : &c.labels);
    EXPECT_EQ(ours.train, peer.output[c.id]["train"].get<std::vector<std::int64_t>>());
    EXPECT_EQ(ours.test, peer.output[c.id]["test"].get<std::vector<std::int64_t>>());
  }
}

}  // namespace
}  // namespace fitcheck::prep
