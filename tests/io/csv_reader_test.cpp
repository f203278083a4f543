// CSV reader: one test per edge case of the format, the type rules and the errors.
#include "fitcheck/io/csv_reader.hpp"

#include <cmath>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "support/temp_dir.hpp"

namespace {

using fitcheck::core::ColumnType;
using fitcheck::core::DType;
using fitcheck::core::InputError;
using fitcheck::io::CsvOptions;
using fitcheck::io::CsvResult;
using fitcheck::io::parse_csv;
using ::testing::HasSubstr;

CsvResult parse(std::string_view text, CsvOptions options = {}) { return parse_csv(text, "t.csv", options); }

std::string csv_error_of(std::string_view text, CsvOptions options = {}) {
  try {
    parse(text, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const fitcheck::core::Column& col(const CsvResult& r, std::string_view name) {
  auto i = r.table.find(name);
  EXPECT_TRUE(i.has_value()) << "no column " << name;
  return r.table.column(i.value_or(0));
}

bool has_note(const CsvResult& r, std::string_view column, std::string_view text) {
  for (const auto& n : r.notes) {
    if (n.column == column && n.message.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(CsvReader, ReadsASimpleFileWithHeader) {
  auto r = parse("a,b,c\n1,2.5,x\n3,4.5,y\n");
  EXPECT_TRUE(r.header);
  EXPECT_EQ(r.delimiter, ',');
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(col(r, "a").type, ColumnType::Int64);
  EXPECT_EQ(col(r, "a").i64, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(col(r, "b").type, ColumnType::Float64);
  EXPECT_EQ(col(r, "b").f64, (std::vector<double>{2.5, 4.5}));
  EXPECT_EQ(col(r, "c").type, ColumnType::Categorical);
  EXPECT_EQ(r.table.source(), "t.csv");
}

TEST(CsvReader, QuotedFieldsHoldDelimitersEscapedQuotesAndNewlines) {
  auto r = parse("name,text\n\"Smith, J\",\"He said \"\"hi\"\"\"\n\"x\",\"two\nlines\"\n");
  ASSERT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(col(r, "name").as_string(0), "Smith, J");
  EXPECT_EQ(col(r, "text").as_string(0), "He said \"hi\"");
  EXPECT_EQ(col(r, "text").as_string(1), "two\nlines");
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsData) {
  auto r = parse("size,n\n5\" tall,1\n6\",2\n");
  EXPECT_EQ(col(r, "size").as_string(0), "5\" tall");
  EXPECT_EQ(col(r, "size").as_string(1), "6\"");
}

TEST(CsvReader, TextAfterAClosingQuoteIsAppended) {
  auto r = parse("a,b\n\"ab\"cd,1\n");
  EXPECT_EQ(col(r, "a").as_string(0), "abcd");
}

TEST(CsvReader, EmbeddedNewlinesKeepLineNumbersRight) {
  // Line 4 is a continuation of the quoted field that starts on line 3; the bad row is line 5.
  const std::string text = "a,b\n1,x\n2,\"multi\nline\"\n3\n";
  EXPECT_THAT(csv_error_of(text), HasSubstr("t.csv:5: expected 2 fields, found 1"));
}

// Files above 8 MiB are cut into 4 MiB blocks whose first lines are counted in parallel: a bad
// row in the fourth block, after quoted newlines in the first, still gets its own line number.
TEST(CsvReader, LineNumbersAcrossBlocks) {
  std::string text = "a,b\n1,\"two\nlines\"\n";
  const int rows = 1'600'000;  // about 14 MB
  for (int i = 0; i < rows; ++i) text += "12345,67\n";
  text += "7\n";  // line 1 (header) + 2 (the quoted row) + rows + 1
  EXPECT_THAT(csv_error_of(text), HasSubstr(fmt::format("t.csv:{}: expected 2 fields, found 1", rows + 4)));
}

// Quote-free text, four blocks: a stray word in the third block is noted at its own line, and a
// short row in the fourth block is reported at its own.
TEST(CsvReader, LineNumbersOfNotesAndErrorsInLaterBlocks) {
  std::string text = "a,b\n";
  const int rows = 1'600'000;  // about 14 MB: four blocks
  for (int i = 0; i < rows; ++i) text += i == 1'000'000 ? "12345,oops\n" : "12345,67\n";
  const auto r = parse(text);
  EXPECT_EQ(r.table.num_rows(), rows);
  EXPECT_TRUE(has_note(r, "b", "1 value is not numbers (first at line 1000002: \"oops\")")) << r.notes.size();
  EXPECT_EQ(col(r, "a").i64[1'599'999], 12345);
  text += "7\n";
  EXPECT_THAT(csv_error_of(text), HasSubstr(fmt::format("t.csv:{}: expected 2 fields, found 1", rows + 2)));
}

// A quoted field whose newlines straddle the 4 MiB mark: the block cut is not taken inside the
// quotes, and every row after it reads right.
TEST(CsvReader, QuotedNewlinesAcrossABlockCut) {
  std::string text = "a,b\n";
  while (text.size() < (std::size_t{4} << 20) - 200) text += "12345,67\n";
  const std::size_t rows_before = std::count(text.begin(), text.end(), '\n') - 1;
  std::string quoted;
  for (int i = 0; i < 100; ++i) quoted += "line\n";
  text += "1,\"" + quoted + "\"\n";
  for (int i = 0; i < 600'000; ++i) text += "12345,67\n";
  const auto r = parse(text);
  ASSERT_EQ(r.table.num_rows(), static_cast<std::int64_t>(rows_before) + 1 + 600'000);
  // One text among a million numbers: a stray, read as missing, noted at the line it starts on.
  const auto& b = col(r, "b");
  ASSERT_EQ(b.type, ColumnType::Int64);
  EXPECT_FALSE(b.is_valid(static_cast<std::int64_t>(rows_before)));
  EXPECT_TRUE(has_note(r, "b", fmt::format("first at line {}: \"line", rows_before + 2)));
  EXPECT_EQ(b.i64[rows_before + 1], 67);
  EXPECT_EQ(b.i64.back(), 67);
  EXPECT_EQ(col(r, "a").i64[rows_before], 1);
}

// read_csv gives a mapped file's pages back as blocks are parsed; a column that turns out to be
// text in the last block makes the reader parse the earlier blocks again from those pages.
TEST(CsvReader, FileReadAgainAfterItsPagesAreReleased) {
  std::string text = "id,v\n";
  const int rows = 1'500'000;  // about 15 MB: several blocks, numbers in v but in the last
  const int text_from = 1'200'000;
  for (int i = 0; i < rows; ++i) text += fmt::format("{},{}{}\n", i, i < text_from ? "" : "x", i % 7);
  fitcheck::test::TempDir dir;
  const auto r = fitcheck::io::read_csv(dir.write("t.csv", text));
  const auto& v = col(r, "v");
  ASSERT_EQ(v.type, ColumnType::Categorical);
  ASSERT_EQ(v.size(), rows);
  auto value = [&](int i) { return v.dictionary[static_cast<std::size_t>(v.codes[static_cast<std::size_t>(i)])]; };
  for (const int i : {0, 1, 700'001, text_from - 1}) EXPECT_EQ(value(i), std::to_string(i % 7)) << i;
  EXPECT_EQ(value(rows - 1), fmt::format("x{}", (rows - 1) % 7));
  EXPECT_EQ(col(r, "id").i64[1'234'567], 1'234'567);
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineWhereItOpened) {
  const std::string text = "a,b\n1,x\n2,\"never closed\n3,y\n4,z\n";
  const std::string msg = csv_error_of(text);
  EXPECT_THAT(msg, HasSubstr("t.csv:3:"));
  EXPECT_THAT(msg, HasSubstr("never closed"));
}

TEST(CsvReader, MissingTokensAreMissing) {
  auto r = parse("x,y\n1,a\nNA,N/A\nnan,null\n?,NULL\n,None\n5,NaN\n");
  const auto& x = col(r, "x");
  EXPECT_EQ(x.type, ColumnType::Int64);
  EXPECT_EQ(x.missing_count(), 4);
  EXPECT_TRUE(x.is_valid(0));
  EXPECT_EQ(x.i64[5], 5);
  const auto& y = col(r, "y");
  EXPECT_EQ(y.type, ColumnType::Categorical);
  EXPECT_EQ(y.missing_count(), 5);
  EXPECT_EQ(y.dictionary, (std::vector<std::string>{"a"}));
}

TEST(CsvReader, CustomMissingTokens) {
  CsvOptions opt;
  opt.na_values = {"-999", "missing"};
  auto r = parse("v\n1\n-999\nmissing\n4\n", opt);
  EXPECT_EQ(col(r, "v").type, ColumnType::Int64);
  EXPECT_EQ(col(r, "v").missing_count(), 2);
}

TEST(CsvReader, CustomMissingTokensThatAreDecimals) {
  CsvOptions opt;
  opt.na_values = {"-999.5", "0"};
  auto r = parse("v\n1.5\n-999.5\n0\n4.25\n0.0\n", opt);
  const auto& v = col(r, "v");
  EXPECT_EQ(v.type, ColumnType::Float64);
  EXPECT_EQ(v.missing_count(), 2);
  EXPECT_FALSE(v.is_valid(1));
  EXPECT_FALSE(v.is_valid(2));
  EXPECT_TRUE(v.is_valid(4));  // "0.0" is not the token "0"
  EXPECT_EQ(v.f64[3], 4.25);
}

TEST(CsvReader, InfersBool) {
  auto r = parse("a,b,c\ntrue,True,TRUE\nfalse,False,FALSE\n,True,FALSE\n");
  for (const char* name : {"a", "b", "c"}) {
    EXPECT_EQ(col(r, name).type, ColumnType::Bool) << name;
    EXPECT_EQ(col(r, name).source_dtype, DType::Bool);
  }
  EXPECT_EQ(col(r, "a").b[0], 1);
  EXPECT_EQ(col(r, "a").b[1], 0);
  EXPECT_FALSE(col(r, "a").is_valid(2));
}

TEST(CsvReader, InfersInt64) {
  auto r = parse("n\n-3\n+4\n 12 \n9223372036854775807\n-9223372036854775808\n");
  const auto& n = col(r, "n");
  EXPECT_EQ(n.type, ColumnType::Int64);
  EXPECT_EQ(n.source_dtype, DType::Int64);
  EXPECT_EQ(n.i64, (std::vector<std::int64_t>{-3, 4, 12, INT64_MAX, INT64_MIN}));
  EXPECT_TRUE(n.valid.empty());
}

TEST(CsvReader, InfersFloat64WithInfAndNanAsPandasDoes) {
  CsvOptions opt;
  opt.na_values = {""};
  auto r = parse("f\n1.5\n-2e3\ninf\n-inf\nnan\n.5\n3\n", opt);
  const auto& f = col(r, "f");
  EXPECT_EQ(f.type, ColumnType::Float64);
  EXPECT_EQ(f.source_dtype, DType::Float64);
  EXPECT_DOUBLE_EQ(f.f64[0], 1.5);
  EXPECT_DOUBLE_EQ(f.f64[1], -2000);
  EXPECT_TRUE(std::isinf(f.f64[2]) && f.f64[2] > 0);
  EXPECT_TRUE(std::isinf(f.f64[3]) && f.f64[3] < 0);
  EXPECT_TRUE(std::isnan(f.f64[4]));
  EXPECT_DOUBLE_EQ(f.f64[5], 0.5);
  EXPECT_DOUBLE_EQ(f.f64[6], 3.0);
}

TEST(CsvReader, InfersCategoricalInFirstSeenOrder) {
  auto r = parse("c\nred\nblue\nred\ngreen\n");
  const auto& c = col(r, "c");
  EXPECT_EQ(c.type, ColumnType::Categorical);
  EXPECT_EQ(c.source_dtype, DType::String);
  EXPECT_EQ(c.dictionary, (std::vector<std::string>{"red", "blue", "green"}));
  EXPECT_EQ(c.codes, (std::vector<std::int32_t>{0, 1, 0, 2}));
}

TEST(CsvReader, AllMissingColumnIsFloat64) {
  auto r = parse("a,b\n1,\n2,\n");
  EXPECT_EQ(col(r, "b").type, ColumnType::Float64);
  EXPECT_EQ(col(r, "b").missing_count(), 2);
}

std::string numeric_column_with(int rows, const std::vector<std::pair<int, std::string>>& strays) {
  std::string text = "v\n";
  for (int i = 0; i < rows; ++i) {
    std::string value = std::to_string(i);
    for (const auto& [at, s] : strays) {
      if (at == i) value = s;
    }
    text += value + "\n";
  }
  return text;
}

TEST(CsvReader, FewStrayTokensKeepTheColumnNumericWithANote) {
  // 2 strays in 300 values (0.7 %): numeric, strays missing, a note with count, line and token.
  auto r = parse(numeric_column_with(300, {{10, "oops"}, {200, "oops"}}));
  const auto& v = col(r, "v");
  EXPECT_EQ(v.type, ColumnType::Int64);
  EXPECT_EQ(v.missing_count(), 2);
  EXPECT_FALSE(v.is_valid(10));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0].column, "v");
  EXPECT_EQ(r.notes[0].line, 12);  // header is line 1, row 0 is line 2
  EXPECT_THAT(r.notes[0].message, HasSubstr("2 values are not numbers"));
  EXPECT_THAT(r.notes[0].message, HasSubstr("\"oops\""));
}

TEST(CsvReader, ManyStrayTokensMakeTheColumnCategoricalWithANote) {
  // 5 strays in 100 values (5 %): categorical, and the note says it looked numeric.
  auto r = parse(numeric_column_with(100, {{3, "x"}, {4, "x"}, {5, "x"}, {6, "x"}, {7, "x"}}));
  const auto& v = col(r, "v");
  EXPECT_EQ(v.type, ColumnType::Categorical);
  EXPECT_EQ(v.missing_count(), 0);
  EXPECT_TRUE(has_note(r, "v", "looks numeric except 5 values (first at line 5: \"x\")"));
}

TEST(CsvReader, ManyDistinctStraysMakeTheColumnCategorical) {
  std::vector<std::pair<int, std::string>> strays;
  for (int i = 0; i < 6; ++i) {
    std::string token = "s";
    token += std::to_string(i);
    strays.emplace_back(100 * i + 7, token);
  }
  auto r = parse(numeric_column_with(1000, strays));  // 0.6 % but 6 distinct strings
  EXPECT_EQ(col(r, "v").type, ColumnType::Categorical);
  EXPECT_TRUE(has_note(r, "v", "looks numeric except 6 values"));
}

TEST(CsvReader, IntegersTooLargeForInt64BecomeFloat64WithANote) {
  auto r = parse("id\n1\n99999999999999999999\n3\n");
  const auto& id = col(r, "id");
  EXPECT_EQ(id.type, ColumnType::Float64);
  EXPECT_DOUBLE_EQ(id.f64[1], 1e20);
  EXPECT_TRUE(has_note(r, "id", "too large for int64 (first at line 3"));
}

TEST(CsvReader, RaggedRowIsAnErrorNamingFileAndLine) {
  std::string text = "a,b,c\n";
  for (int i = 0; i < 20; ++i) text += "1,2,3\n";
  text += "1,2\n";
  EXPECT_THAT(csv_error_of(text), HasSubstr("t.csv:22: expected 3 fields, found 2."));
  EXPECT_THAT(csv_error_of("a,b\n1,2\n1,2,3\n"), HasSubstr("t.csv:3: expected 2 fields, found 3."));
}

TEST(CsvReader, SkipsUtf8ByteOrderMark) {
  auto r = parse("\xEF\xBB\xBFid,v\n1,2\n");
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"id", "v"}));
  EXPECT_EQ(col(r, "id").type, ColumnType::Int64);
}

TEST(CsvReader, ReadsCrlfLineEnds) {
  auto r = parse("a,b\r\n1,x\r\n2,y\r\n");
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(col(r, "b").dictionary, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(col(r, "a").i64, (std::vector<std::int64_t>{1, 2}));
}

TEST(CsvReader, LastLineWithoutNewlineAndTrailingBlankLines) {
  EXPECT_EQ(parse("a,b\n1,2\n3,4").table.num_rows(), 2);
  EXPECT_EQ(parse("a,b\n1,2\n3,4\n\n\n\r\n").table.num_rows(), 2);
  EXPECT_EQ(parse("a,b\n1,2\n\n3,4\n").table.num_rows(), 2);
}

TEST(CsvReader, EmptyFileIsAnError) {
  EXPECT_THAT(csv_error_of(""), HasSubstr("t.csv: the file is empty"));
  EXPECT_THAT(csv_error_of("\n\n"), HasSubstr("the file is empty"));
  EXPECT_THAT(csv_error_of("\xEF\xBB\xBF"), HasSubstr("the file is empty"));
}

TEST(CsvReader, HeaderOnlyGivesColumnsAndNoRows) {
  auto r = parse("a,b,c\n");
  EXPECT_EQ(r.table.num_columns(), 3);
  EXPECT_EQ(r.table.num_rows(), 0);
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(CsvReader, DuplicateAndEmptyHeaderNamesAreMangledLikePandas) {
  auto r = parse(",a,a,b,a\n0,1,2,3,4\n");
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"Unnamed: 0", "a", "a.1", "b", "a.2"}));
  EXPECT_TRUE(has_note(r, "a.1", "appears more than once"));
  EXPECT_TRUE(has_note(r, "Unnamed: 0", "has no name"));
}

TEST(CsvReader, VeryWideRows) {
  constexpr int kCols = 10000;
  std::string text;
  for (int c = 0; c < kCols; ++c) {
    if (c > 0) text += ',';
    text += 'c';
    text += std::to_string(c);
  }
  text += "\n";
  for (int row = 0; row < 3; ++row) {
    for (int c = 0; c < kCols; ++c) {
      if (c > 0) text += ',';
      text += std::to_string(row * kCols + c);
    }
    text += "\n";
  }
  auto r = parse(text);
  ASSERT_EQ(r.table.num_columns(), kCols);
  EXPECT_EQ(r.table.num_rows(), 3);
  EXPECT_EQ(r.table.column(kCols - 1).i64[2], 2 * kCols + kCols - 1);
}

TEST(CsvReader, DetectsEachDelimiter) {
  for (char d : {',', ';', '\t', '|'}) {
    std::string text = "a_b" + std::string(1, d) + "c d" + std::string(1, d) + "e\n";
    text += "1" + std::string(1, d) + "x, y" + std::string(1, d) + "2.5\n";
    text += "3" + std::string(1, d) + "z" + std::string(1, d) + "4.5\n";
    if (d == ',') text = "a_b,c d,e\n1,\"x, y\",2.5\n3,z,4.5\n";
    auto r = parse(text);
    EXPECT_EQ(r.delimiter, d) << "delimiter " << int(d);
    EXPECT_EQ(r.table.num_columns(), 3) << "delimiter " << int(d);
    EXPECT_EQ(col(r, "c d").as_string(0), "x, y");
  }
}

TEST(CsvReader, DetectionIgnoresDelimitersInsideQuotes) {
  auto r = parse("a;b\n\"1,2,3\";4\n\"5,6,7\";8\n");
  EXPECT_EQ(r.delimiter, ';');
  EXPECT_EQ(col(r, "a").as_string(1), "5,6,7");
}

TEST(CsvReader, SemicolonWinsOverDecimalCommas) {
  auto r = parse("x;y\n1,5;2,25\n3,0;4,75\n");
  EXPECT_EQ(r.delimiter, ';');
}

TEST(CsvReader, ExplicitDelimiterIsUsed) {
  CsvOptions opt;
  opt.delimiter = '|';
  auto r = parse("a,b|c\n1,2|3\n", opt);
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"a,b", "c"}));
}

TEST(CsvReader, DetectsAHeaderOverNumbers) {
  auto r = parse("age,city\n31,Paris\n45,Rome\n");
  EXPECT_TRUE(r.header);
}

TEST(CsvReader, DetectsNoHeaderWhenTheFirstRowHasNumbers) {
  auto r = parse("31,Paris\n45,Rome\n");
  EXPECT_FALSE(r.header);
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(col(r, "0").i64, (std::vector<std::int64_t>{31, 45}));
  EXPECT_TRUE(has_note(r, "", "holds data, not column names"));
}

TEST(CsvReader, DetectsNoHeaderWhenFirstRowValuesRepeatBelow) {
  auto r = parse("red,small\nblue,large\nred,large\n");
  EXPECT_FALSE(r.header);
  EXPECT_EQ(r.table.num_rows(), 3);
}

TEST(CsvReader, AllTextFileWithDistinctFirstRowHasHeader) {
  auto r = parse("color,size\nblue,large\nred,small\n");
  EXPECT_TRUE(r.header);
}

TEST(CsvReader, ExplicitHeaderOption) {
  CsvOptions opt;
  opt.header = false;
  auto r = parse("a,b\n1,2\n", opt);
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(col(r, "0").type, ColumnType::Categorical);
  opt.header = true;
  r = parse("1,2\n3,4\n", opt);
  EXPECT_EQ(r.table.column_names(), (std::vector<std::string>{"1", "2"}));
}

TEST(CsvReader, BoolTokensInANumericColumnAreStrays) {
  auto r = parse("v\n1\n2\nTrue\n");  // 1 in 3: too many, categorical as pandas gives object
  EXPECT_EQ(col(r, "v").type, ColumnType::Categorical);
}

TEST(CsvReader, ReadsAFileFromDisk) {
  fitcheck::test::TempDir dir;
  auto path = dir.write("data.csv", "a,b\n1,x\n2,y\n");
  auto r = fitcheck::io::read_csv(path);
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(r.table.source(), path.string());
}

TEST(CsvReader, MissingFileIsAnInputError) {
  EXPECT_THROW(fitcheck::io::read_csv("/nonexistent/x.csv"), InputError);
}

TEST(CsvReader, ErrorLineCountsQuotedNewlinesAndCrlf) {
  std::string text = "a,b\r\n";
  text += "1,\"x\r\ny\r\nz\"\r\n";  // lines 2-4
  text += "2,w\r\n";                 // line 5
  text += "3\r\n";                   // line 6
  EXPECT_THAT(csv_error_of(text), HasSubstr("t.csv:6: expected 2 fields"));
}

}  // namespace

namespace {
// Regression (fuzzer): the delimiter chosen saw no complete record because of an open quote,
// while another candidate did; detection read a row that did not exist.
TEST(CsvReaderRegression, OpenQuoteInFirstRecordWithOtherCandidatesHavingRows) {
  const std::string text("a,b\x8a" "1,\"unterm\n5\nted\n2,3\n");
  EXPECT_THAT(csv_error_of(text), HasSubstr("never closed"));
}
}  // namespace
