// Parity with pandas.read_csv (Debian's python3-pandas through /usr/bin/python3): for the
// fixtures in tests/data/csv and a generated messy file, every column's values and missing
// entries must equal what pandas reads with the same delimiter, header and missing tokens.
//
// Deliberate differences (docs/csv.md), accepted here:
//   - an int64 column with missing entries stays int64 with a mask; pandas makes it float64;
//   - a bool column with missing entries stays bool with a mask; pandas makes it object;
//   - text columns are categorical here, object in pandas (the strings are compared).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fitcheck/io/csv_reader.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::core::Column;
using fitcheck::core::ColumnType;

using fitcheck::test::kPython;

constexpr const char* kPandasScript = R"PY(
import json, math, sys
import pandas as pd
path, sep, header, out = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
na = json.loads(sys.argv[5])
df = pd.read_csv(path, sep=sep, header=0 if header else None, keep_default_na=False, na_values=na)
def cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return "inf" if v == math.inf else "-inf" if v == -math.inf else v
    if hasattr(v, "item"):
        return cell(v.item())
    return v
cols = []
for name in df.columns:
    cols.append({"name": str(name), "dtype": str(df[name].dtype), "values": [cell(v) for v in df[name].tolist()]})
json.dump({"columns": cols}, open(out, "w"))
)PY";

