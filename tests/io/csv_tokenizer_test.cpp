// Reading CSV text: the tokenizer, newline counts, missing-value tokens and numbers.
//
// The tokenizer's two paths (64-byte windows for plain rows, field by field for the rest) must
// split every text the same way: random texts mixing plain rows, quoted fields, "\r\n", lone
// '\r', blank lines and rows longer than a window are tokenized both ways and compared.
#include "fitcheck/io/csv_tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_blocks.hpp"
#include "fitcheck/io/csv_values.hpp"

namespace fitcheck::io::detail {
namespace {

struct Tokens {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> lines;
  std::int64_t end_line = 0;
  std::size_t consumed = 0;
  std::string error;
};

// Tokenizes in batches of `batch` rows (as parse_block does), with or without the window path.
Tokens tokenize(const std::string& text, bool window_path, int expected_fields, std::int64_t batch) {
  Tokens t;
  TokenizedBlock out;
  TokenizeOptions opt{.delimiter = ',', .expected_fields = expected_fields, .first_line = 7};
  opt.window_path = window_path;
  try {
    std::size_t pos = 0;
    do {
      opt.max_rows = out.rows() + batch;
      pos = tokenize_block(text, opt, "t.csv", out, pos);
      opt.first_line = out.end_line;
    } while (pos < text.size());
    t.consumed = pos;
  } catch (const core::InputError& e) {
    t.error = e.what();
    return t;
  }
  for (std::int64_t r = 0; r < out.rows(); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < out.fields_in_row(r); ++c) row.emplace_back(out.field(r, c));
    t.rows.push_back(std::move(row));
    t.lines.push_back(out.row_line[static_cast<std::size_t>(r)]);
  }
  t.end_line = out.end_line;
  return t;
}

std::string random_field(std::mt19937& rng, bool& broke_line) {
  const int kind = std::uniform_int_distribution<int>(0, 19)(rng);
  const int len = std::uniform_int_distribution<int>(0, kind == 0 ? 90 : 12)(rng);
  std::string f;
  if (kind == 1) {  // quoted, with delimiters, newlines and doubled quotes inside
    f = "\"";
    for (int i = 0; i < len; ++i) {
      const char c = "ab,\n\"1 \r"[std::uniform_int_distribution<int>(0, 7)(rng)];
      if (c == '"') f += '"';
      if (c == '\n') broke_line = true;
      f += c;
    }
    f += '"';
    return f;
  }
  for (int i = 0; i < len; ++i) {
    // kind 2: a lone '\r' or a quote inside an unquoted field (both data)
    const char* alphabet = kind == 2 ? "x9.\r\"" : "0123456789.-eE ab";
    const int n = kind == 2 ? 5 : 17;
    f += alphabet[std::uniform_int_distribution<int>(0, n - 1)(rng)];
  }
  if (kind == 2 && !f.empty() && f.front() == '"') f.front() = 'q';  // not an opening quote
  if (!f.empty() && f.back() == '\r') f.back() = 'r';                // not the '\r' of "\r\n"
  return f;
}

std::string random_text(std::mt19937& rng, int fields, bool ragged) {
  std::string text;
  const int rows = std::uniform_int_distribution<int>(1, 60)(rng);
  for (int r = 0; r < rows; ++r) {
    if (std::uniform_int_distribution<int>(0, 15)(rng) == 0) text += std::uniform_int_distribution<int>(0, 1)(rng) ? "\n" : "\r\n";
    int n = fields;
    if (ragged && std::uniform_int_distribution<int>(0, 40)(rng) == 0) n += std::uniform_int_distribution<int>(0, 1)(rng) ? 1 : -1;
    bool broke = false;
    for (int c = 0; c < n; ++c) {
      if (c > 0) text += ',';
      text += random_field(rng, broke);
    }
    // A row of one empty field would read as a blank line: give it content.
    if (n == 1 && (text.empty() || text.back() == '\n')) text += '0';
    const bool last = r + 1 == rows;
    if (!last || std::uniform_int_distribution<int>(0, 1)(rng)) text += std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? "\r\n" : "\n";
  }
  return text;
}

TEST(CsvTokenizer, WindowPathSplitsLikeFieldByField) {
  std::mt19937 rng(20261207);
  int compared = 0, errors = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const int fields = std::uniform_int_distribution<int>(1, 9)(rng);
    const bool ragged = trial % 3 == 0;
    const std::string text = random_text(rng, fields, ragged);
    const std::int64_t batch = std::uniform_int_distribution<int>(0, 1)(rng) ? 1000000 : std::uniform_int_distribution<int>(1, 5)(rng);
    const int expected = ragged ? fields : -1;
    const Tokens slow = tokenize(text, false, expected, batch);
    const Tokens fast = tokenize(text, true, expected, batch);
    ASSERT_EQ(fast.error, slow.error) << text;
    ASSERT_EQ(fast.rows, slow.rows) << text;
    ASSERT_EQ(fast.lines, slow.lines) << text;
    ASSERT_EQ(fast.end_line, slow.end_line) << text;
    ASSERT_EQ(fast.consumed, slow.consumed) << text;
    ++compared;
    if (!slow.error.empty()) ++errors;
  }
  EXPECT_EQ(compared, 3000);
  EXPECT_GT(errors, 50);  // ragged rows were met, on both paths alike
}

