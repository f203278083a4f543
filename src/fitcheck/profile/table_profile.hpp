#pragma once
// The profile of a whole table: per-column statistics, the row count and duplicate rows, plus
// what the reader noticed. Mergeable: profiles of the chunks of one table, merged in any order,
// give the profile of the table (see column_stats.hpp for what "give" means per statistic).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/core/table.hpp"
#include "fitcheck/io/csv_reader.hpp"
#include "fitcheck/profile/column_stats.hpp"
#include "fitcheck/profile/duplicate_rows.hpp"
#include "fitcheck/profile/label_profile.hpp"

namespace fitcheck::profile {

struct ProfileOptions {
  ColumnStatsOptions columns;
  bool duplicates = true;  // hash rows for duplicate detection (16 bytes per row)
};

class TableProfile {
 public:
  explicit TableProfile(ProfileOptions options = {}) : options_(options) {}

  // Adds one chunk of rows. All chunks must have the same column names in the same order;
  // `chunk_index` is the chunk's position in the table (row numbering for duplicates).
  void add_chunk(const core::Table& chunk, std::int64_t chunk_index, ChunkScratch& scratch);
  // The same for one large chunk whose columns are profiled on up to `threads` threads (the row
  // hashes on one more): for a table already in memory, where there are no chunks to spread.
  void add_chunk_by_columns(const core::Table& chunk, std::int64_t chunk_index, int threads);
  void merge(const TableProfile& other);
  void merge(TableProfile&& other);  // takes the other's row hashes instead of copying them

  std::string source;
  std::vector<io::CsvNote> notes;

  std::int64_t rows() const { return rows_; }
  const std::vector<ColumnStats>& columns() const { return columns_; }
  const ColumnStats* find(std::string_view name) const;
  // Computed on demand (sorts the row hashes); empty when duplicates were not requested.
  DuplicateSummary duplicates() const { return duplicates_.summary(); }
  bool has_duplicates_info() const { return options_.duplicates; }

 private:
  void init_columns(const core::Table& chunk);
  void check_chunk_columns(const core::Table& chunk, std::int64_t chunk_index) const;

  ProfileOptions options_;
  std::int64_t rows_ = 0;
  std::vector<ColumnStats> columns_;
  DuplicateRows duplicates_;
};

// Profile of a table in memory (one chunk, its columns on all cores when it is large).
TableProfile profile_table(const core::Table& table, const ProfileOptions& options = {});

struct FileProfileOptions {
  ProfileOptions profile;
  io::CsvOptions csv;                        // delimiter, header, NA tokens, threads, progress
  std::int64_t chunk_bytes = 4 << 20;        // CSV block size per worker
  std::vector<std::string> npz_keys;         // .npz: arrays to profile (all when empty)
};

// CSV, streamed in blocks on all workers (one partial profile each, merged at the end).
TableProfile profile_csv(const std::filesystem::path& path, const FileProfileOptions& options = {});
// .npy (rank 1: one column named after the file; rank 2: x0, x1, ...) and .npz (each array's
// columns, named after its key; the arrays must have the same number of rows).
TableProfile profile_npy(const std::filesystem::path& path, const FileProfileOptions& options = {});
TableProfile profile_npz(const std::filesystem::path& path, const FileProfileOptions& options = {});
// Chooses by extension: .npy, .npz, anything else is read as CSV.
TableProfile profile_file(const std::filesystem::path& path, const FileProfileOptions& options = {});

// The label profile of a column; InputError naming the file and suggesting the nearest column
// name when there is no such column.
LabelProfile profile_label(const TableProfile& profile, const std::string& target);

}  // namespace fitcheck::profile
