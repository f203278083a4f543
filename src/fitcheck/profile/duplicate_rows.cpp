#include "fitcheck/profile/duplicate_rows.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <thread>

#include "fitcheck/core/error.hpp"
#include "fitcheck/profile/row_hash.hpp"
#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {

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
  if (sets_.empty()) sets_.emplace_back(std::size_t{1} << kPartitionBits);
  Partitions& parts = sets_.front();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t h = mix64(rows[i]);
    parts[h >> (64 - kPartitionBits)].push_back({h, static_cast<std::uint32_t>(chunk_index), static_cast<std::uint32_t>(i)});
  }
  chunk_sizes_.emplace_back(chunk_index, static_cast<std::int64_t>(n));
}

void DuplicateRows::merge(const DuplicateRows& other) {
  sets_.insert(sets_.end(), other.sets_.begin(), other.sets_.end());
  chunk_sizes_.insert(chunk_sizes_.end(), other.chunk_sizes_.begin(), other.chunk_sizes_.end());
}

void DuplicateRows::merge(DuplicateRows&& other) {
  for (auto& set : other.sets_) sets_.push_back(std::move(set));
  other.sets_ = {};
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
  auto row_of = [&](const RowHash& h) { return start[h.chunk] + static_cast<std::int64_t>(h.offset); };

  // Equal rows have equal hashes, hence share a partition. Each partition is gathered from every
  // set and sorted by hash: counted into sub-buckets by the next bits (the hashes are mixed, so
  // they hold ~8 rows each), and each sub-bucket sorted on its own.
  const std::size_t partitions = std::size_t{1} << kPartitionBits;
  auto scan = [&](std::size_t p_begin, std::size_t p_end, DuplicateSummary& part) {
    std::vector<RowHash> gathered, by_bucket;
    std::vector<std::size_t> bucket_start;
    std::vector<std::int64_t> group;
    for (std::size_t p = p_begin; p < p_end; ++p) {
      gathered.clear();
      for (const auto& set : sets_) gathered.insert(gathered.end(), set[p].begin(), set[p].end());
      const std::size_t n = gathered.size();
      if (n < 2) continue;
      const int bits = std::clamp(static_cast<int>(std::bit_width(n / 8)), 0, 64 - kPartitionBits - 1);
      const int shift = 64 - kPartitionBits - bits;
      const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
      const std::size_t buckets = std::size_t{1} << bits;
      bucket_start.assign(buckets + 1, 0);
      for (const RowHash& h : gathered) ++bucket_start[((h.hash >> shift) & mask) + 1];
      for (std::size_t k = 1; k <= buckets; ++k) bucket_start[k] += bucket_start[k - 1];
      by_bucket.resize(n);
      {
        std::vector<std::size_t> at(bucket_start.begin(), bucket_start.end() - 1);
        for (const RowHash& h : gathered) by_bucket[at[(h.hash >> shift) & mask]++] = h;
      }
      for (std::size_t k = 0; k < buckets; ++k) {
        RowHash* first = by_bucket.data() + bucket_start[k];
        RowHash* last = by_bucket.data() + bucket_start[k + 1];
        if (last - first < 2) continue;
        if (last - first > 24) {
          std::sort(first, last, [](const RowHash& x, const RowHash& y) { return x.hash < y.hash; });
        } else {
          for (RowHash* i = first + 1; i < last; ++i) {  // insertion sort: sub-buckets are tiny
            const RowHash v = *i;
            RowHash* j = i;
            for (; j > first && v.hash < j[-1].hash; --j) *j = j[-1];
            *j = v;
          }
        }
        for (RowHash* i = first; i < last;) {
          RowHash* j = i + 1;
          while (j < last && j->hash == i->hash) ++j;
          if (j - i > 1) {
            ++part.groups;
            part.duplicate_rows += static_cast<std::int64_t>(j - i - 1);
            group.clear();
            for (RowHash* g = i; g < j; ++g) group.push_back(row_of(*g));
            std::sort(group.begin(), group.end());
            for (std::size_t d = 1; d < group.size() && d <= kExamples; ++d) part.examples.emplace_back(group[0], group[d]);
          }
          i = j;
        }
      }
    }
  };
  // Two threads when there is enough to share (this runs after the parallel part, alone), each
  // with half of the partitions.
  const std::int64_t total = rows();
  const bool two = total >= (std::int64_t{1} << 17) && std::thread::hardware_concurrency() > 1;
  DuplicateSummary parts[2];
  if (two) {
    std::thread other(scan, partitions / 2, partitions, std::ref(parts[1]));
    scan(0, partitions / 2, parts[0]);
    other.join();
  } else {
    scan(0, partitions, parts[0]);
  }

  DuplicateSummary out;
  for (auto& part : parts) {
    out.groups += part.groups;
    out.duplicate_rows += part.duplicate_rows;
    out.examples.insert(out.examples.end(), part.examples.begin(), part.examples.end());
  }
  std::sort(out.examples.begin(), out.examples.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
  if (out.examples.size() > kExamples) out.examples.resize(kExamples);
  return out;
}

}  // namespace fitcheck::profile
