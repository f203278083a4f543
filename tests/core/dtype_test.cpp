#include "fitcheck/core/dtype.hpp"

#include <gtest/gtest.h>

using fitcheck::core::DType;

TEST(DType, NamesRoundTripAndSizes) {
  for (DType t : {DType::Bool, DType::Int8, DType::Int16, DType::Int32, DType::Int64, DType::UInt8,
                  DType::UInt16, DType::UInt32, DType::UInt64, DType::Float16, DType::Float32,
                  DType::Float64, DType::String}) {
    auto name = fitcheck::core::dtype_name(t);
    ASSERT_EQ(fitcheck::core::dtype_from_name(name), t) << name;
  }
  EXPECT_EQ(fitcheck::core::dtype_name(DType::UInt8), "uint8");
  EXPECT_EQ(fitcheck::core::dtype_size(DType::Float16), 2u);
  EXPECT_EQ(fitcheck::core::dtype_size(DType::Int64), 8u);
  EXPECT_FALSE(fitcheck::core::dtype_from_name("complex64"));
}

TEST(DType, Families) {
  EXPECT_TRUE(fitcheck::core::dtype_is_integer(DType::UInt8));
  EXPECT_FALSE(fitcheck::core::dtype_is_integer(DType::Bool));
  EXPECT_TRUE(fitcheck::core::dtype_is_unsigned(DType::UInt64));
  EXPECT_FALSE(fitcheck::core::dtype_is_unsigned(DType::Int64));
  EXPECT_TRUE(fitcheck::core::dtype_is_float(DType::Float16));
  EXPECT_FALSE(fitcheck::core::dtype_is_float(DType::String));
}
