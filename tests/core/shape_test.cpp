#include "fitcheck/core/shape.hpp"

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"

using fitcheck::core::kUnknownDim;
using fitcheck::core::Shape;

TEST(Shape, PrintsLikeKerasWithNoneForUnknownAxes) {
  EXPECT_EQ(Shape({kUnknownDim, 28, 28}).str(), "(None, 28, 28)");
  EXPECT_EQ(Shape({5}).str(), "(5,)");
  EXPECT_EQ(Shape().str(), "()");
}

TEST(Shape, NumElementsAndBatchAxis) {
  Shape s{100, 28, 28};
  EXPECT_EQ(s.num_elements(), 78400);
  EXPECT_EQ(s.without_batch(), Shape({28, 28}));
  EXPECT_EQ(s.without_batch().with_batch(), Shape({kUnknownDim, 28, 28}));
  EXPECT_EQ(Shape().num_elements(), 1);
}

TEST(Shape, NumElementsOfUnknownAxisIsAnInternalError) {
  EXPECT_THROW((void)Shape({kUnknownDim, 3}).num_elements(), fitcheck::core::InternalError);
  EXPECT_FALSE(Shape({kUnknownDim, 3}).fully_known());
}
