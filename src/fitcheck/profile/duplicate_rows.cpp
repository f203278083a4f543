#include "fitcheck/profile/duplicate_rows.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <thread>

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
  const std::size_t buckets = std::size_t{1} << bits;
  // Two threads when there is enough to share (this runs after the parallel part, alone): each
  // counts and scatters its half of the blocks, then sorts and scans its half of the buckets.
  const int threads = total >= (std::size_t{1} << 17) && std::thread::hardware_concurrency() > 1 ? 2 : 1;
  auto run = [&](auto&& task) {
    if (threads == 1) {
      task(0);
      return;
    }
    std::thread other(task, 1);
    task(0);
    other.join();
  };
  // Thread 0 takes blocks [0, split) and buckets [0, bucket_split); thread 1 the rest.
  const std::size_t split = threads == 2 ? (blocks_.size() + 1) / 2 : blocks_.size();
  const std::size_t bucket_split = threads == 2 ? buckets / 2 : buckets;
  auto block_range = [&](int t) { return t == 0 ? std::pair{std::size_t{0}, split} : std::pair{split, blocks_.size()}; };
  std::vector<std::vector<std::size_t>> counts(static_cast<std::size_t>(threads), std::vector<std::size_t>(buckets, 0));
  run([&](int t) {
    const auto [begin, end] = block_range(t);
    auto& c = counts[static_cast<std::size_t>(t)];
    for (std::size_t i = begin; i < end; ++i) {
      for (const RowHash& h : blocks_[i]) ++c[h.hash >> shift];
    }
  });
  // bucket_start[k]: where bucket k begins; thread t writes its part after those of threads < t.
  std::vector<std::size_t> bucket_start(buckets + 1, 0);
  for (std::size_t k = 0; k < buckets; ++k) {
    std::size_t n = 0;
    for (const auto& c : counts) n += c[k];
    bucket_start[k + 1] = bucket_start[k] + n;
  }
  std::vector<RowHash> hashes(total);
  run([&](int t) {
    std::vector<std::size_t> at(buckets);
    for (std::size_t k = 0; k < buckets; ++k) at[k] = bucket_start[k] + (t == 1 ? counts[0][k] : 0);
    const auto [begin, end] = block_range(t);
    for (std::size_t i = begin; i < end; ++i) {
      for (const RowHash& h : blocks_[i]) hashes[at[h.hash >> shift]++] = h;
      blocks_[i] = {};  // freed as it goes: memory stays at 16 bytes a row
    }
  });
  counts = {};
  auto row_of = [&](const RowHash& h) { return start[h.chunk] + static_cast<std::int64_t>(h.offset); };
  auto by_hash = [](const RowHash& x, const RowHash& y) { return x.hash < y.hash; };
  // Sorts buckets [k_begin, k_end) and collects their groups; a group never spans buckets.
  std::vector<DuplicateSummary> parts(static_cast<std::size_t>(threads));
  run([&](int t) {
    const std::size_t k_begin = t == 0 ? 0 : bucket_split;
    const std::size_t k_end = t == 0 ? bucket_split : buckets;
    DuplicateSummary& part = parts[static_cast<std::size_t>(t)];
    std::vector<std::int64_t> group;
    for (std::size_t k = k_begin; k < k_end; ++k) {
      RowHash* first = hashes.data() + bucket_start[k];
      RowHash* last = hashes.data() + bucket_start[k + 1];
      if (last - first < 2) continue;
      if (last - first > 24) {
        std::sort(first, last, by_hash);
      } else {
        for (RowHash* i = first + 1; i < last; ++i) {  // insertion sort: buckets are tiny
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
  });
  blocks_.clear();
  blocks_.push_back(std::move(hashes));  // kept, so that summary() can be called again

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
