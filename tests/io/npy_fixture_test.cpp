// Every fixture numpy wrote (tests/data/npy/make_fixtures.py) read back element by element
// against expected.json: the dtype x byte order x C/Fortran matrix, format versions 1-3, ranks
// 0-4, zero-size arrays, Python 2 headers and .npz archives (stored and deflated).
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/io/npy.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::core::DType;
using fitcheck::io::NdArray;
using nlohmann::json;

const json& expected_arrays() {
  static const json doc = [] {
    std::ifstream in(fitcheck::test::test_data_path("npy/expected.json"));
    return json::parse(in);
  }();
  return doc.at("arrays");
}

using fitcheck::test::npy_fixture_path;

template <typename T>
T raw_element(const NdArray& a, std::int64_t i) {
  T v;
  std::memcpy(&v, a.bytes.data() + static_cast<std::size_t>(i) * sizeof(T), sizeof(T));
  return v;
}

// Compares element i exactly: integers bit for bit (int64/uint64 extremes included), floats as
// the same double (NaN, ±inf and -0.0 by kind).
void expect_element(const NdArray& a, std::int64_t i, const json& want, const std::string& label) {
  SCOPED_TRACE(label + " element " + std::to_string(i));
  switch (a.dtype) {
    case DType::Bool:
      EXPECT_EQ(raw_element<std::uint8_t>(a, i), want.get<bool>() ? 1 : 0);
      EXPECT_EQ(a.value(i), want.get<bool>() ? 1.0 : 0.0);
      return;
    case DType::Int8: EXPECT_EQ(raw_element<std::int8_t>(a, i), want.get<std::int64_t>()); break;
    case DType::Int16: EXPECT_EQ(raw_element<std::int16_t>(a, i), want.get<std::int64_t>()); break;
    case DType::Int32: EXPECT_EQ(raw_element<std::int32_t>(a, i), want.get<std::int64_t>()); break;
    case DType::Int64: EXPECT_EQ(raw_element<std::int64_t>(a, i), want.get<std::int64_t>()); break;
    case DType::UInt8: EXPECT_EQ(raw_element<std::uint8_t>(a, i), want.get<std::uint64_t>()); break;
    case DType::UInt16: EXPECT_EQ(raw_element<std::uint16_t>(a, i), want.get<std::uint64_t>()); break;
    case DType::UInt32: EXPECT_EQ(raw_element<std::uint32_t>(a, i), want.get<std::uint64_t>()); break;
    case DType::UInt64: EXPECT_EQ(raw_element<std::uint64_t>(a, i), want.get<std::uint64_t>()); break;
    default: break;
  }
  if (fitcheck::core::dtype_is_integer(a.dtype)) {
    EXPECT_EQ(a.value(i), want.get<double>());
    return;
  }
  const double got = a.value(i);
  if (want.is_string()) {
    const auto s = want.get<std::string>();
    if (s == "nan") {
      EXPECT_TRUE(std::isnan(got)) << got;
    } else {
      EXPECT_TRUE(std::isinf(got)) << got;
      EXPECT_EQ(got > 0, s == "inf");
    }
    return;
  }
  EXPECT_EQ(got, want.get<double>());
  EXPECT_EQ(std::signbit(got), std::signbit(want.get<double>()));
}

void expect_array(const NdArray& a, const json& want, const std::string& label) {
  SCOPED_TRACE(label);
  EXPECT_EQ(fitcheck::core::dtype_name(a.dtype), want.at("dtype").get<std::string>());
  EXPECT_EQ(a.shape.dims(), want.at("shape").get<std::vector<std::int64_t>>());
  const auto& values = want.at("values");
  ASSERT_EQ(a.size(), static_cast<std::int64_t>(values.size()));
  ASSERT_EQ(a.bytes.size(), values.size() * fitcheck::core::dtype_size(a.dtype));
  for (std::int64_t i = 0; i < a.size(); ++i) expect_element(a, i, values[static_cast<std::size_t>(i)], label);
}

TEST(NpyFixtures, CoverTheWholeDtypeByteOrderLayoutMatrix) {
  // 3 one-byte dtypes x {|, =} + 9 wider ones x {<, >, =}, each C and Fortran.
  int matrix = 0;
  for (const auto& e : expected_arrays()) matrix += e.contains("byte_order") ? 1 : 0;
  EXPECT_EQ(matrix, (3 * 2 + 9 * 3) * 2);
}

TEST(NpyFixtures, EveryNpyFileMatchesNumpyElementByElement) {
  int checked = 0;
  for (const auto& e : expected_arrays()) {
    if (e.contains("key")) continue;
    const auto name = e.at("file").get<std::string>();
    expect_array(fitcheck::io::read_npy(npy_fixture_path(name)), e, name);
    ++checked;
  }
  EXPECT_GE(checked, 70);
}

