#include <gtest/gtest.h>

#include "check_fixture.hpp"

namespace {

using namespace fitcheck;
using nlohmann::json;

// A table with a text column of `levels` levels over `rows` rows and a numeric column.
core::Table table(int rows, int levels) {
  std::vector<std::int32_t> codes;
  std::vector<std::string> dict;
  for (int l = 0; l < levels; ++l) dict.push_back(test::indexed("city_", l));
  std::vector<double> num;
  for (int i = 0; i < rows; ++i) {
    codes.push_back(i % levels);
    num.push_back(static_cast<double>(i % 17));
  }
  return test::table_of({core::Column::categorical("city", codes, dict), core::Column::float64("size", num)});
}

std::vector<doctor::Finding> check(int rows, int levels, const json& preprocess) {
  auto run = test::make_run({{"data", {{"train", {{"csv", "train.csv"}, {"target", "y"}, {"x", nullptr}, {"y", nullptr}}}}},
                             {"preprocess", preprocess}});
  doctor::CheckContext ctx;
  ctx.run = &run;
  std::vector<double> y(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) y[static_cast<std::size_t>(i)] = i % 2;
  ctx.train = test::make_split(test::table_block(table(rows, levels)),
                               test::table_block(test::table_of({core::Column::float64("y", y)})), "y");
  return test::run_category(ctx, "data.high_cardinality");
}

TEST(HighCardinality, TooManyLevelsForOneHot) {
  const json onehot = json::array({{{"columns", {"city"}}, {"steps", {{{"onehot", {{"handle_unknown", "ignore"}}}}}}},
                                   {{"columns", {"size"}}, {"steps", {{{"scale", "standard"}}}}}});
  auto f = check(5000, 300, onehot);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, doctor::Severity::Warning);
  EXPECT_EQ(f[0].evidence["levels"], 300);
  EXPECT_EQ(f[0].where["columns"], json({"city"}));
  ASSERT_TRUE(f[0].repair);
  EXPECT_TRUE((*f[0].repair)["preprocess"][0]["steps"][0].contains("ordinal"));
  EXPECT_EQ((*f[0].repair)["preprocess"][1], onehot[1]);  // other groups untouched
  // Few rows per level also counts: 50 levels over 200 rows (4 per level).
  EXPECT_EQ(check(200, 50, onehot).size(), 1u);
  // Cheap one-hot: 15 levels, or 50 levels with 100 rows each.
  EXPECT_TRUE(check(5000, 15, onehot).empty());
  EXPECT_TRUE(check(5000, 50, onehot).empty());
}

TEST(HighCardinality, RawAutoAndOrdinal) {
  auto raw = check(5000, 300, "none");
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ((*raw[0].repair)["preprocess"], "auto");
  EXPECT_EQ(check(5000, 300, "auto").size(), 1u);
  const json ordinal = json::array({{{"columns", {"city"}}, {"steps", {{{"ordinal", json::object()}}}}}});
  auto o = check(5000, 300, ordinal);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].severity, doctor::Severity::Info);
}

TEST(HighCardinality, IdentifierColumns) {
  auto f = check(1000, 1000, "none");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].title.find("identifier"), std::string::npos);
  EXPECT_EQ((*f[0].repair)["data"]["train"]["features"], json({"size"}));
  EXPECT_TRUE(check(1000, 1000, "auto").empty());  // auto drops identifier-like columns itself
}

}  // namespace
