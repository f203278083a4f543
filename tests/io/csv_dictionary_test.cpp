// Dictionary encoding of CSV text: codes in first-seen order, stable across table growth.
#include "fitcheck/io/csv_dictionary.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {

using fitcheck::io::detail::DictionaryEncoder;

TEST(CsvDictionary, CodesFollowFirstSeenOrderThroughGrowth) {
  DictionaryEncoder enc;
  for (int i = 0; i < 50000; ++i) {
    std::string key = "k";
    key += std::to_string(i);
    ASSERT_EQ(enc.encode(key), i);
  }
  for (int i = 49999; i >= 0; i -= 7) {
    std::string key = "k";
    key += std::to_string(i);
    ASSERT_EQ(enc.encode(key), i);
  }
  EXPECT_EQ(enc.size(), 50000);
  EXPECT_EQ(enc.dictionary()[123], "k123");
}

TEST(CsvDictionary, DistinguishesPrefixesEmptyAndLongStrings) {
  DictionaryEncoder enc;
  const std::string long_a(100, 'a');
  std::string long_b = long_a;
  long_b.back() = 'b';
  EXPECT_EQ(enc.encode(""), 0);
  EXPECT_EQ(enc.encode("a"), 1);
  EXPECT_EQ(enc.encode("aa"), 2);
  EXPECT_EQ(enc.encode(long_a), 3);
  EXPECT_EQ(enc.encode(long_b), 4);
  EXPECT_EQ(enc.encode(std::string_view("a\0b", 3)), 5);
  EXPECT_EQ(enc.encode("aa"), 2);
  EXPECT_EQ(enc.encode(long_b), 4);
  auto dict = enc.take_dictionary();
  EXPECT_EQ(dict.size(), 6u);
  EXPECT_EQ(enc.size(), 0);
  EXPECT_EQ(enc.encode("x"), 0);  // usable again after take_dictionary
}

}  // namespace
