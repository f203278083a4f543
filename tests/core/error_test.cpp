#include "fitcheck/core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using fitcheck::core::ErrorKind;
using fitcheck::core::InputError;
using fitcheck::core::InternalError;
using testing::HasSubstr;

TEST(Error, MessageNamesWhereWhatExpectedGotAndHint) {
  InputError e({.where = "train.csv:17: column \"age\"",
                .what = "not a number",
                .expected = "a number",
                .got = "\"n/a\"",
                .hint = "Declare it missing or fix the row."});
  EXPECT_STREQ(e.what(),
               "train.csv:17: column \"age\": not a number; expected a number, got \"n/a\". "
               "Declare it missing or fix the row.");
  EXPECT_EQ(e.kind(), ErrorKind::Input);
}

TEST(Error, OptionalPartsAreLeftOut) {
  InputError e({.where = "x.npy", .what = "the file is empty"});
  EXPECT_STREQ(e.what(), "x.npy: the file is empty.");
  InputError only_got({.what = "bad magic", .got = "\"PK\""});
  EXPECT_STREQ(only_got.what(), "bad magic; got \"PK\".");
}

TEST(Error, FileLocationOmitsLineZero) {
  EXPECT_EQ(fitcheck::core::file_location("a.csv", 0), "a.csv");
  EXPECT_EQ(fitcheck::core::file_location("a.csv", 12), "a.csv:12");
}

TEST(Error, CheckMacroThrowsInternalErrorWithOurLocation) {
  auto fails = [] { FITCHECK_CHECK(1 + 1 == 3, "arithmetic"); };
  try {
    fails();
    FAIL() << "no throw";
  } catch (const InternalError& e) {
    EXPECT_THAT(e.what(), HasSubstr("error_test.cpp"));
    EXPECT_THAT(e.what(), HasSubstr("1 + 1 == 3"));
  }
}