TEST(NpyFixtures, ParseFromMemoryEqualsReadFromFile) {
  for (const auto& e : expected_arrays()) {
    if (e.contains("key")) continue;
    const auto name = e.at("file").get<std::string>();
    std::ifstream in(npy_fixture_path(name), std::ios::binary);
    std::vector<char> content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto from_memory = fitcheck::io::parse_npy(std::as_bytes(std::span<const char>(content)), name);
    auto from_file = fitcheck::io::read_npy(npy_fixture_path(name));
    EXPECT_EQ(from_memory.bytes, from_file.bytes) << name;
    EXPECT_EQ(from_memory.shape, from_file.shape) << name;
    EXPECT_EQ(from_memory.source, name);
  }
}

TEST(NpyFixtures, NpzMembersStoredAndDeflatedMatchNumpy) {
  int checked = 0;
  for (const auto& e : expected_arrays()) {
    if (!e.contains("key")) continue;
    const auto file = e.at("file").get<std::string>();
    const auto key = e.at("key").get<std::string>();
    auto one = fitcheck::io::read_npz_array(npy_fixture_path(file), key);
    expect_array(one, e, file + "[" + key + "]");
    EXPECT_EQ(one.source, npy_fixture_path(file).string() + "[" + key + "]");
    auto all = fitcheck::io::read_npz(npy_fixture_path(file));
    ASSERT_TRUE(all.contains(key));
    EXPECT_EQ(all.at(key).bytes, one.bytes);
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(NpyFixtures, NpzKeysAreMemberNamesWithoutTheExtension) {
  EXPECT_EQ(fitcheck::io::npz_keys(npy_fixture_path("deflated.npz")), (std::vector<std::string>{"x_train", "y_train"}));
}

TEST(NpyFixtures, VersionsTwoAndThreeAreRead) {
  auto v2 = fitcheck::io::read_npy(npy_fixture_path("version2.npy"));
  EXPECT_EQ(v2.dtype, DType::Float64);
  EXPECT_EQ(v2.value(5), 1.25);
  auto v3 = fitcheck::io::read_npy(npy_fixture_path("version3.npy"));
  EXPECT_EQ(v3.dtype, DType::Int32);
  EXPECT_EQ(v3.shape, (fitcheck::core::Shape{2, 3}));
}

TEST(NpyFixtures, FortranOrderBecomesCOrder) {
  // numpy: np.arange(24).reshape(2, 3, 4) - 7, stored column-major.
  auto a = fitcheck::io::read_npy(npy_fixture_path("rank3_fortran.npy"));
  ASSERT_EQ(a.size(), 24);
  for (std::int64_t i = 0; i < 24; ++i) EXPECT_EQ(a.value(i), static_cast<double>(i - 7)) << i;
}

TEST(NpyFixtures, ScalarAndZeroSizeArrays) {
  auto s = fitcheck::io::read_npy(npy_fixture_path("scalar.npy"));
  EXPECT_EQ(s.shape.rank(), 0);
  EXPECT_EQ(s.size(), 1);
  EXPECT_EQ(s.value(0), 3.5);
  auto t = s.to_tensor();
  EXPECT_EQ(t.rank(), 0);
  EXPECT_EQ(t[0], 3.5f);
  auto table = s.to_table();
  EXPECT_EQ(table.num_rows(), 1);
  EXPECT_EQ(table.num_columns(), 1);

  auto e = fitcheck::io::read_npy(npy_fixture_path("empty_rows.npy"));
  EXPECT_EQ(e.shape, (fitcheck::core::Shape{0, 3}));
  EXPECT_EQ(e.size(), 0);
  EXPECT_TRUE(e.bytes.empty());
  EXPECT_EQ(e.to_tensor().size(), 0);
  auto et = e.to_table();
  EXPECT_EQ(et.num_rows(), 0);
  EXPECT_EQ(et.num_columns(), 3);

  auto m = fitcheck::io::read_npy(npy_fixture_path("empty_middle.npy"));
  EXPECT_EQ(m.shape, (fitcheck::core::Shape{2, 0, 4}));
  EXPECT_EQ(m.size(), 0);
  auto mt = m.to_table();
  EXPECT_EQ(mt.num_columns(), 0);
}

TEST(NpyFixtures, Python2LongIntegersInTheShapeAreAccepted) {
  auto a = fitcheck::io::read_npy(npy_fixture_path("python2_long.npy"));
  EXPECT_EQ(a.shape, (fitcheck::core::Shape{2, 3}));
  EXPECT_EQ(a.value(5), 5.0);
}

}  // namespace
