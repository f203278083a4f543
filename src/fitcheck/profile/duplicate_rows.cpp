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

  // Equal rows have equal hashes, hence share a partition. Each partition's rows go through an
  // open-addressing table keyed by hash (the hashes are mixed: their low bits index it); a row
  // whose hash is already there is a repeat. Only the repeats (and the first row of each repeated
  // hash) are kept and sorted, to form the groups. Past first_table_slots_ the table grows with
  // the distinct hashes held, so a file of one row repeated needs no table the size of the file.
  const std::size_t partitions = std::size_t{1} << kPartitionBits;
  auto scan = [&](std::size_t p_begin, std::size_t p_end, DuplicateSummary& part) {
    enum : std::uint8_t { kEmpty = 0, kHeld = 1, kRepeated = 2 };
    std::vector<RowHash> slots, old_slots;
    std::vector<std::uint8_t> state, old_state;
    std::vector<std::pair<std::uint64_t, std::int64_t>> repeats;  // (hash, row)
    for (std::size_t p = p_begin; p < p_end; ++p) {
      std::size_t n = 0;
      for (const auto& set : sets_) n += set[p].size();
      if (n < 2) continue;
      std::size_t size = std::bit_ceil(std::min(2 * n, std::max<std::size_t>(first_table_slots_, 2)));
      std::uint64_t mask = size - 1;
      std::size_t held = 0;
      slots.resize(size);
      state.assign(size, kEmpty);
      repeats.clear();
      auto slot_of = [&](std::uint64_t hash) {
        std::uint64_t i = hash & mask;
        while (state[i] != kEmpty && slots[i].hash != hash) i = (i + 1) & mask;
        return i;
      };
      for (const auto& set : sets_) {
        for (const RowHash& h : set[p]) {
          std::uint64_t i = slot_of(h.hash);
          if (state[i] == kEmpty) {
            if (2 * (held + 1) > size) {  // keep the table at most half full
              old_slots.swap(slots);
              old_state.swap(state);
              size *= 2;
              mask = size - 1;
              slots.resize(size);
              state.assign(size, kEmpty);
              for (std::size_t k = 0; k < old_state.size(); ++k) {
                if (old_state[k] == kEmpty) continue;
                const std::uint64_t j = slot_of(old_slots[k].hash);
                slots[j] = old_slots[k];
                state[j] = old_state[k];
              }
              i = slot_of(h.hash);
            }
            state[i] = kHeld;
            slots[i] = h;
            ++held;
            continue;
          }
          if (state[i] == kHeld) {
            state[i] = kRepeated;
            repeats.emplace_back(slots[i].hash, row_of(slots[i]));
          }
          repeats.emplace_back(h.hash, row_of(h));
        }
      }
      std::sort(repeats.begin(), repeats.end());
      for (std::size_t i = 0; i < repeats.size();) {
        std::size_t j = i + 1;
        while (j < repeats.size() && repeats[j].first == repeats[i].first) ++j;
        ++part.groups;
        part.duplicate_rows += static_cast<std::int64_t>(j - i - 1);
        // Sorted by row within the hash: the first row is the one the others repeat.
        for (std::size_t d = i + 1; d < j && d - i <= kExamples; ++d) {
          part.examples.emplace_back(repeats[i].second, repeats[d].second);
        }
        i = j;
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
