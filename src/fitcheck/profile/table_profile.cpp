#include "fitcheck/profile/table_profile.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {

void TableProfile::init_columns(const core::Table& chunk) {
  columns_.reserve(static_cast<std::size_t>(chunk.num_columns()));
  for (int c = 0; c < chunk.num_columns(); ++c) {
    ColumnStatsOptions o = options_.columns;
    o.seed = mix64(options_.columns.seed + static_cast<std::uint64_t>(c));
    columns_.emplace_back(chunk.column(c).name, o);
  }
}

void TableProfile::check_chunk_columns(const core::Table& chunk, std::int64_t chunk_index) const {
  if (static_cast<std::size_t>(chunk.num_columns()) != columns_.size()) {
    throw core::InputError({.where = chunk.source(),
                            .what = fmt::format("chunk {} has a different number of columns", chunk_index),
                            .expected = fmt::format("{} columns", columns_.size()),
                            .got = fmt::format("{}", chunk.num_columns())});
  }
  for (int c = 0; c < chunk.num_columns(); ++c) {
    const auto& expected = columns_[static_cast<std::size_t>(c)].name();
    if (chunk.column(c).name != expected) {
      throw core::InputError({.where = chunk.source(),
                              .what = fmt::format("chunk {} names column {} differently", chunk_index, c + 1),
                              .expected = fmt::format("\"{}\"", expected),
                              .got = fmt::format("\"{}\"", chunk.column(c).name)});
    }
  }
}

void TableProfile::add_chunk(const core::Table& chunk, std::int64_t chunk_index, ChunkScratch& scratch) {
  if (columns_.empty()) init_columns(chunk);
  check_chunk_columns(chunk, chunk_index);
  for (int c = 0; c < chunk.num_columns(); ++c) columns_[static_cast<std::size_t>(c)].add(chunk.column(c), scratch);
  rows_ += chunk.num_rows();
  if (options_.duplicates) duplicates_.add_chunk(chunk, chunk_index);
}

void TableProfile::add_chunk_by_columns(const core::Table& chunk, std::int64_t chunk_index, int threads) {
  if (columns_.empty()) init_columns(chunk);
  check_chunk_columns(chunk, chunk_index);
  // Tasks: the row hashes (task -1, the longest, so first) and one per column, taken in order by
  // whichever thread is free. Each column's statistics are touched by one thread only.
  std::atomic<int> next{options_.duplicates ? -1 : 0};
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(std::max(1, threads)));
  auto work = [&](std::size_t worker) {
    ChunkScratch scratch;
    try {
      for (int task = next++; task < chunk.num_columns(); task = next++) {
        if (task < 0) {
          duplicates_.add_chunk(chunk, chunk_index);
        } else {
          columns_[static_cast<std::size_t>(task)].add(chunk.column(task), scratch);
        }
      }
    } catch (...) {
      errors[worker] = std::current_exception();
      next = chunk.num_columns();  // the others stop after their current task
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < errors.size(); ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  rows_ += chunk.num_rows();
}

void TableProfile::merge(TableProfile&& other) {
  DuplicateRows hashes = std::move(other.duplicates_);
  other.duplicates_ = DuplicateRows();
  merge(static_cast<const TableProfile&>(other));
  duplicates_.merge(std::move(hashes));
}

void TableProfile::merge(const TableProfile& other) {
  if (other.columns_.empty() && other.rows_ == 0 && other.duplicates_.rows() == 0) return;
  if (columns_.empty()) {
    columns_ = other.columns_;
  } else {
    FITCHECK_CHECK(columns_.size() == other.columns_.size(), "profiles of different tables cannot be merged");
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      FITCHECK_CHECK(columns_[c].name() == other.columns_[c].name(), "profiles of different tables cannot be merged");
      columns_[c].merge(other.columns_[c]);
    }
  }
  rows_ += other.rows_;
  duplicates_.merge(other.duplicates_);
  notes.insert(notes.end(), other.notes.begin(), other.notes.end());
}

const ColumnStats* TableProfile::find(std::string_view name) const {
  for (const auto& c : columns_) {
    if (c.name() == name) return &c;
  }
  return nullptr;
}

TableProfile profile_table(const core::Table& table, const ProfileOptions& options) {
  TableProfile p(options);
  p.source = table.source();
  // Below about a million values threads cost more than they save.
  constexpr std::int64_t kValuesPerThread = 1 << 20;
  const std::int64_t values = table.num_rows() * std::max(1, table.num_columns());
  const int threads = static_cast<int>(std::clamp<std::int64_t>(values / kValuesPerThread, 1,
                                                                 std::max(1u, std::thread::hardware_concurrency())));
  if (threads == 1) {
    ChunkScratch scratch;
    p.add_chunk(table, 0, scratch);
  } else {
    p.add_chunk_by_columns(table, 0, threads);
  }
  return p;
}

LabelProfile profile_label(const TableProfile& profile, const std::string& target) {
  if (const auto* stats = profile.find(target)) return label_profile(*stats);
  std::vector<std::string> names;
  for (const auto& c : profile.columns()) names.push_back(c.name());
  const auto suggestion = core::nearest_name(target, names);
  throw core::InputError({.where = profile.source,
                          .what = fmt::format("no column named \"{}\" for the target", target),
                          .hint = suggestion ? fmt::format("Did you mean \"{}\"?", *suggestion)
                                             : fmt::format("The columns are: {}.", fmt::join(names, ", "))});
}

}  // namespace fitcheck::profile