TEST(CsvTokenizer, PlainRowsAcrossWindowsWithCrlfAndBlankLines) {
  // Rows longer than a window, "\r\n" endings and blank lines, all on the window path.
  std::string text;
  for (int r = 0; r < 50; ++r) {
    text += std::to_string(r) + "," + std::string(static_cast<std::size_t>(r * 7 % 150), 'x') + ",-1.5e3";
    text += r % 3 == 0 ? "\r\n" : "\n";
    if (r % 11 == 0) text += r % 2 == 0 ? "\r\n" : "\n";
  }
  const Tokens t = tokenize(text, true, 3, 1000000);
  ASSERT_EQ(t.error, "");
  ASSERT_EQ(t.rows.size(), 50U);
  EXPECT_EQ(t.rows[49][1], std::string(49 * 7 % 150, 'x'));
  EXPECT_EQ(t.rows[3][2], "-1.5e3");
  EXPECT_EQ(t.lines[0], 7);
  EXPECT_EQ(t.lines[1], 9);  // line 8 is blank
  EXPECT_EQ(t.rows, tokenize(text, false, 3, 1000000).rows);
}

TEST(CsvTokenizer, RaggedRowOnTheWindowPathNamesItsLine) {
  std::string text;
  for (int r = 0; r < 40; ++r) text += r == 30 ? "1,2\n" : "1,2,3\n";
  const Tokens t = tokenize(text, true, 3, 1000000);
  EXPECT_NE(t.error.find("t.csv:37"), std::string::npos) << t.error;
  EXPECT_NE(t.error.find("expected 3 fields, found 2"), std::string::npos) << t.error;
}


TEST(CsvTokenizer, CountNewlinesAtEveryLengthAndOffset) {
  std::mt19937 rng(7);
  std::string text(300, 'a');
  for (auto& c : text) c = std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? '\n' : 'a';
  for (std::size_t begin = 0; begin < 70; ++begin) {
    for (std::size_t len = 0; begin + len <= text.size(); len += 7) {
      const std::string_view part = std::string_view(text).substr(begin, len);
      EXPECT_EQ(count_newlines(part), std::count(part.begin(), part.end(), '\n')) << begin << " " << len;
    }
  }
}


TEST(NaMatcher, TokensSpacesAndNumbers) {
  const NaMatcher na({"", "NA", "?", "null", "-999"});
  for (const char* yes : {"", "NA", " NA", "NA  ", "\tNA\t", "?", " ? ", "null", "-999", " -999", "   ", "\t"}) {
    EXPECT_TRUE(na.is_na(yes)) << '"' << yes << '"';
  }
  for (const char* no : {"N", "NAN", "na", "5", "5 ", " 5", "-9990", "-99", "nul", "null1", "x NA"}) {
    EXPECT_FALSE(na.is_na(no)) << '"' << no << '"';
  }
  const NaMatcher no_empty({"NA"});
  EXPECT_FALSE(no_empty.is_na(""));
  EXPECT_TRUE(no_empty.is_na("  "));  // only spaces is missing whatever the tokens
}


