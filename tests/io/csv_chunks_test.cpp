// Streaming (read_csv_chunks) and the parallel block path of read_csv: the pieces must add up to
// exactly what a whole-file read gives.
#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <thread>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "support/temp_dir.hpp"

namespace {

using fitcheck::core::Column;
using fitcheck::core::ColumnType;
using fitcheck::core::Table;
using fitcheck::io::ChunkOrder;
using fitcheck::io::CsvChunk;
using fitcheck::io::CsvOptions;
using ::testing::HasSubstr;

// Rows with ints, floats, missing values, bools and text that has quotes, delimiters and line
// breaks inside, so that small chunks cut through quoted fields.
std::string messy_csv(int rows) {
  std::string t = "id,score,flag,comment,group\n";
  for (int i = 0; i < rows; ++i) {
    t += std::to_string(i) + ",";
    t += (i % 7 == 3) ? "" : std::to_string(i * 0.25 - 3.5);
    t += ",";
    t += (i % 2) ? "true" : "False";
    t += ",";
    if (i % 5 == 0) {
      t += "\"a \"\"quoted\"\", text,\nwith a line break " + std::to_string(i) + "\"";
    } else if (i % 5 == 1) {
      t += "NA";
    } else {
      t += "plain" + std::to_string(i % 13);
    }
    t += ",g" + std::to_string(i % 4) + "\n";
  }
  return t;
}

// Appends `chunk` to `acc`, cell by cell as text and validity (types are compared separately).
struct Collected {
  std::vector<std::vector<std::string>> cells;  // per column
  std::vector<std::vector<bool>> valid;
  std::vector<std::set<ColumnType>> types;
  void add(const Table& t) {
    cells.resize(static_cast<std::size_t>(t.num_columns()));
    valid.resize(cells.size());
    types.resize(cells.size());
    for (int c = 0; c < t.num_columns(); ++c) {
      const Column& col = t.column(c);
      types[static_cast<std::size_t>(c)].insert(col.type);
      for (std::int64_t r = 0; r < t.num_rows(); ++r) {
        cells[static_cast<std::size_t>(c)].push_back(col.as_string(r));
        valid[static_cast<std::size_t>(c)].push_back(col.is_valid(r));
      }
    }
  }
};

void expect_same(const Collected& whole, const Collected& chunks) {
  ASSERT_EQ(whole.cells.size(), chunks.cells.size());
  for (std::size_t c = 0; c < whole.cells.size(); ++c) {
    EXPECT_EQ(whole.types[c], chunks.types[c]) << "column " << c;
    ASSERT_EQ(whole.cells[c].size(), chunks.cells[c].size()) << "column " << c;
    for (std::size_t r = 0; r < whole.cells[c].size(); ++r) {
      ASSERT_EQ(whole.cells[c][r], chunks.cells[c][r]) << "column " << c << " row " << r;
      ASSERT_EQ(whole.valid[c][r], chunks.valid[c][r]) << "column " << c << " row " << r;
    }
  }
}

TEST(CsvChunks, ChunksInFileOrderAddUpToTheWholeRead) {
  fitcheck::test::TempDir dir;
  const auto path = dir.write("messy.csv", messy_csv(2000));
  const auto whole_result = fitcheck::io::read_csv(path);
  Collected whole;
  whole.add(whole_result.table);
  for (std::int64_t chunk_bytes : {1 << 10, 3000, 1 << 14, 1 << 20}) {
    for (int threads : {1, 2, 3}) {
      CsvOptions opt;
      opt.threads = threads;
      Collected got;
      std::int64_t expected_index = 0;
      std::int64_t expected_line = 2;
      auto res = fitcheck::io::read_csv_chunks(
          path, chunk_bytes,
          [&](const CsvChunk& ch) {
            EXPECT_EQ(ch.index, expected_index++);
            EXPECT_EQ(ch.first_line, expected_line);
            // A row of messy_csv takes 2 lines when its comment has a line break (id % 5 == 0).
            for (std::int64_t r = 0; r < ch.table.num_rows(); ++r) {
              const std::int64_t id = ch.table.column(0).i64[static_cast<std::size_t>(r)];
              expected_line += (id % 5 == 0) ? 2 : 1;
            }
            EXPECT_GE(ch.worker, 0);
            EXPECT_LT(ch.worker, threads);
            got.add(ch.table);
          },
          opt, ChunkOrder::FileOrder);
      EXPECT_EQ(res.rows, 2000);
      EXPECT_EQ(res.column_names, whole_result.table.column_names());
      SCOPED_TRACE("chunk_bytes " + std::to_string(chunk_bytes) + " threads " + std::to_string(threads));
      expect_same(whole, got);
    }
  }
}

TEST(CsvChunks, AnyOrderDeliversEveryChunkOnceWithItsIndex) {
  fitcheck::test::TempDir dir;
  const auto path = dir.write("messy.csv", messy_csv(3000));
  const auto whole_result = fitcheck::io::read_csv(path);
  Collected whole;
  whole.add(whole_result.table);
  CsvOptions opt;
  opt.threads = 2;
  std::mutex m;
  std::map<std::int64_t, Table> by_index;
  std::atomic<int> concurrent{0};
  auto res = fitcheck::io::read_csv_chunks(
      path, 1 << 10,
      [&](const CsvChunk& ch) {
        ++concurrent;
        std::lock_guard<std::mutex> lock(m);
        EXPECT_TRUE(by_index.emplace(ch.index, ch.table).second);
        --concurrent;
      },
      opt, ChunkOrder::AnyOrder);
  Collected got;
  std::int64_t expect = 0;
  for (const auto& [index, table] : by_index) {
    EXPECT_EQ(index, expect++);
    got.add(table);
  }
  EXPECT_EQ(res.rows, 3000);
  expect_same(whole, got);
}

TEST(CsvChunks, ExceptionFromOnChunkPropagates) {
  fitcheck::test::TempDir dir;
  const auto path = dir.write("messy.csv", messy_csv(2000));
  for (auto order : {ChunkOrder::FileOrder, ChunkOrder::AnyOrder}) {
    for (int throw_at : {0, 3}) {
      CsvOptions opt;
      opt.threads = 2;
      std::atomic<int> calls{0};
      EXPECT_THROW(fitcheck::io::read_csv_chunks(
                       path, 1 << 10,
                       [&](const CsvChunk& ch) {
                         ++calls;
                         if (ch.index == throw_at) throw std::runtime_error("consumer failed");
                       },
                       opt, order),
                   std::runtime_error);
      EXPECT_LT(calls.load(), 200);  // it stopped early
    }
  }
}

TEST(CsvChunks, ParseErrorInALaterChunkNamesTheLine) {
  fitcheck::test::TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + ",x\n";
  text += "1,2,3\n";  // line 5002
  for (int i = 0; i < 100; ++i) text += "1,y\n";
  const auto path = dir.write("bad.csv", text);
  CsvOptions opt;
  opt.threads = 2;
  try {
    fitcheck::io::read_csv_chunks(path, 1 << 10, [](const CsvChunk&) {}, opt, ChunkOrder::AnyOrder);
    FAIL() << "no error";
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad.csv:5002: expected 2 fields, found 3"));
  }
}

TEST(CsvChunks, LaterChunkWideningIsNoted) {
  fitcheck::test::TempDir dir;
  std::string text = "v\n";
  for (int i = 0; i < 2000; ++i) text += std::to_string(i) + "\n";
  text += "2.5\n";
  const auto path = dir.write("w.csv", text);
  std::set<ColumnType> types;
  auto res = fitcheck::io::read_csv_chunks(path, 1 << 10, [&](const CsvChunk& ch) { types.insert(ch.table.column(0).type); });
  EXPECT_EQ(types, (std::set<ColumnType>{ColumnType::Int64, ColumnType::Float64}));
  ASSERT_EQ(res.notes.size(), 1u);
  EXPECT_THAT(res.notes[0].message, HasSubstr("was read as int64 from the first block"));
  EXPECT_THAT(res.notes[0].message, HasSubstr("need float64"));
}

TEST(CsvChunks, HeaderOnlyFileHasNoChunks) {
  fitcheck::test::TempDir dir;
  const auto path = dir.write("h.csv", "a,b\n");
  int calls = 0;
  auto res = fitcheck::io::read_csv_chunks(path, 1 << 10, [&](const CsvChunk&) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(res.rows, 0);
  EXPECT_EQ(res.column_names, (std::vector<std::string>{"a", "b"}));
}

// A pipe cannot be mapped: the streaming reader reads it sequentially, read_csv copies it.
TEST(CsvChunks, ReadsFromAPipe) {
  std::signal(SIGPIPE, SIG_IGN);  // a failing reader must not kill the test through the writer
  fitcheck::test::TempDir dir;
  const auto fifo = dir.path() / "fifo.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string text = messy_csv(2000);
  Collected whole;
  whole.add(fitcheck::io::parse_csv(text, "m.csv").table);
  for (bool chunks : {true, false}) {
    std::thread writer([&] {
      std::ofstream out(fifo, std::ios::binary);
      out << text;
    });
    Collected got;
    CsvOptions opt;
    opt.threads = 2;
    try {  // an error must fail the test, not end it through a joinable writer thread
      if (chunks) {
        auto res = fitcheck::io::read_csv_chunks(fifo, 1 << 10, [&](const CsvChunk& ch) { got.add(ch.table); }, opt);
        EXPECT_EQ(res.rows, 2000);
      } else {
        got.add(fitcheck::io::read_csv(fifo, opt).table);
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << (chunks ? "read_csv_chunks: " : "read_csv: ") << e.what();
    }
    writer.join();
    expect_same(whole, got);
  }
}

TEST(CsvReaderBlocks, ParallelBlocksEqualSerialRead) {
  // Over 4 MiB, read_csv cuts the text into blocks parsed on several workers.
  std::string text = messy_csv(150000);
  ASSERT_GT(text.size(), std::size_t{5} << 20);
  CsvOptions serial;
  serial.threads = 1;
  CsvOptions parallel;
  parallel.threads = 3;
  Collected a, b;
  a.add(fitcheck::io::parse_csv(text, "m.csv", serial).table);
  b.add(fitcheck::io::parse_csv(text, "m.csv", parallel).table);
  expect_same(a, b);
}

TEST(CsvReaderBlocks, BlocksUnifyTypesByWidening) {
  // Ints for 6 MiB, then one float, then text in another column far down: the whole-file read
  // must give float64 and categorical, with the text column's numbers kept as text.
  std::string text = "n,t\n";
  int i = 0;
  while (text.size() < (std::size_t{6} << 20)) {
    text += std::to_string(i) + "," + std::to_string(i % 100) + "\n";
    ++i;
  }
  text += "2.5,x\n";
  for (int k = 0; k < 20; ++k) text += std::to_string(k) + ",word" + std::to_string(k) + "\n";
  CsvOptions opt;
  opt.threads = 2;
  auto r = fitcheck::io::parse_csv(text, "w.csv", opt);
  EXPECT_EQ(r.table.column(0).type, ColumnType::Float64);
  EXPECT_EQ(r.table.column(1).type, ColumnType::Categorical);
  EXPECT_EQ(r.table.column(1).as_string(5), "5");
  EXPECT_EQ(r.table.column(0).as_string(r.table.num_rows() - 21), "2.5");
}

}  // namespace
