// The HDF5 layer under the Keras readers: every dataset type, byte order, rank and attribute
// form h5py writes (tests/data/keras/fixtures/datasets.h5, values in expected.json).
#include <cstring>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/hdf5_file.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::io::detail::Hdf5File;
using ::testing::HasSubstr;

std::filesystem::path datasets_h5() { return fitcheck::test::test_data_path("keras/fixtures/datasets.h5"); }

const nlohmann::json& expected() {
  static const nlohmann::json doc = [] {
    std::ifstream in(fitcheck::test::test_data_path("keras/expected.json"));
    return nlohmann::json::parse(in).at("datasets.h5");
  }();
  return doc;
}

TEST(Hdf5File, EveryNumericDatasetTypeMatchesH5py) {
  Hdf5File h5(datasets_h5());
  int checked = 0;
  for (const auto& [name, want] : expected().items()) {
    SCOPED_TRACE(name);
    auto a = h5.read_dataset(name);
    EXPECT_EQ(fitcheck::core::dtype_name(a.dtype), want.at("dtype").get<std::string>());
    EXPECT_EQ(a.shape.dims(), want.at("shape").get<std::vector<std::int64_t>>());
    const auto& values = want.at("values");
    ASSERT_EQ(a.size(), static_cast<std::int64_t>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto& v = values[i];
      if (a.dtype == fitcheck::core::DType::Int64) {
        std::int64_t got;
        std::memcpy(&got, a.bytes.data() + 8 * i, 8);
        EXPECT_EQ(got, v.get<std::int64_t>());
      } else if (a.dtype == fitcheck::core::DType::UInt64) {
        std::uint64_t got;
        std::memcpy(&got, a.bytes.data() + 8 * i, 8);
        EXPECT_EQ(got, v.get<std::uint64_t>());
      } else if (v.is_boolean()) {
        EXPECT_EQ(a.value(static_cast<std::int64_t>(i)), v.get<bool>() ? 1.0 : 0.0);
      } else {
        EXPECT_EQ(a.value(static_cast<std::int64_t>(i)), v.get<double>()) << i;
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

TEST(Hdf5File, StringAttributesFixedAndVariableLength) {
  Hdf5File h5(datasets_h5());
  EXPECT_EQ(h5.string_attribute("", "vlen"), "variable length text");
  EXPECT_EQ(h5.string_attribute("/", "fixed"), "fixed length text");
  EXPECT_EQ(h5.string_list_attribute("", "list_vlen"), (std::vector<std::string>{"x", "yy", "zzz"}));
  EXPECT_EQ(h5.string_list_attribute("", "list_fixed"), (std::vector<std::string>{"x", "yy", "zzz"}));
  EXPECT_EQ(h5.string_list_attribute("", "empty_list"), std::vector<std::string>{});
  EXPECT_EQ(h5.string_attribute("", "absent"), std::nullopt);
  EXPECT_FALSE(h5.has_attribute("no/such/group", "x"));
  EXPECT_THROW((void)h5.string_attribute("", "number"), fitcheck::core::InputError);
  EXPECT_THROW((void)h5.string_attribute("", "list_vlen"), fitcheck::core::InputError);  // three strings, not one
}

TEST(Hdf5File, GroupsAndChildren) {
  Hdf5File h5(datasets_h5());
  EXPECT_TRUE(h5.is_group(""));
  EXPECT_TRUE(h5.is_dataset("f8"));
  EXPECT_FALSE(h5.is_group("f8"));
  EXPECT_FALSE(h5.is_dataset("missing/deeper"));
  auto names = h5.children("");
  EXPECT_EQ(names.size(), 13u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(Hdf5File, RefusalsNameTheObject) {
  Hdf5File h5(datasets_h5());
  try {
    (void)h5.read_dataset("text");
    ADD_FAILURE();
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("datasets.h5[text]: unsupported dataset type"));
  }
  EXPECT_THROW((void)h5.read_dataset("no_such"), fitcheck::core::InputError);
  std::vector<std::byte> junk(64, std::byte{0x41});
  EXPECT_THROW(Hdf5File(junk, "mem.h5"), fitcheck::core::InputError);
  // A valid signature followed by garbage: HDF5 refuses it, we report it.
  std::memcpy(junk.data(), "\x89HDF\r\n\x1a\n", 8);
  try {
    Hdf5File bad(junk, "mem.h5");
    ADD_FAILURE();
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("mem.h5"));
  }
}

}  // namespace
