#include "fitcheck/profile/duplicate_rows.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "fitcheck/core/error.hpp"
#include "fitcheck/profile/row_hash.hpp"
#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {
namespace {

}  // namespace

void DuplicateRows::add_chunk(const core::Table& chunk, std::int64_t chunk_index) {
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
  blocks_.insert(blocks_.end(), other.blocks_.begin(), other.blocks_.end());
  chunk_sizes_.insert(chunk_sizes_.end(), other.chunk_sizes_.begin(), other.chunk_sizes_.end());
}

void DuplicateRows::merge(DuplicateRows&& other) {
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
  // Row numbers: chunk start (sum of the sizes of earlier chunks) + offset.
  std::int64_t max_index = -1;
  for (const auto& [index, size] : chunk_sizes_) max_index = std::max(max_index, index);
  std::vector<std::int64_t> start(static_cast<std::size_t>(max_index + 2), 0);
  for (const auto& [index, size] : chunk_sizes_) start[static_cast<std::size_t>(index + 1)] = size;
  for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];

  if (blocks_.empty()) return {};
  // Equal rows have equal hashes: the hashes are bucketed by their top bits (one counting pass,
  // one scatter that frees each block as it goes) and each small bucket is sorted. The hashes
  // are mixed, so buckets hold ~8 rows; duplicates share a bucket.
  std::size_t total = 0;
  for (const auto& b : blocks_) total += b.size();
  const int bits = std::clamp(static_cast<int>(std::bit_width(total / 8)), 1, 22);
  const int shift = 64 - bits;
  std::vector<std::size_t> bucket_start((std::size_t{1} << bits) + 1, 0);
  for (const auto& b : blocks_) {
    for (const RowHash& h : b) ++bucket_start[(h.hash >> shift) + 1];
  }
  for (std::size_t i = 1; i < bucket_start.size(); ++i) bucket_start[i] += bucket_start[i - 1];
  std::vector<RowHash> bucketed(total);
  {
    std::vector<std::size_t> at(bucket_start.begin(), bucket_start.end() - 1);
    for (auto& b : blocks_) {
      for (const RowHash& h : b) bucketed[at[h.hash >> shift]++] = h;
      b = {};
    }
  }
  blocks_.clear();
  blocks_.push_back(std::move(bucketed));  // kept, so that summary() can be called again
  std::vector<RowHash>& hashes = blocks_.front();
  auto by_hash = [](const RowHash& a, const RowHash& b) { return a.hash < b.hash; };
  for (std::size_t k = 0; k + 1 < bucket_start.size(); ++k) {
    RowHash* first = hashes.data() + bucket_start[k];
    RowHash* last = hashes.data() + bucket_start[k + 1];
    if (last - first < 2) continue;
    if (last - first > 24) {
      std::sort(first, last, by_hash);
      continue;
    }
    for (RowHash* i = first + 1; i < last; ++i) {  // insertion sort: buckets are tiny
      const RowHash v = *i;
      RowHash* j = i;
      for (; j > first && v.hash < j[-1].hash; --j) *j = j[-1];
      *j = v;
    }
  }
  auto row_of = [&](const RowHash& h) { return start[h.chunk] + static_cast<std::int64_t>(h.offset); };

  DuplicateSummary out;
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  std::vector<std::int64_t> group;
  for (std::size_t i = 0; i < hashes.size();) {
    std::size_t j = i + 1;
    while (j < hashes.size() && hashes[j].hash == hashes[i].hash) ++j;
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
  return out;
}

}  // namespace fitcheck::profile
