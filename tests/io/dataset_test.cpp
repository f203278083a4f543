#include "fitcheck/io/dataset.hpp"

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using namespace fitcheck;

TEST(Dataset, CsvSplitsTheTargetFromTheFeatures) {
  auto run = io::load_run_file(test::test_case_path("categorical_strings") / "run.json");
  auto d = io::load_dataset(run.train, "train");
  EXPECT_EQ(d.x.kind, io::DataBlock::Kind::Table);
  ASSERT_TRUE(d.y.has_value());
  EXPECT_EQ(d.target, "label");
  EXPECT_FALSE(d.x.table.find("label").has_value());
  EXPECT_EQ(d.y->rows(), d.x.rows());
  EXPECT_EQ(d.x.dtype(), core::DType::String);  // the colour column is text
  EXPECT_EQ(d.x.shape().rank(), 2);
}

TEST(Dataset, NpyKeepsTheStoredDtypeAndShape) {
  auto run = io::load_run_file(test::test_case_path("uint8_pixels") / "run.json");
  auto d = io::load_dataset(run.train, "train");
  EXPECT_EQ(d.x.kind, io::DataBlock::Kind::Array);
  EXPECT_EQ(d.x.dtype(), core::DType::UInt8);
  ASSERT_TRUE(d.y.has_value());
  EXPECT_EQ(d.x.rows(), d.y->rows());
}

TEST(Dataset, UnknownTargetColumnSuggestsTheNearest) {
  test::TempDir dir;
  auto csv = dir.write("t.csv", "age,income,labell\n1,2,0\n3,4,1\n");
  io::DataSource src;
  src.kind = io::DataSource::Kind::Csv;
  src.csv = csv;
  src.target = "label";
  try {
    (void)io::load_dataset(src, "train");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("labell"), std::string::npos) << e.what();
  }
}

TEST(Dataset, FeaturesAndLabelsWithDifferentRowCountsAreRefused) {
  test::TempDir dir;
  io::DataSource src;
  src.kind = io::DataSource::Kind::Npy;
  src.x = test::test_case_path("uint8_pixels") / "x_train.npy";
  src.y = test::test_case_path("class_imbalance") / "y_train.npy";
  auto x = io::read_npy(src.x);
  auto y = io::read_npy(src.y);
  if (x.shape[0] == y.shape[0]) GTEST_SKIP() << "fixtures happen to have equal row counts";
  EXPECT_THROW((void)io::load_dataset(src, "train"), core::InputError);
}

}  // namespace
