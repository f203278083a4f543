// The blocked float32 neighbour search against the plain double brute force: identical lists,
// ties and duplicates included, for any thread count.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/nearest_neighbors.hpp"

namespace fitcheck::prep {
namespace {

std::vector<float> normal_rows(core::Rng& rng, std::int64_t n, std::int64_t d, double scale = 1.0,
                               double offset = 0.0) {
  std::vector<float> x(static_cast<std::size_t>(n * d));
  for (auto& e : x) e = static_cast<float>(offset + scale * rng.standard_normal());
  return x;
}

void expect_blocked_equals_brute(const std::vector<float>& x, std::int64_t d, std::int64_t k, const std::string& what) {
  const auto n = static_cast<std::int64_t>(x.size()) / d;
  const auto expected = k_nearest_rows_brute(x.data(), n, d, k);
  for (int threads : {1, 2, 3}) {
    EXPECT_EQ(k_nearest_rows_blocked(x.data(), n, d, k, threads), expected)
        << what << ": n " << n << ", d " << d << ", k " << k << ", threads " << threads;
  }
}

TEST(NearestNeighborsBlocked, EqualsBruteForceOnContinuousData) {
  core::Rng rng(11);
  for (std::int64_t d : {1, 3, 7, 20, 33}) {
    for (std::int64_t n : {1, 6, 17, 130, 1200}) {
      const auto x = normal_rows(rng, n, d);
      for (std::int64_t k : {1, 6, 17}) {  // 17: more than one register of best values
        if (k <= n) expect_blocked_equals_brute(x, d, k, "normal");
      }
    }
  }
}

TEST(NearestNeighborsBlocked, EqualsBruteForceWithExactTiesAndDuplicates) {
  core::Rng rng(12);
  for (std::int64_t d : {1, 2, 20}) {
    // Six values per feature: many equidistant rows and, in few dimensions, many duplicates
    // (more near-ties than a row's list holds, so those rows are ranked against all rows).
    std::vector<float> x(static_cast<std::size_t>(900 * d));
    for (auto& e : x) e = static_cast<float>(rng.randint(0, 6));
    for (std::int64_t k : {6, 20}) expect_blocked_equals_brute(x, d, k, "small integers");
    // Every row repeated three times, in a scattered order.
    const auto base = normal_rows(rng, 300, d);
    std::vector<float> repeated;
    for (int copy = 0; copy < 3; ++copy) {
      for (std::int64_t i = 0; i < 300; ++i) {
        const auto row = (i * 7 + copy * 101) % 300;
        repeated.insert(repeated.end(), base.begin() + row * d, base.begin() + (row + 1) * d);
      }
    }
    expect_blocked_equals_brute(repeated, d, 6, "repeated rows");
  }
  // All rows identical: every distance is 0 and the order is the index order.
  expect_blocked_equals_brute(std::vector<float>(500 * 20, 3.5f), 20, 6, "identical rows");
}

TEST(NearestNeighborsBlocked, EqualsBruteForceAcrossScalesAndOffsets) {
  core::Rng rng(13);
  for (double scale : {1e-30, 1e-3, 1e3, 1e30}) expect_blocked_equals_brute(normal_rows(rng, 600, 20, scale), 20, 6, "scaled");
  // A large common offset: float32 |a|^2 + |b|^2 - 2 a.b would cancel catastrophically without
  // the centring.
  expect_blocked_equals_brute(normal_rows(rng, 600, 20, 1.0, 1e4), 20, 6, "offset");
  // Two tight clusters far apart: within a cluster the float32 values cannot tell the rows apart
  // (the rounding bound exceeds the distances), so the exact re-ranking decides.
  auto x = normal_rows(rng, 400, 20, 1e-3, -1e3);
  const auto far = normal_rows(rng, 400, 20, 1e-3, 1e3);
  x.insert(x.end(), far.begin(), far.end());
  expect_blocked_equals_brute(x, 20, 6, "two far clusters");
}

TEST(NearestNeighborsBlocked, NearTiesFollowTheExactDistance) {
  // Row 0 at the origin; the others on the unit sphere's axes, some nudged outwards by one or a
  // few float32 ulps, so that several distances tie exactly and others differ in the last bits.
  const std::int64_t d = 20;
  std::vector<float> x(static_cast<std::size_t>(d), 0.0f);
  for (std::int64_t axis = 0; axis < d; ++axis) {
    for (float sign : {1.0f, -1.0f}) {
      std::vector<float> row(static_cast<std::size_t>(d), 0.0f);
      float v = 1.0f;
      for (std::int64_t step = 0; step < axis % 3; ++step) v = std::nextafter(v, 2.0f);
      row[static_cast<std::size_t>(axis)] = sign * v;
      x.insert(x.end(), row.begin(), row.end());
    }
  }
  for (std::int64_t k : {2, 6, 15, 30}) expect_blocked_equals_brute(x, d, k, "axis points");
}

TEST(NearestNeighbors, RoutesFiveDimensionsAndMoreToTheBlockedSearch) {
  core::Rng rng(14);
  for (std::int64_t d : {4, 5, 12}) {
    const auto x = normal_rows(rng, 800, d);
    EXPECT_EQ(k_nearest_rows(x.data(), 800, d, 6, 2), k_nearest_rows_brute(x.data(), 800, d, 6)) << d;
  }
}

}  // namespace
}  // namespace fitcheck::prep
