#include "fitcheck/core/table.hpp"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"

using fitcheck::core::Column;
using fitcheck::core::ColumnType;
using fitcheck::core::InputError;
using fitcheck::core::Table;
using testing::HasSubstr;

namespace {
Table sample() {
  Table t;
  t.set_source("train.csv");
  t.add_column(Column::float64("income", {1.5, 0.0, 3.0}, {1, 0, 1}));
  t.add_column(Column::int64("age", {30, 40, 50}));
  t.add_column(Column::categorical("city", {0, 1, -1}, {"Paris", "Lyon"}, {1, 1, 0}));
  t.add_column(Column::boolean("member", {1, 0, 1}));
  return t;
}
}  // namespace

TEST(Table, ColumnsKeepTypeValuesAndMissingMask) {
  Table t = sample();
  EXPECT_EQ(t.num_rows(), 3);
  EXPECT_EQ(t.num_columns(), 4);
  EXPECT_EQ(t.column(0).missing_count(), 1);
  EXPECT_EQ(t.column(1).missing_count(), 0);
  EXPECT_TRUE(std::isnan(t.column(0).as_double(1)));
  EXPECT_EQ(t.column(1).as_double(2), 50.0);
  EXPECT_EQ(t.column(3).as_double(0), 1.0);
  EXPECT_EQ(t.column(2).as_string(1), "Lyon");
  EXPECT_EQ(t.column(2).as_string(2), "");
  EXPECT_EQ(t.column(2).type, ColumnType::Categorical);
}

TEST(Table, RowCountsMustAgree) {
  Table t = sample();
  try {
    t.add_column(Column::int64("short", {1, 2}));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("\"short\""));
    EXPECT_THAT(e.what(), HasSubstr("expected 3 rows, got 2"));
  }
}

TEST(Table, DuplicateNamesAreRefused) {
  Table t = sample();
  EXPECT_THROW(t.add_column(Column::int64("age", {1, 2, 3})), InputError);
}

TEST(Table, SelectAndTakeByNameSuggestTheNearestName) {
  Table t = sample();
  Table s = t.select({"city", "age"});
  EXPECT_EQ(s.column_names(), (std::vector<std::string>{"city", "age"}));
  try {
    (void)t.select({"incme"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("Did you mean \"income\"?"));
  }
  Column age = t.take("age");
  EXPECT_EQ(age.i64[1], 40);
  EXPECT_FALSE(t.find("age"));
  EXPECT_EQ(t.num_columns(), 3);
}

TEST(Table, NearestNameNeedsACloseMatch) {
  EXPECT_EQ(fitcheck::core::nearest_name("labl", {"label", "feature"}), "label");
  EXPECT_FALSE(fitcheck::core::nearest_name("zzzzzz", {"label", "feature"}));
}

TEST(Table, AddColumnsAppliesTheSameChecksInLinearTime) {
  using fitcheck::core::Column;
  fitcheck::core::Table t;
  t.add_column(Column::int64("a", {1, 2}));
  std::vector<Column> more;
  for (int i = 0; i < 20000; ++i) more.push_back(Column::float64(std::string("c").append(std::to_string(i)), {0.0, 1.0}));
  t.add_columns(std::move(more));
  EXPECT_EQ(t.num_columns(), 20001);
  EXPECT_EQ(t.num_rows(), 2);
  EXPECT_EQ(t.find("c19999"), 20000);
  std::vector<Column> dup;
  dup.push_back(Column::int64("a", {1, 2}));
  EXPECT_THROW(t.add_columns(std::move(dup)), fitcheck::core::InputError);
  std::vector<Column> ragged;
  ragged.push_back(Column::int64("z", {1, 2, 3}));
  EXPECT_THROW(t.add_columns(std::move(ragged)), fitcheck::core::InputError);
  fitcheck::core::Table empty;
  std::vector<Column> first;
  first.push_back(Column::boolean("b", {1, 0, 1}));
  empty.add_columns(std::move(first));
  EXPECT_EQ(empty.num_rows(), 3);
}
