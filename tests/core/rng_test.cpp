#include "fitcheck/core/rng.hpp"

#include <random>
#include <vector>

#include <gtest/gtest.h>

using fitcheck::core::Rng;

// Golden values from numpy 1.24's legacy RandomState (shared/reference/sklearn.md §7).
TEST(Rng, PermutationMatchesNumpy) {
  Rng rng(0);
  EXPECT_EQ(rng.permutation(10), (std::vector<std::int64_t>{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}));
}

TEST(Rng, RandintThenUniformMatchNumpy) {
  Rng rng(7);
  std::vector<std::int64_t> ints;
  for (int i = 0; i < 5; ++i) ints.push_back(rng.randint(0, 10));
  EXPECT_EQ(ints, (std::vector<std::int64_t>{4, 9, 6, 3, 3}));
  EXPECT_DOUBLE_EQ(rng.random_sample(), 0.72346517783094122);
  EXPECT_DOUBLE_EQ(rng.random_sample(), 0.97798951199660267);
  EXPECT_DOUBLE_EQ(rng.random_sample(), 0.53849587041043367);
}

TEST(Rng, LargeRangeRandintMatchesNumpy) {
  Rng rng(123);
  EXPECT_EQ(rng.randint(0, 1000000), 773630);
  EXPECT_EQ(rng.randint(0, 1000000), 277869);
  EXPECT_EQ(rng.randint(0, 1000000), 28030);
}

TEST(Rng, StandardNormalMatchesNumpy) {
  Rng rng(42);
  EXPECT_DOUBLE_EQ(rng.standard_normal(), 0.49671415301123267);
  EXPECT_DOUBLE_EQ(rng.standard_normal(), -0.13826430117118466);
  EXPECT_DOUBLE_EQ(rng.standard_normal(), 0.64768853810069249);
}

TEST(Rng, EmptyRangeUsesNoRandomness) {
  Rng a(5), b(5);
  EXPECT_EQ(a.randint(3, 4), 3);
  EXPECT_EQ(a.next_u32(), b.next_u32());
}

TEST(Mt19937, EqualsTheStandardEngine) {
  for (std::uint32_t seed : {0u, 1u, 42u, 5489u, 0xffffffffu}) {
    fitcheck::core::Mt19937 ours(seed);
    std::mt19937 reference(seed);
    for (int i = 0; i < 5000; ++i) {  // eight refills
      ASSERT_EQ(ours(), static_cast<std::uint32_t>(reference())) << "seed " << seed << ", draw " << i;
    }
  }
}

TEST(Rng, BatchedRandintEqualsOneAtATime) {
  for (const std::int64_t high : {std::int64_t{1}, std::int64_t{2}, std::int64_t{3}, std::int64_t{24490},
                                  std::int64_t{1} << 31, (std::int64_t{1} << 32) - 1, std::int64_t{1} << 32,
                                  std::int64_t{1} << 40}) {
    for (const std::size_t n : {0u, 1u, 2u, 1000u}) {
      fitcheck::core::Rng one(7), batch(7);
      std::vector<std::int64_t> expected(n), got(n, -1);
      for (auto& v : expected) v = one.randint(-5, high);
      batch.randint(-5, high, got);
      EXPECT_EQ(got, expected) << "high " << high << ", n " << n;
      EXPECT_EQ(batch.next_u32(), one.next_u32()) << "the stream continues in step; high " << high;
    }
  }
}
