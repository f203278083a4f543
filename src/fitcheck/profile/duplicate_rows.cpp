#include "fitcheck/profile/duplicate_rows.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include <hwy/contrib/sort/vqsort.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/profile/row_hash.hpp"
#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {
namespace {

}  // namespace

void DuplicateRows::add_chunk(const core::Table& chunk, std::int64_t chunk_index) {
  FITCHECK_CHECK(!summary_, "rows added to duplicate detection after its summary was taken");
  const auto n = static_cast<std::size_t>(chunk.num_rows());
  if (chunk_index < 0 || chunk_index > std::numeric_limits<std::uint32_t>::max() ||
      n > std::numeric_limits<std::uint32_t>::max()) {
    throw core::InputError({.where = chunk.source(),
                            .what = "too many rows or chunks for duplicate detection",
                            .expected = "fewer than 2^32 chunks of fewer than 2^32 rows",
                            .got = std::to_string(chunk_index) + " chunks"});
  }
  std::vector<std::uint64_t> rows(n, 0x243f6a8885a308d3ULL);
  for (const auto& column : chunk.columns()) fold_cell_hashes(column, rows);
  std::vector<RowHash> block(n);
  for (std::size_t i = 0; i < n; ++i) {
    block[i] = {mix64(rows[i]), static_cast<std::uint32_t>(chunk_index), static_cast<std::uint32_t>(i)};
  }
  blocks_.push_back(std::move(block));
  chunk_sizes_.emplace_back(chunk_index, static_cast<std::int64_t>(n));
}

void DuplicateRows::merge(const DuplicateRows& other) {
  FITCHECK_CHECK(!summary_ && !other.summary_, "duplicate detection merged after its summary was taken");
  blocks_.insert(blocks_.end(), other.blocks_.begin(), other.blocks_.end());
  chunk_sizes_.insert(chunk_sizes_.end(), other.chunk_sizes_.begin(), other.chunk_sizes_.end());
}

void DuplicateRows::merge(DuplicateRows&& other) {
  FITCHECK_CHECK(!summary_ && !other.summary_, "duplicate detection merged after its summary was taken");
  for (auto& block : other.blocks_) blocks_.push_back(std::move(block));
  other.blocks_ = {};
  chunk_sizes_.insert(chunk_sizes_.end(), other.chunk_sizes_.begin(), other.chunk_sizes_.end());
}

std::int64_t DuplicateRows::rows() const {
  std::int64_t total = 0;
  for (const auto& [index, size] : chunk_sizes_) total += size;
  return total;
}

DuplicateSummary DuplicateRows::summary() const {
  if (summary_) return *summary_;
  // Row numbers: chunk start (sum of the sizes of earlier chunks) + offset.
  std::int64_t max_index = -1;
  for (const auto& [index, size] : chunk_sizes_) max_index = std::max(max_index, index);
  std::vector<std::int64_t> start(static_cast<std::size_t>(max_index + 2), 0);
  for (const auto& [index, size] : chunk_sizes_) start[static_cast<std::size_t>(index + 1)] = size;
  for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];

  if (blocks_.empty()) {
    summary_ = DuplicateSummary{};
    return *summary_;
  }
  // Equal rows have equal hashes: all hashes (with their row as the value) are sorted by
  // Highway's vqsort, then equal neighbours are groups. Each block is freed once copied.
  std::size_t total = 0;
  for (const auto& b : blocks_) total += b.size();
  std::vector<hwy::K64V64> hashes;
  hashes.reserve(total);
  for (auto& b : blocks_) {
    for (const RowHash& h : b) {
      hwy::K64V64 kv;
      kv.key = h.hash;
      kv.value = (std::uint64_t{h.chunk} << 32) | h.offset;
      hashes.push_back(kv);
    }
    b = {};
  }
  if (hashes.size() > 1) {
    hwy::Sorter sorter;
    sorter(hashes.data(), hashes.size(), hwy::SortAscending());
  }
  blocks_.clear();
  auto row_of = [&](const hwy::K64V64& h) {
    return start[h.value >> 32] + static_cast<std::int64_t>(h.value & 0xFFFFFFFFu);
  };

  DuplicateSummary out;
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  std::vector<std::int64_t> group;
  for (std::size_t i = 0; i < hashes.size();) {
    std::size_t j = i + 1;
    while (j < hashes.size() && hashes[j].key == hashes[i].key) ++j;
    if (j - i > 1) {
      ++out.groups;
      out.duplicate_rows += static_cast<std::int64_t>(j - i - 1);
      group.clear();
      for (std::size_t g = i; g < j; ++g) group.push_back(row_of(hashes[g]));
      std::sort(group.begin(), group.end());
      for (std::size_t d = 1; d < group.size() && d <= kExamples; ++d) pairs.emplace_back(group[0], group[d]);
    }
    i = j;
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (pairs.size() > kExamples) pairs.resize(kExamples);
  out.examples = std::move(pairs);
  summary_ = out;
  return out;
}

}  // namespace fitcheck::profile
