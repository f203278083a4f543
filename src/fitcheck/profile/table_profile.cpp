#include "fitcheck/profile/table_profile.hpp"

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

void TableProfile::add_chunk(const core::Table& chunk, std::int64_t chunk_index, ChunkScratch& scratch) {
  if (columns_.empty()) init_columns(chunk);
  if (static_cast<std::size_t>(chunk.num_columns()) != columns_.size()) {
    throw core::InputError({.where = chunk.source(),
                            .what = fmt::format("chunk {} has a different number of columns", chunk_index),
                            .expected = fmt::format("{} columns", columns_.size()),
                            .got = fmt::format("{}", chunk.num_columns())});
  }
  for (int c = 0; c < chunk.num_columns(); ++c) {
    auto& stats = columns_[static_cast<std::size_t>(c)];
    if (chunk.column(c).name != stats.name()) {
      throw core::InputError({.where = chunk.source(),
                              .what = fmt::format("chunk {} names column {} differently", chunk_index, c + 1),
                              .expected = fmt::format("\"{}\"", stats.name()),
                              .got = fmt::format("\"{}\"", chunk.column(c).name)});
    }
    stats.add(chunk.column(c), scratch);
  }
  rows_ += chunk.num_rows();
  if (options_.duplicates) duplicates_.add_chunk(chunk, chunk_index);
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
  ChunkScratch scratch;
  p.add_chunk(table, 0, scratch);
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
