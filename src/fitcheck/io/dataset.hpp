#pragma once
// One split of a run's data (train or test) loaded as the run file describes it, with the form
// the user gave it kept: a CSV becomes a Table of feature columns and a label column; NumPy data
// stays an NdArray with its stored dtype and shape (uint8 images stay uint8 (N, 28, 28)), since
// what the user's array really was is half of many diagnoses.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/shape.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/io/run_file.hpp"

namespace fitcheck::io {

// Features or labels: either table columns (from a CSV) or an array (from .npy / .npz).
struct DataBlock {
  enum class Kind { Table, Array };
  Kind kind = Kind::Table;
  core::Table table;  // Kind::Table
  NdArray array;      // Kind::Array
  std::string source; // "train.csv", "x_train.npy", "data.npz[x_train]"

  std::int64_t rows() const;
  // (N, F) for a table; the array's shape for an array (N first).
  core::Shape shape() const;
  // The dtype as the user stored it: the array's dtype, or for a table the widest column type
  // (String if any column is text, else Float64 if any is float, else Int64, else Bool).
  core::DType dtype() const;
};

struct Dataset {
  std::string split;  // "train" or "test"
  DataBlock x;
  std::optional<DataBlock> y;      // absent for unlabelled data
  std::string target;              // CSV label column name ("" for arrays)
  std::vector<CsvNote> notes;      // what the CSV reader decided while reading
};

// Loads one split. Errors (InputError) name the file and what was expected: a missing target
// column (with the nearest name), x and y with different numbers of rows, an npz key that is not
// in the archive.
Dataset load_dataset(const DataSource& source, const std::string& split);

}  // namespace fitcheck::io