// parse_float64 must agree with fast_float bit for bit, whichever path reads the number.
TEST(ParseFloat64, AgreesWithFastFloatOnRandomDecimals) {
  std::mt19937_64 rng(42);
  auto digits = [&](int n, bool lead_nonzero) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      const int lo = i == 0 && lead_nonzero ? 1 : 0;
      s += static_cast<char>('0' + std::uniform_int_distribution<int>(lo, 9)(rng));
    }
    return s;
  };
  int checked = 0;
  for (int trial = 0; trial < 400000; ++trial) {
    std::string s;
    const int shape = std::uniform_int_distribution<int>(0, 9)(rng);
    if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) s += '-';
    const int a = std::uniform_int_distribution<int>(0, 20)(rng);
    const int b = std::uniform_int_distribution<int>(0, 22)(rng);
    switch (shape) {
      case 0: s += digits(a + 1, false); break;                                   // integer, maybe zeros first
      case 1: s += digits(a, true) + "." + digits(b, false); break;               // 12.345, .5, 1.
      case 2: s += "0." + std::string(static_cast<std::size_t>(b % 12), '0') + digits(a + 1, true); break;
      case 3: s += digits(a + 1, true) + "." + digits(b, false) + "e" + std::to_string(b - 11); break;
      case 4: s += std::string(static_cast<std::size_t>(a), '0') + "." + std::string(static_cast<std::size_t>(b), '0'); break;
      case 5: s += std::to_string(rng() >> (rng() % 64)); break;                  // up to 20 digits
      case 6: {                                                                    // a double's shortest text
        double v;
        const std::uint64_t bits = rng();
        std::memcpy(&v, &bits, 8);
        if (!std::isfinite(v)) v = 1.5;
        char buf[64];
        const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
        s = std::string(buf, static_cast<std::size_t>(n));
        break;
      }
      case 7: s += "9007199254740993" + std::string(static_cast<std::size_t>(b % 4), '0'); break;  // 2^53 + 1
      case 8: s += digits(a + 1, true) + "." + digits(b + 10, false); break;      // too many digits
      default: s += digits(a % 5, false) + "." + digits(b % 5, false) + (b % 2 ? "x" : ""); break;  // junk too
    }
    double ours = 0, theirs = 0;
    const bool ok = parse_float64(s, ours);
    const auto r = fast_float::from_chars(s.data(), s.data() + s.size(), theirs);
    const bool their_ok = r.ptr == s.data() + s.size() && (r.ec == std::errc() || r.ec == std::errc::result_out_of_range);
    ASSERT_EQ(ok, their_ok) << s;
    if (ok) {
      ASSERT_EQ(std::memcmp(&ours, &theirs, sizeof ours), 0) << s << " " << ours << " " << theirs;
      ++checked;
    }
  }
  EXPECT_GT(checked, 300000);
}


TEST(CsvTokenizer, ScanPlainCountsNewlinesAndSeesAnyQuote) {
  std::string text(200, 'x');
  for (std::size_t i = 0; i < text.size(); i += 9) text[i] = '\n';
  for (std::size_t len : {0, 1, 63, 64, 65, 130, 200}) {
    const std::string_view part = std::string_view(text).substr(0, len);
    const PlainScan scan = scan_plain(part);
    EXPECT_EQ(scan.newlines, count_newlines(part));
    EXPECT_FALSE(scan.has_quote);
  }
  for (std::size_t at : {0, 5, 63, 64, 127, 199}) {
    std::string quoted = text;
    quoted[at] = '"';
    EXPECT_TRUE(scan_plain(quoted).has_quote) << at;
  }
}


