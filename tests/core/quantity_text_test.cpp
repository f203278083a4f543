#include "fitcheck/core/quantity_text.hpp"

#include <gtest/gtest.h>

namespace fitcheck::core {
namespace {

TEST(QuantityText, ThousandsAsKerasWritesParameterCounts) {
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1000), "1,000");
  EXPECT_EQ(with_thousands(1234567), "1,234,567");
  EXPECT_EQ(with_thousands(-1234567), "-1,234,567");
}

TEST(QuantityText, BinaryBytes) {
  EXPECT_EQ(binary_bytes(0), "0.0 B");
  EXPECT_EQ(binary_bytes(1023), "1023.0 B");
  EXPECT_EQ(binary_bytes(1536), "1.5 KiB");
  EXPECT_EQ(binary_bytes(3.0 * (1ull << 30)), "3.0 GiB");
}

}  // namespace
}  // namespace fitcheck::core
