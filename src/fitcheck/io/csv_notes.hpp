#pragma once
// Notes about a column gathered over blocks (internal): counts add up, the first line and its
// text are kept, and one sentence per column and kind of note is written at the end.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fitcheck/io/csv_column.hpp"
#include "fitcheck/io/csv_reader.hpp"

namespace fitcheck::io::detail {

class NoteCollector {
 public:
  // Strays read as missing in a column of `kind`.
  void strays_as_missing(int col, Kind kind, const Sample& s);
  // A column that is categorical although most values are numbers.
  void numeric_but_text(int col, std::int64_t numeric, std::int64_t non_missing, const Sample& non_numeric);
  void int_overflow(int col, const Sample& s);
  // Streaming: a chunk's column widened from the first block's kind.
  void widened(int col, Kind from, Kind to, std::int64_t line);

  void merge(const NoteCollector& other);
  // The notes, by column then kind, with `names` for the column names.
  std::vector<CsvNote> notes(const std::vector<std::string>& names) const;

 private:
  struct Stray { Kind kind = Kind::Empty; Sample s; };
  struct NumericText { std::int64_t numeric = 0; std::int64_t non_missing = 0; Sample s; };
  struct Widened { Kind from = Kind::Empty; Kind to = Kind::Empty; std::int64_t line = 0; std::int64_t chunks = 0; };
  std::map<int, Stray> strays_;
  std::map<int, NumericText> numeric_text_;
  std::map<int, Sample> overflow_;
  std::map<std::pair<int, int>, Widened> widened_;
};

}  // namespace fitcheck::io::detail
