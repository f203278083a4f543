// Dictionary encoding of CSV text: codes in first-seen order, stable across table growth.
#include "fitcheck/io/csv_dictionary.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {

using fitcheck::io::detail::DictionaryEncoder;
using fitcheck::io::detail::same_text;

// Texts of every length up to past the short-text path, equal, and differing at the first or
// last byte or in length (including a NUL inside).
TEST(CsvDictionary, SameTextAtEveryLength) {
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string a(n, 'x');
    EXPECT_TRUE(same_text(a, std::string(n, 'x'))) << n;
    EXPECT_FALSE(same_text(a, std::string(n + 1, 'x'))) << n;
    if (n == 0) continue;
    std::string last = a, first = a;
    last.back() = 'y';
    first.front() = '\0';
    EXPECT_FALSE(same_text(a, last)) << n;
    EXPECT_FALSE(same_text(a, first)) << n;
    EXPECT_FALSE(same_text(a, std::string_view(a).substr(1))) << n;
  }
}

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
