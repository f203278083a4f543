// Numbers a CSV holds as text: recognised by their writing conventions, and real categories,
// dates and codes left alone.
#include "fitcheck/doctor/numeric_text.hpp"

#include <gtest/gtest.h>

#include "doctor/check_fixture.hpp"

namespace fitcheck::doctor {
namespace {

core::Column text(const std::vector<std::string>& values) {
  std::vector<std::string> dictionary;
  std::vector<std::int32_t> codes;
  for (const auto& v : values) {
    std::size_t k = 0;
    while (k < dictionary.size() && dictionary[k] != v) ++k;
    if (k == dictionary.size()) dictionary.push_back(v);
    codes.push_back(static_cast<std::int32_t>(k));
  }
  return core::Column::categorical("v", std::move(codes), std::move(dictionary));
}

std::string format_of(const std::vector<std::string>& values) {
  const auto found = numbers_written_as_text(text(values));
  return found ? found->format : "";
}

TEST(NumericText, WritingConventions) {
  EXPECT_EQ(format_of({"1,5", "0,066", "-2,75", "13"}), "a decimal comma");
  EXPECT_EQ(format_of({"1.234,56", "12,5", "3.000,00"}), "a decimal comma");
  EXPECT_EQ(format_of({"1,234", "12,345,678", "999", "1,000"}), "thousands separators");
  EXPECT_EQ(format_of({"1,234.50", "12.25", "100"}), "thousands separators");
  EXPECT_EQ(format_of({"1 234", "56 789", "12"}), "thousands separators");
  EXPECT_EQ(format_of({"$12.50", "$1,200.00", "$0.99"}), "currency symbols");
  EXPECT_EQ(format_of({"\xe2\x82\xac 3,50", "12,00 \xe2\x82\xac"}), "a decimal comma");
  EXPECT_EQ(format_of({"45%", "3.5%", "100%"}), "percent signs");
}

TEST(NumericText, AFewStrayWordsStillCount) {
  std::vector<std::string> v(19, "2,5");
  v.push_back("unknown");  // 95% numbers
  const auto found = numbers_written_as_text(text(v));
  ASSERT_TRUE(found);
  EXPECT_NEAR(found->share, 0.95, 1e-12);
  EXPECT_EQ(found->example, "2,5");
  v.push_back("n/a");
  v.push_back("other");  // 19 of 22: below 90%
  EXPECT_FALSE(numbers_written_as_text(text(v)));
}

TEST(NumericText, CategoriesDatesAndCodesAreNotNumbers) {
  EXPECT_EQ(format_of({"red", "green", "blue"}), "");
  EXPECT_EQ(format_of({"2021-01-05", "2021-02-11"}), "");
  EXPECT_EQ(format_of({"A1", "B2", "C3"}), "");
  EXPECT_EQ(format_of({"1.2.3", "2.0.1"}), "");
  EXPECT_EQ(format_of({"555 1234", "555 9876"}), "");
  EXPECT_EQ(format_of({"12:30", "08:15"}), "");
  // Plain numbers are kept as text only for another reason (quoted ids, mixed with words).
  EXPECT_EQ(format_of({"1", "2", "3.5"}), "");
  core::Column numbers = core::Column::float64("x", {1.0, 2.0});
  EXPECT_FALSE(numbers_written_as_text(numbers));
}

// The checks: a decimal-comma column is data.dtype (error fed raw, warning under "auto", whose
// encoders would take it for categories), never categorical or high-cardinality data.
TEST(NumericText, ReportedAsDtypeNotAsCategories) {
  std::vector<std::string> values;
  for (int i = 0; i < 200; ++i) values.push_back(std::to_string(i / 10) + "," + std::to_string(i % 10) + "7");
  for (const char* preprocess : {"none", "auto"}) {
    auto run = test::make_run({{"preprocess", preprocess}});
    CheckContext ctx;
    ctx.run = &run;
    std::vector<double> other(200);
    for (int i = 0; i < 200; ++i) other[static_cast<std::size_t>(i)] = i % 7;
    ctx.train = test::make_split(test::table_block(test::table_of({text(values), core::Column::float64("w", other)})),
                                 test::table_block(test::table_of({core::Column::float64("y", std::vector<double>(200, 1.0))})));
    const auto dtype = test::run_category(ctx, "data.dtype");
    ASSERT_EQ(dtype.size(), 1u) << preprocess;
    EXPECT_EQ(dtype[0].severity, std::string(preprocess) == "none" ? Severity::Error : Severity::Warning);
    EXPECT_NE(dtype[0].title.find("decimal comma"), std::string::npos) << dtype[0].title;
    EXPECT_TRUE(test::run_category(ctx, "data.categorical_unencoded").empty()) << preprocess;
    EXPECT_TRUE(test::run_category(ctx, "data.high_cardinality").empty()) << preprocess;
  }
}

}  // namespace
}  // namespace fitcheck::doctor
