// NdArray → Table / Tensor conversions, and write_npy round trips through read_npy.
#include <cmath>
#include <fstream>
#include <limits>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/npy.hpp"
#include "npy_builder.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::core::ColumnType;
using fitcheck::core::DType;
using fitcheck::test::as_bytes;
using fitcheck::test::make_npy;
using fitcheck::test::raw_bytes;

fitcheck::io::NdArray parse(const std::string& content) { return fitcheck::io::parse_npy(as_bytes(content), "t.npy"); }

TEST(NdArrayToTable, IntegersBecomeInt64ColumnsKeepingTheSourceDtype) {
  auto a = parse(make_npy("{'descr': '<u1', 'fortran_order': False, 'shape': (2, 3)}", raw_bytes<std::uint8_t>({0, 255, 7, 1, 2, 3})));
  auto t = a.to_table("px");
  ASSERT_EQ(t.num_columns(), 3);
  ASSERT_EQ(t.num_rows(), 2);
  EXPECT_EQ(t.column(0).name, "px0");
  EXPECT_EQ(t.column(2).name, "px2");
  EXPECT_EQ(t.column(1).type, ColumnType::Int64);
  EXPECT_EQ(t.column(1).source_dtype, DType::UInt8);
  EXPECT_EQ(t.column(1).i64, (std::vector<std::int64_t>{255, 2}));
  EXPECT_EQ(t.source(), "t.npy");
}

TEST(NdArrayToTable, FloatsBecomeFloat64WithNanMarkedMissing) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto a = parse(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", raw_bytes<float>({1.5f, nan, -2.0f})));
  auto t = a.to_table("y");
  ASSERT_EQ(t.num_columns(), 1);
  const auto& c = t.column(0);
  EXPECT_EQ(c.name, "y0");
  EXPECT_EQ(c.type, ColumnType::Float64);
  EXPECT_EQ(c.source_dtype, DType::Float32);
  EXPECT_EQ(c.missing_count(), 1);
  EXPECT_FALSE(c.is_valid(1));
  EXPECT_EQ(c.f64[2], -2.0);
}

TEST(NdArrayToTable, Float16IsDecoded) {
  // 0x3c00 = 1.0, 0xc000 = -2.0, 0x0001 = 2^-24 (smallest subnormal), 0x7c00 = inf.
  auto a = parse(make_npy("{'descr': '<f2', 'fortran_order': False, 'shape': (4,)}",
                          raw_bytes<std::uint16_t>({0x3c00, 0xc000, 0x0001, 0x7c00})));
  EXPECT_EQ(a.value(0), 1.0);
  EXPECT_EQ(a.value(1), -2.0);
  EXPECT_EQ(a.value(2), std::ldexp(1.0, -24));
  EXPECT_TRUE(std::isinf(a.value(3)));
  EXPECT_EQ(a.to_table().column(0).source_dtype, DType::Float16);
}

TEST(NdArrayToTable, BoolsBecomeBoolColumnsAndAnyNonZeroByteIsTrue) {
  auto a = parse(make_npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}", raw_bytes<std::uint8_t>({0, 1, 7})));
  EXPECT_EQ(a.bytes[2], std::byte{1});
  auto c = a.to_table().column(0);
  EXPECT_EQ(c.type, ColumnType::Bool);
  EXPECT_EQ(c.b, (std::vector<std::uint8_t>{0, 1, 1}));
}

TEST(NdArrayToTable, HigherRanksFlattenTrailingAxesIntoColumns) {
  auto a = fitcheck::io::read_npy(fitcheck::test::test_data_path("npy/fixtures/rank3_fortran.npy"));
  auto t = a.to_table("p");
  ASSERT_EQ(t.num_rows(), 2);
  ASSERT_EQ(t.num_columns(), 12);
  // Row 1, column 5 = element 1*12 + 5 = 17, value 17 - 7.
  EXPECT_EQ(t.column(5).f64[1], 10.0);
  EXPECT_EQ(t.column(11).name, "p11");
}

