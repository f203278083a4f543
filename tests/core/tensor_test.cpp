#include "fitcheck/core/tensor.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"

using fitcheck::core::Shape;
using fitcheck::core::Tensor;

TEST(Tensor, ZeroFilledAndAligned) {
  Tensor t(Shape{3, 5});
  EXPECT_EQ(t.size(), 15);
  EXPECT_EQ(t.rank(), 2);
  for (float v : t.values()) EXPECT_EQ(v, 0.0f);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.data()) % 64, 0u);
}

TEST(Tensor, CopyIsDeepAndMoveTransfers) {
  std::vector<float> v{1, 2, 3, 4};
  Tensor a(Shape{2, 2}, v);
  Tensor b = a;
  b[0] = 9;
  EXPECT_EQ(a[0], 1.0f);
  Tensor c = std::move(b);
  EXPECT_EQ(c[0], 9.0f);
  EXPECT_EQ(c.shape(), Shape({2, 2}));
}

TEST(Tensor, ReshapeKeepsCountResizeReuses) {
  Tensor t(Shape{2, 6}, 1.0f);
  t.reshape(Shape{3, 4});
  EXPECT_EQ(t.shape(), Shape({3, 4}));
  EXPECT_THROW(t.reshape(Shape{5}), fitcheck::core::InternalError);
  const float* before = t.data();
  t.resize(Shape{2, 2});
  EXPECT_EQ(t.data(), before);
  EXPECT_EQ(t.size(), 4);
}

TEST(Tensor, SliceRowsCopiesARange) {
  std::vector<float> v{0, 1, 2, 3, 4, 5};
  Tensor t(Shape{3, 2}, v);
  Tensor s = t.slice_rows(1, 3);
  EXPECT_EQ(s.shape(), Shape({2, 2}));
  EXPECT_EQ(s[0], 2.0f);
  EXPECT_EQ(s[3], 5.0f);
  EXPECT_EQ(t.slice_rows(3, 3).size(), 0);
  EXPECT_THROW((void)t.slice_rows(2, 4), fitcheck::core::InternalError);
}

TEST(Tensor, ValueCountMustMatchShape) {
  std::vector<float> v{1, 2, 3};
  EXPECT_THROW(Tensor(Shape{2, 2}, v), fitcheck::core::InternalError);
}

#if defined(__linux__)
// Large buffers are advised to use transparent huge pages: /proc/self/smaps shows the mapping
// that holds a 64 MB tensor's middle as eligible, unless the system has THP switched off.
TEST(Tensor, LargeBuffersAskForHugePages) {
  std::ifstream setting("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode((std::istreambuf_iterator<char>(setting)), std::istreambuf_iterator<char>());
  if (mode.empty() || mode.find("[never]") != std::string::npos) GTEST_SKIP() << "transparent huge pages are off";
  Tensor t(Shape{16, 1024, 1024});
  const auto middle = reinterpret_cast<std::uintptr_t>(t.data() + t.size() / 2);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false, found = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > line.find(' ')) {
      inside = lo <= middle && middle < hi;
    } else if (inside && line.rfind("THPeligible:", 0) == 0) {
      EXPECT_NE(line.find('1'), std::string::npos) << line;
      found = true;
    }
  }
  EXPECT_TRUE(found) << "no smaps entry for the tensor's memory";
}
#endif