// Blocks end at record boundaries and know their first line, on the quote-free path (parallel
// newline counts) and the general one (a quote anywhere), for any target size.
TEST(CsvBlocks, SplitAtRecordEndsWithTheirLines) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    std::string text;
    const int rows = std::uniform_int_distribution<int>(1, 400)(rng);
    for (int r = 0; r < rows; ++r) {
      text += std::string(static_cast<std::size_t>(std::uniform_int_distribution<int>(0, 90)(rng)), 'a');
      if (trial % 4 == 0 && r == rows / 2) text += "\"q\"";
      text += std::uniform_int_distribution<int>(0, 5)(rng) == 0 ? "\r\n" : "\n";
    }
    if (trial % 3 == 0) text += "tail";  // no final newline
    const std::size_t target = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, 3000)(rng));
    const auto blocks = split_blocks(text, ',', target, 5, 2);
    ASSERT_FALSE(blocks.empty());
    std::size_t at = 0;
    for (const auto& b : blocks) {
      ASSERT_EQ(b.begin, at);
      ASSERT_GT(b.end, b.begin);
      if (b.end < text.size()) {
        ASSERT_EQ(text[b.end - 1], '\n') << trial;
      }
      const auto before = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(b.begin), '\n');
      ASSERT_EQ(b.first_line, 5 + before) << trial;
      at = b.end;
    }
    ASSERT_EQ(at, text.size());
  }
}

// A block whose columns are shared among threads reads exactly as one thread reads it: random
// columns of ints, decimals, text, true/false, missing tokens and stray words, in 1 to 3 shares.
TEST(CsvBlocks, SharedColumnsReadAsOneThread) {
  std::mt19937 rng(11);
  const std::vector<std::string> cells = {"12", "-3", "4.5", "1e3", "abc", "true", "False", "", "NA", "?", "x y"};
  for (int trial = 0; trial < 60; ++trial) {
    const int columns = std::uniform_int_distribution<int>(1, 9)(rng);
    std::vector<int> column_mix(static_cast<std::size_t>(columns));  // how many cell kinds column c draws from
    for (auto& m : column_mix) m = std::uniform_int_distribution<int>(1, static_cast<int>(cells.size()))(rng);
    std::string text;
    const int rows = std::uniform_int_distribution<int>(1, 300)(rng);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < columns; ++c) {
        if (c > 0) text += ',';
        const int mix = column_mix[static_cast<std::size_t>(c)];
        // Mostly the column's first kind, sometimes any of its kinds.
        const int pick = std::uniform_int_distribution<int>(0, 9)(rng) < 8 ? (c * 7) % mix : std::uniform_int_distribution<int>(0, mix - 1)(rng);
        text += cells[static_cast<std::size_t>(pick)];
      }
      text += '\n';
    }
    const ParseContext ctx{.source = "t.csv", .delimiter = ',', .columns = columns, .na = NaMatcher({"", "NA", "?"})};
    TokenizedBlock scratch;
    const ParsedBlock one = parse_block(text, 2, ctx, nullptr, scratch, rows);
    for (int workers = 1; workers <= 3; ++workers) {
      const ParsedBlock shared = parse_block_shared(text, 2, ctx, rows, workers);
      ASSERT_EQ(shared.rows, one.rows);
      ASSERT_EQ(shared.pieces.size(), one.pieces.size());
      for (std::size_t c = 0; c < one.pieces.size(); ++c) {
        const ColumnPiece& a = one.pieces[c];
        const ColumnPiece& b = shared.pieces[c];
        SCOPED_TRACE(testing::Message() << "trial " << trial << " workers " << workers << " column " << c);
        EXPECT_EQ(a.kind, b.kind);
        EXPECT_EQ(a.rows, b.rows);
        EXPECT_EQ(a.non_missing, b.non_missing);
        EXPECT_EQ(a.numeric, b.numeric);
        EXPECT_EQ(a.strays_as_missing.count, b.strays_as_missing.count);
        EXPECT_EQ(a.strays_as_missing.line, b.strays_as_missing.line);
        EXPECT_EQ(a.non_numeric.text, b.non_numeric.text);
        EXPECT_EQ(a.column.i64, b.column.i64);
        EXPECT_EQ(a.column.b, b.column.b);
        EXPECT_EQ(a.column.codes, b.column.codes);
        EXPECT_EQ(a.column.dictionary, b.column.dictionary);
        EXPECT_EQ(a.column.valid, b.column.valid);
        ASSERT_EQ(a.column.f64.size(), b.column.f64.size());
        for (std::size_t k = 0; k < a.column.f64.size(); ++k) {
          EXPECT_TRUE(a.column.f64[k] == b.column.f64[k] || (std::isnan(a.column.f64[k]) && std::isnan(b.column.f64[k])));
        }
      }
    }
  }
}

}  // namespace
}  // namespace fitcheck::io::detail