TEST(NdArrayToTable, Uint64AboveInt64MaxMakesTheArrayFloat64) {
  auto a = fitcheck::io::read_npy(fitcheck::test::test_data_path("npy/fixtures/uint64_large.npy"));
  auto t = a.to_table();
  const auto& c = t.column(0);
  EXPECT_EQ(c.type, ColumnType::Float64);
  EXPECT_EQ(c.source_dtype, DType::UInt64);
  EXPECT_EQ(c.f64[0], 1.0);
  EXPECT_EQ(c.f64[2], 9223372036854775808.0);
  EXPECT_EQ(c.f64[3], 18446744073709551616.0);  // 2^64 - 1 rounds to 2^64

  // Values that all fit stay exact Int64.
  auto small = parse(make_npy("{'descr': '<u8', 'fortran_order': False, 'shape': (2,)}",
                              raw_bytes<std::uint64_t>({9223372036854775807ull, 3})));
  auto small_table = small.to_table();
  const auto& s = small_table.column(0);
  EXPECT_EQ(s.type, ColumnType::Int64);
  EXPECT_EQ(s.source_dtype, DType::UInt64);
  EXPECT_EQ(s.i64[0], std::numeric_limits<std::int64_t>::max());
}

TEST(NdArrayToTensor, ConvertsEveryDtypeToFloat32InTheSameShape) {
  auto a = parse(make_npy("{'descr': '>i2', 'fortran_order': True, 'shape': (2, 2)}",
                          raw_bytes<std::uint16_t>({0x0100, 0x0200, 0x0300, 0xfcff})));  // big-endian 1, 2, 3, -4
  auto t = a.to_tensor();
  EXPECT_EQ(t.shape(), (fitcheck::core::Shape{2, 2}));
  // Fortran: stored column by column, so row-major reads 1, 3, 2, -4.
  EXPECT_EQ(t[0], 1.0f);
  EXPECT_EQ(t[1], 3.0f);
  EXPECT_EQ(t[2], 2.0f);
  EXPECT_EQ(t[3], -4.0f);
}

TEST(NdArrayToTable, EmptyArrayWithAbsurdColumnCountIsRefused) {
  auto a = parse(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 100000000)}", ""));
  EXPECT_EQ(a.size(), 0);
  EXPECT_THROW((void)a.to_table(), fitcheck::core::InputError);
}

TEST(NdArray, TrailingBytesAfterTheDataAreIgnoredAsNumpyDoes) {
  auto a = parse(make_npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1,)}", raw_bytes<std::int32_t>({5, 6})));
  EXPECT_EQ(a.size(), 1);
  EXPECT_EQ(a.value(0), 5.0);
}

TEST(NdArray, HeaderGrammarVariantsNumpyAccepts) {
  // Double quotes, no trailing comma, odd spacing, format 2.0.
  auto a = parse(make_npy("{\"shape\":(2,),\"fortran_order\":False,\"descr\":\"<i8\"}", raw_bytes<std::int64_t>({-1, 2}), 2));
  EXPECT_EQ(a.value(0), -1.0);
  EXPECT_EQ(a.dtype, DType::Int64);
}

TEST(WriteNpy, RoundTripsThroughReadNpy) {
  fitcheck::test::TempDir dir;
  for (const auto& shape : {fitcheck::core::Shape{}, fitcheck::core::Shape{5}, fitcheck::core::Shape{2, 3},
                            fitcheck::core::Shape{2, 0, 3}, fitcheck::core::Shape{1, 2, 3, 4}}) {
    fitcheck::core::Tensor t(shape);
    for (std::int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i) * 0.5f - 1.0f;
    auto path = dir.path() / "out.npy";
    fitcheck::io::write_npy(path, t);
    auto back = fitcheck::io::read_npy(path);
    EXPECT_EQ(back.dtype, DType::Float32);
    EXPECT_EQ(back.shape, shape);
    auto bt = back.to_tensor();
    for (std::int64_t i = 0; i < t.size(); ++i) EXPECT_EQ(bt[i], t[i]);
    // The data starts on a 64-byte boundary, as numpy writes it.
    EXPECT_EQ((std::filesystem::file_size(path) - static_cast<std::uintmax_t>(t.size()) * 4) % 64, 0u);
  }
}

}  // namespace

namespace {

// Fuzz regression (tests/data/npy/regress): shape (0, 4735, 3) made to_table add 14205 columns
// one by one, quadratic in the column count; now they are added at once.
TEST(NdArrayToTable, FuzzRegressionWideEmptyArrayBuildsItsColumnsAtOnce) {
  auto a = fitcheck::io::read_npy(fitcheck::test::test_data_path("npy/regress/npy_wide_empty_table.npy"));
  EXPECT_EQ(a.shape, (fitcheck::core::Shape{0, 4735, 3}));
  auto t = a.to_table();
  EXPECT_EQ(t.num_columns(), 4735 * 3);
  EXPECT_EQ(t.num_rows(), 0);
  EXPECT_EQ(t.column(14204).name, "x14204");
}

}  // namespace
