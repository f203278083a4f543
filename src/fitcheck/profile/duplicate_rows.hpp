#pragma once
// Duplicate rows by 64-bit row hash: each row's cells are hashed (value_hash.hpp, so 3, 3.0 and
// "3" agree whatever type a chunk inferred) and combined in column order. Rows with equal hashes
// are counted as duplicates. Two different rows collide with probability about 2^-64 per pair,
// i.e. ~3e-8 expected false pairs in a million rows. Costs 16 bytes per row (kept in blocks, so
// that growing never copies nor holds twice the room).
//
// Chunks may arrive in any order and on any thread: rows are recorded as (chunk index, offset)
// and numbered once all chunk sizes are known. Each row goes to one of 256 partitions by the top
// bits of its hash as its chunk arrives (on the thread that parsed it), so that the summary, which
// runs after everything else, looks for repeats one small partition at a time.

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "fitcheck/core/table.hpp"

namespace fitcheck::profile {

struct DuplicateSummary {
  std::int64_t duplicate_rows = 0;  // rows equal to an earlier row
  std::int64_t groups = 0;          // distinct rows that occur more than once
  // The first pairs (earlier row, later duplicate), 0-based data row numbers, ascending by the
  // later row.
  std::vector<std::pair<std::int64_t, std::int64_t>> examples;
};

class DuplicateRows {
 public:
  static constexpr std::size_t kExamples = 10;
  // The summary's table for one partition starts with room for the partition's rows, at most
  // `first_table_slots` slots, and doubles while it would be more than half full (tests pass a
  // small number to make it grow).
  static constexpr std::size_t kFirstTableSlots = std::size_t{1} << 21;
  explicit DuplicateRows(std::size_t first_table_slots = kFirstTableSlots) : first_table_slots_(first_table_slots) {}

  void add_chunk(const core::Table& chunk, std::int64_t chunk_index);
  void merge(const DuplicateRows& other);
  void merge(DuplicateRows&& other);
  // Safe to call more than once; uses two threads on large tables.
  DuplicateSummary summary() const;
  std::int64_t rows() const;

 private:
  struct RowHash {
    std::uint64_t hash;
    std::uint32_t chunk;
    std::uint32_t offset;
  };
  static constexpr int kPartitionBits = 8;
  // The rows of one or more chunks, by the top kPartitionBits bits of their hash.
  using Partitions = std::vector<std::deque<RowHash>>;
  std::vector<Partitions> sets_;  // one per worker whose rows were merged in
  std::vector<std::pair<std::int64_t, std::int64_t>> chunk_sizes_;  // (chunk index, rows)
  std::size_t first_table_slots_;
};

}  // namespace fitcheck::profile