bool python_has_pandas() {
  return std::system((std::string(kPython) + " -c 'import pandas' >/dev/null 2>&1").c_str()) == 0;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

nlohmann::json run_pandas(const fitcheck::test::TempDir& dir, const std::filesystem::path& csv, char sep, bool header) {
  const auto script = dir.write("read.py", kPandasScript);
  const auto out = dir.path() / "pandas.json";
  const nlohmann::json na = fitcheck::io::default_na_values();
  const std::string cmd = std::string(kPython) + " " + shell_quote(script.string()) + " " + shell_quote(csv.string()) +
                          " " + shell_quote(std::string(1, sep)) + " " + (header ? "1" : "0") + " " +
                          shell_quote(out.string()) + " " + shell_quote(na.dump());
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(out);
  return nlohmann::json::parse(in);
}

// One cell against pandas' value.
void expect_cell(const Column& col, std::int64_t r, const nlohmann::json& v, const std::string& where) {
  if (v.is_null()) {
    EXPECT_FALSE(col.is_valid(r)) << where << ": pandas has a missing value, fitcheck \"" << col.as_string(r) << "\"";
    return;
  }
  ASSERT_TRUE(col.is_valid(r)) << where << ": fitcheck has a missing value, pandas " << v.dump();
  switch (col.type) {
    case ColumnType::Categorical:
      ASSERT_TRUE(v.is_string()) << where << ": pandas " << v.dump();
      EXPECT_EQ(col.as_string(r), v.get<std::string>()) << where;
      break;
    case ColumnType::Bool:
      ASSERT_TRUE(v.is_boolean()) << where << ": pandas " << v.dump();
      EXPECT_EQ(col.b[static_cast<std::size_t>(r)] != 0, v.get<bool>()) << where;
      break;
    case ColumnType::Int64:
      ASSERT_TRUE(v.is_number()) << where << ": pandas " << v.dump();
      EXPECT_EQ(static_cast<double>(col.i64[static_cast<std::size_t>(r)]), v.get<double>()) << where;
      break;
    case ColumnType::Float64: {
      const double ours = col.f64[static_cast<std::size_t>(r)];
      if (v.is_string()) {
        EXPECT_TRUE(std::isinf(ours)) << where;
        EXPECT_EQ(ours > 0, v.get<std::string>() == "inf") << where;
      } else {
        const double theirs = v.get<double>();
        EXPECT_NEAR(ours, theirs, 1e-15 * std::max(1.0, std::fabs(theirs))) << where;
      }
      break;
    }
  }
}

void expect_type_matches(const Column& col, const std::string& dtype, const std::string& where) {
  switch (col.type) {
    case ColumnType::Int64:
      EXPECT_TRUE(dtype == "int64" || (dtype == "float64" && col.missing_count() > 0)) << where << " pandas " << dtype;
      break;
    case ColumnType::Float64: EXPECT_EQ(dtype, "float64") << where; break;
    case ColumnType::Bool:
      EXPECT_TRUE(dtype == "bool" || (dtype == "object" && col.missing_count() > 0)) << where << " pandas " << dtype;
      break;
    case ColumnType::Categorical: EXPECT_EQ(dtype, "object") << where; break;
  }
}

void expect_parity(const std::filesystem::path& csv) {
  SCOPED_TRACE(csv.string());
  fitcheck::test::TempDir dir;
  const auto ours = fitcheck::io::read_csv(csv);
  const auto theirs = run_pandas(dir, csv, ours.delimiter, ours.header);
  const auto& cols = theirs.at("columns");
  ASSERT_EQ(static_cast<int>(cols.size()), ours.table.num_columns());
  for (int c = 0; c < ours.table.num_columns(); ++c) {
    const Column& col = ours.table.column(c);
    const auto& pc = cols[static_cast<std::size_t>(c)];
    const std::string where = "column \"" + col.name + "\"";
    EXPECT_EQ(col.name, pc.at("name").get<std::string>());
    expect_type_matches(col, pc.at("dtype").get<std::string>(), where);
    const auto& values = pc.at("values");
    ASSERT_EQ(static_cast<std::int64_t>(values.size()), ours.table.num_rows()) << where;
    for (std::int64_t r = 0; r < ours.table.num_rows(); ++r) {
      expect_cell(col, r, values[static_cast<std::size_t>(r)], where + " row " + std::to_string(r));
      if (::testing::Test::HasFailure()) return;  // one bad cell is enough to read
    }
  }
}

// A deterministic messy table in the spirit of shared/bench/gen_table.py, plus quoting.
std::string generated_csv(int rows, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unit;
  std::string t = "f_small,f_big,i,label,cat,flag,text,sparse\n";
  char buf[64];
  for (int r = 0; r < rows; ++r) {
    auto missing = [&] { return unit(rng) < 0.02; };
    std::snprintf(buf, sizeof buf, "%.17g", normal(rng) * 1e-3);
    t += missing() ? "" : buf;
    t += ",";
    std::snprintf(buf, sizeof buf, "%.17g", normal(rng) * 1e6 + 1e6);
    t += missing() ? "NA" : buf;
    t += ",";
    t += missing() ? "" : std::to_string(static_cast<long long>(unit(rng) * 1e9) - 500000000);
    t += ",";
    t += unit(rng) < 0.05 ? "1" : "0";
    t += ",";
    if (missing()) {
      t += "?";
    } else {
      t += 'c';
      t += std::to_string(static_cast<int>(unit(rng) * 50));
    }
    t += ",";
    t += missing() ? "" : (unit(rng) < 0.5 ? "True" : "False");
    t += ",";
    const double u = unit(rng);
    if (u < 0.1) {
      t += "\"quoted, with \"\"quotes\"\"\nand a line break\"";
    } else if (u < 0.2) {
      t += "\"\"";
    } else {
      t += "word";
      t += std::to_string(static_cast<int>(u * 20));
    }
    t += ",";
    t += unit(rng) < 0.9 ? "" : std::to_string(r);
    t += (r % 3 == 0) ? "\r\n" : "\n";
  }
  return t;
}

class CsvPandasParity : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!python_has_pandas()) GTEST_SKIP() << kPython << " cannot import pandas; install python3-pandas to run this test.";
  }
};

TEST_F(CsvPandasParity, Fixtures) {
  for (const char* name : {"bom_crlf_quotes.csv", "semicolon.csv", "types.csv", "pipe.csv", "tab.tsv"}) {
    expect_parity(fitcheck::test::test_data_path(std::string("csv/") + name));
  }
}

TEST_F(CsvPandasParity, GeneratedMessyTable) {
  fitcheck::test::TempDir dir;
  expect_parity(dir.write("messy.csv", generated_csv(3000, 7)));
}

TEST_F(CsvPandasParity, HeaderlessFile) {
  fitcheck::test::TempDir dir;
  expect_parity(dir.write("noheader.csv", "1,2.5,x\n3,4.5,y\n5,,z\n"));
}

}  // namespace
