// The brute-force search for many dimensions (SMOTE's minority class in 20 features): every
// pair of rows, as a float32 GEMM that never leaves the registers. The rows are centred and
// scaled by a power of two; for a block of 16 rows and a tile of 16 rows the kernel accumulates
// a.b in 16 registers, forms |a|^2 + |b|^2 - 2 a.b and uses each value both ways (the distance is
// symmetric): it ranks the tile's rows for each row of the block and the block's rows for each
// row of the tile, so every pair is computed once. Each value is compared with its row's
// running threshold; only the few that beat it leave the fast loop and enter the row's list of
// its 16 smallest values. The threshold is the k-th smallest value seen plus twice a bound on
// the float32 rounding error, so every row that could be among the exact k nearest is under the
// final threshold. At the end the rows under it are in the exact order when they are exactly k
// and further apart than the bound; otherwise (near-ties) they are ranked by the exact double
// distance and index, and when the list may have lost some (more than 16 under the threshold:
// duplicates) the row is ranked against all rows exactly. Either way the result equals
// k_nearest_rows_brute's, ties included.
//
// Threads: the rows are cut into panels; a task is a pair of panels, and two tasks run at once
// only when they share no panel, so every row's candidates have one owner at a time and the
// threads share one set of thresholds (per-thread copies would each learn them separately).
//
// This file is compiled with -ffp-contract=fast (src/fitcheck/prep/CMakeLists.txt) so that the
// accumulation is one FMA per lane; the error bound holds with or without contraction.
#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/tensor.hpp"
#include "fitcheck/prep/nearest_neighbors.hpp"

namespace fitcheck::prep {

namespace {

constexpr std::int64_t kLanes = 16;  // rows per tile: one AVX-512 register
constexpr std::int64_t kRows = 16;   // rows per block: one accumulator register each (16 hide the FMA latency)
using Vec = float __attribute__((vector_size(kLanes * sizeof(float))));
using Lanes = std::int32_t __attribute__((vector_size(kLanes * sizeof(std::int32_t))));

Vec load(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof(Vec));
  return v;
}

Vec broadcast(float t) { return t - Vec{}; }

// Bit i is set when v[i] <= t[i].
std::uint32_t lanes_at_or_below(Vec v, Vec t) {
#if defined(__AVX512F__)
  return _mm512_cmp_ps_mask(v, t, _CMP_LE_OQ);
#else
  std::uint32_t m = 0;
  for (int i = 0; i < kLanes; ++i) m |= static_cast<std::uint32_t>(v[i] <= t[i]) << i;
  return m;
#endif
}

template <class Body>
void run_workers(std::int64_t workers, const Body& body) {
  std::vector<std::thread> pool;
  for (std::int64_t t = 1; t < workers; ++t) pool.emplace_back([&body, t] { body(t); });
  body(0);
  for (auto& t : pool) t.join();
}

// The rows in the layout the kernel reads, centred and scaled by a power of two so that the
// largest coordinate is in [0.5, 1): no float32 overflow, and distances keep their order.
struct Prepared {
  std::int64_t n = 0, d = 0, stride = 0;  // stride: n rounded up to whole tiles
  core::Tensor columns;                   // (d, stride): feature j of every row, padded with 0
  std::vector<float> norms;               // |row|^2 per row; +inf for padding, which never wins
  std::vector<float> slack;               // per row: how far above the k-th value a row may be needed
};

Prepared prepare(const float* x, std::int64_t n, std::int64_t d, std::int64_t workers) {
  Prepared p;
  p.n = n;
  p.d = d;
  p.stride = (n + kLanes - 1) / kLanes * kLanes;
  // One pass for each feature's sum, least and largest value: the mean, and the largest
  // |x - mean| exactly (it is at one of the two extremes).
  std::vector<double> mean(static_cast<std::size_t>(d), 0.0);
  std::vector<float> lo(static_cast<std::size_t>(d), std::numeric_limits<float>::infinity());
  std::vector<float> hi(static_cast<std::size_t>(d), -std::numeric_limits<float>::infinity());
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < d; ++j) {
      const float v = x[i * d + j];
      const auto u = static_cast<std::size_t>(j);
      mean[u] += v;
      lo[u] = std::min(lo[u], v);
      hi[u] = std::max(hi[u], v);
    }
  }
  double max_abs = 0.0;
  for (std::size_t j = 0; j < mean.size(); ++j) {
    mean[j] /= static_cast<double>(n);
    max_abs = std::max({max_abs, hi[j] - mean[j], mean[j] - lo[j]});
  }
  const double scale = max_abs > 0.0 ? std::ldexp(1.0, -(std::ilogb(max_abs) + 1)) : 1.0;
  p.columns.resize(core::Shape({d, p.stride}));
  for (std::int64_t j = 0; j < d; ++j) std::fill(p.columns.data() + j * p.stride + n, p.columns.data() + (j + 1) * p.stride, 0.0f);
  p.norms.assign(static_cast<std::size_t>(p.stride), std::numeric_limits<float>::infinity());
  // Tiles of rows on the threads: each tile is scaled into a small row-major buffer, then
  // written to the columns one cache line per feature.
  std::vector<double> max_norms(static_cast<std::size_t>(workers), 0.0);
  run_workers(workers, [&](std::int64_t t) {
    std::vector<float> tile(static_cast<std::size_t>(kLanes * d));
    for (std::int64_t i0 = t * kLanes; i0 < n; i0 += workers * kLanes) {
      const std::int64_t rows = std::min(kLanes, n - i0);
      for (std::int64_t r = 0; r < rows; ++r) {
        double norm = 0.0;
        for (std::int64_t j = 0; j < d; ++j) {
          const auto v = static_cast<float>((x[(i0 + r) * d + j] - mean[static_cast<std::size_t>(j)]) * scale);
          tile[static_cast<std::size_t>(r * d + j)] = v;
          norm += static_cast<double>(v) * static_cast<double>(v);
        }
        p.norms[static_cast<std::size_t>(i0 + r)] = static_cast<float>(norm);
        max_norms[static_cast<std::size_t>(t)] = std::max(max_norms[static_cast<std::size_t>(t)], norm);
      }
      for (std::int64_t j = 0; j < d; ++j) {
        for (std::int64_t r = 0; r < rows; ++r) p.columns[j * p.stride + i0 + r] = tile[static_cast<std::size_t>(r * d + j)];
      }
    }
  });
  const double max_norm = *std::max_element(max_norms.begin(), max_norms.end());
  // With a = the query, b = a candidate, A = |a|^2, B = max |b|^2 and u = 2^-24, the kernel's
  // |a|^2 + |b|^2 - 2 a.b is within E = u (2d + 7) (A + B) of the exact squared distance
  // (rounding of the coordinates, of the norms and their sum, of the final subtraction, and of
  // the d FMAs of a.b, each off by at most u |a||b| <= u (A + B) / 2, doubled). A row can be
  // among the exact k nearest only if its value is within 2E of the k-th smallest value; the
  // slack is twice that, plus a floor for subnormal products.
  constexpr double kUnit = 1.0 / 16777216.0;
  p.slack.resize(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const double a = p.norms[static_cast<std::size_t>(i)];
    p.slack[static_cast<std::size_t>(i)] =
        static_cast<float>(4.0 * kUnit * static_cast<double>(2 * d + 7) * (max_norm + a) + 1e-30);
  }
  return p;
}

struct Entry {
  float value;
  std::int32_t index;
};

// Every row's m smallest values seen, with their rows, ascending: m = 16 in two registers when
// k <= 16 (a branch-free insertion), else a sorted array of k + 16. The threshold is the k-th
// value plus the slack. A row needed in the end has a value under the final threshold, and it is
// in the list unless all m values are under it (many near-ties or duplicates): such a row is
// searched again exactly at the end.
class Candidates {
 public:
  Candidates(const Prepared& p, std::int64_t k)
      : k_(k), m_(k <= kLanes ? kLanes : k + kLanes), slack_(p.slack.data()),
        thresholds_(static_cast<std::size_t>(p.stride), -FLT_MAX) {
    std::fill_n(thresholds_.begin(), p.n, FLT_MAX);
    if (k_ <= kLanes) {
      value_lanes_.assign(static_cast<std::size_t>(p.n), broadcast(FLT_MAX));
      index_lanes_.assign(static_cast<std::size_t>(p.n), Lanes{} - 1);
    } else {
      values_.assign(static_cast<std::size_t>(p.n * m_), FLT_MAX);
      indices_.assign(static_cast<std::size_t>(p.n * m_), -1);
    }
  }

  // Per row; the padding after the last row is -FLT_MAX, so it is never offered anything.
  float* thresholds() { return thresholds_.data(); }

  [[gnu::always_inline]] void offer(std::int64_t row, float v, std::int64_t index) {
    float& threshold = thresholds_[static_cast<std::size_t>(row)];
    if (!(v <= threshold)) return;
    const auto i = static_cast<std::int32_t>(index);
    const float kth = k_ <= kLanes ? insert_lanes(static_cast<std::size_t>(row), v, i) : insert_sorted(row, v, i);
    if (kth < FLT_MAX) threshold = std::min(threshold, kth + slack_[row]);
  }

  // The list's entries of `row` within the final threshold, ascending; false when entries under
  // it may have been pushed out of the list.
  bool collect(std::int64_t row, std::vector<Entry>& out) const {
    const float limit = thresholds_[static_cast<std::size_t>(row)];
    out.clear();
    float last = FLT_MAX;
    for (std::int64_t c = 0; c < m_; ++c) {
      const float v = k_ <= kLanes ? value_lanes_[static_cast<std::size_t>(row)][c] : values_[static_cast<std::size_t>(row * m_ + c)];
      const std::int32_t i = k_ <= kLanes ? index_lanes_[static_cast<std::size_t>(row)][c] : indices_[static_cast<std::size_t>(row * m_ + c)];
      if (v <= limit && i >= 0) out.push_back({v, i});
      last = v;
    }
    return !(last <= limit);
  }

 private:
  float insert_lanes(std::size_t row, float v, std::int32_t index) {
    const Lanes previous = {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    const Lanes first = {-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Vec& values = value_lanes_[row];
    Lanes& indices = index_lanes_[row];
    const Vec vv = broadcast(v);
    const Vec shifted = first ? broadcast(-FLT_MAX) : __builtin_shuffle(values, previous);
    // Lanes above the new value's place take their left neighbour; the place takes the value.
    const Lanes above = values > vv, from_left = shifted > vv;
    values = above ? (from_left ? shifted : vv) : values;
    indices = above ? (from_left ? __builtin_shuffle(indices, previous) : Lanes{} + index) : indices;
    return values[k_ - 1];
  }

  float insert_sorted(std::int64_t row, float v, std::int32_t index) {
    float* values = values_.data() + row * m_;
    std::int32_t* indices = indices_.data() + row * m_;
    if (v < values[m_ - 1]) {
      std::int64_t p = m_ - 1;
      while (p > 0 && values[p - 1] > v) {
        values[p] = values[p - 1];
        indices[p] = indices[p - 1];
        --p;
      }
      values[p] = v;
      indices[p] = index;
    }
    return values[k_ - 1];
  }

  std::int64_t k_, m_;
  const float* slack_;
  std::vector<float> thresholds_;
  std::vector<Vec> value_lanes_;     // per row, when k <= kLanes
  std::vector<Lanes> index_lanes_;
  std::vector<float> values_;        // (n, m) when k > kLanes
  std::vector<std::int32_t> indices_;
};

// The kernel: |a|^2 + |b|^2 - 2 a.b for block rows [i0, i0 + kRows) and tile rows
// [tile, tile + kLanes). Both sides are read from the column layout: a tile's feature j is one
// vector load, a block row's feature j a broadcast at a fixed offset from the same pointer, so
// the loop needs no index registers. The accumulators must stay in registers: the loops over r
// are unrolled explicitly (GCC keeps them in memory at -O2 otherwise).
[[gnu::always_inline]] inline void distances(const Prepared& p, std::int64_t i0, std::int64_t tile, Vec (&dist)[kRows]) {
  const std::int64_t d = p.d, stride = p.stride;
  const float* features = p.columns.data();
  Vec dot[kRows];
#pragma GCC unroll 16
  for (std::int64_t r = 0; r < kRows; ++r) dot[r] = Vec{};
  const float* block = features + i0;  // feature j of block row r: block[j * stride + r]
  const float* candidates = features + tile;
  for (std::int64_t j = 0; j < d; ++j, block += stride, candidates += stride) {
    const Vec col = load(candidates);
#pragma GCC unroll 16
    for (std::int64_t r = 0; r < kRows; ++r) dot[r] += block[r] * col;
  }
  const Vec tile_norm = load(p.norms.data() + tile);
  const float* row_norm = p.norms.data() + i0;
#pragma GCC unroll 16
  for (std::int64_t r = 0; r < kRows; ++r) dist[r] = (tile_norm + row_norm[r]) - 2.0f * dot[r];
}

// The positions of the set bits of words[0..kRows/4) (bit b of word w is 64 w + b), ascending,
// into `out` (room for 64 more than kRows * kLanes); returns how many. With AVX-512 VBMI2 one
// byte compression per word, without branches.
int hit_list(const std::uint64_t (&words)[kRows / 4], std::uint8_t* out) {
  static_assert(kRows * kLanes <= 256, "hit positions are bytes");
  int count = 0;
#if defined(__AVX512VBMI2__)
  alignas(64) static constexpr auto kIota = [] {
    std::array<std::uint8_t, 256> iota{};
    for (std::size_t i = 0; i < iota.size(); ++i) iota[i] = static_cast<std::uint8_t>(i);
    return iota;
  }();
  for (std::int64_t w = 0; w < kRows / 4; ++w) {
    const __m512i positions = _mm512_load_si512(kIota.data() + 64 * w);
    _mm512_storeu_si512(out + count, _mm512_maskz_compress_epi8(words[w], positions));
    count += std::popcount(words[w]);
  }
#else
  for (std::int64_t w = 0; w < kRows / 4; ++w) {
    for (std::uint64_t m = words[w]; m != 0; m &= m - 1) out[count++] = static_cast<std::uint8_t>(std::countr_zero(m) + 64 * w);
  }
#endif
  return count;
}

// Block rows [i0, i0 + kRows) against the rows of tiles [begin, end). With `own_tile`, `begin`
// is the block's own tile: its pairs are seen from both of their rows' blocks, so that tile
// updates only the block's rows.
void scan_block(const Prepared& p, std::int64_t i0, std::int64_t begin, std::int64_t end, bool own_tile,
                Candidates& c) {
  const float* thresholds = c.thresholds();
  const float* row_threshold = thresholds + i0;
  for (std::int64_t tile = begin; tile < end; tile += kLanes) {
    Vec dist[kRows];
    distances(p, i0, tile, dist);
    const Vec tile_threshold = load(thresholds + tile);
    const bool both_ways = !(own_tile && tile == begin);
    std::uint32_t as_query[kRows], as_candidate[kRows];
#pragma GCC unroll 16
    for (std::int64_t r = 0; r < kRows; ++r) {
      as_query[r] = lanes_at_or_below(dist[r], broadcast(row_threshold[r]));
      as_candidate[r] = both_ways ? lanes_at_or_below(dist[r], tile_threshold) : 0;
    }
    // The hits as bits (row r, lane) -> 16 r + lane, four rows per 64-bit word. About one tile in
    // three has a hit even with final thresholds (256 pairs, each a hit with probability ~2k/n),
    // so the tile goes straight here, and the hits become a list first: one loop over the list
    // mispredicts once at its end, a loop per word or row once per word or row.
    float values[kRows * kLanes];
    std::uint64_t query_bits[kRows / 4] = {}, candidate_bits[kRows / 4] = {};
#pragma GCC unroll 16
    for (std::int64_t r = 0; r < kRows; ++r) {
      std::memcpy(values + r * kLanes, &dist[r], sizeof(Vec));
      query_bits[r / 4] |= static_cast<std::uint64_t>(as_query[r]) << (kLanes * (r % 4));
      candidate_bits[r / 4] |= static_cast<std::uint64_t>(as_candidate[r]) << (kLanes * (r % 4));
    }
    std::uint8_t query_hits[kRows * kLanes + 64], candidate_hits[kRows * kLanes + 64];
    const int queries = hit_list(query_bits, query_hits), candidates = hit_list(candidate_bits, candidate_hits);
    for (int h = 0; h < queries; ++h) {
      const int bit = query_hits[h];
      c.offer(i0 + bit / kLanes, values[bit], tile + bit % kLanes);
    }
    for (int h = 0; h < candidates; ++h) {
      const int bit = candidate_hits[h];
      c.offer(tile + bit % kLanes, values[bit], i0 + bit / kLanes);
    }
  }
}

// Pairs of panels, handed to the threads so that no two running tasks share a panel.
class PanelPairs {
 public:
  explicit PanelPairs(std::int64_t panels) : busy_(static_cast<std::size_t>(panels), false) {
    // Pairs far apart first, the diagonal ones last: those are half the work each and need one
    // panel, so at the end neither thread waits long for a free pair.
    for (std::int64_t gap = panels - 1; gap >= 0; --gap) {
      for (std::int64_t a = 0; a + gap < panels; ++a) tasks_.push_back({a, a + gap});
    }
  }

  // The next task whose panels are free, or {-1, -1} when all are handed out.
  std::pair<std::int64_t, std::int64_t> take() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (tasks_.empty()) return {-1, -1};
      for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
        const auto [a, b] = *it;
        if (!busy_[static_cast<std::size_t>(a)] && !busy_[static_cast<std::size_t>(b)]) {
          busy_[static_cast<std::size_t>(a)] = busy_[static_cast<std::size_t>(b)] = true;
          tasks_.erase(it);
          return {a, b};
        }
      }
      freed_.wait(lock);
    }
  }

  void done(std::pair<std::int64_t, std::int64_t> task) {
    {
      std::lock_guard lock(mutex_);
      busy_[static_cast<std::size_t>(task.first)] = busy_[static_cast<std::size_t>(task.second)] = false;
    }
    freed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<bool> busy_;
  std::vector<std::pair<std::int64_t, std::int64_t>> tasks_;
};


}  // namespace

std::vector<std::int64_t> k_nearest_rows_blocked(const float* x, std::int64_t n, std::int64_t d, std::int64_t k,
                                                 int threads) {
  FITCHECK_CHECK(k >= 1 && k <= n && n < std::numeric_limits<std::int32_t>::max(),
                 "k_nearest_rows_blocked needs 1 <= k <= n < 2^31");
  std::vector<std::int64_t> out(static_cast<std::size_t>(n * k));
  // Below a few hundred rows a thread costs more than it saves. Four panels per thread leave
  // each thread a free pair most of the time.
  const std::int64_t tiles = (n + kLanes - 1) / kLanes;
  const auto workers = std::clamp<std::int64_t>(std::min<std::int64_t>(threads, tiles / 16), 1, 64);
  const Prepared p = prepare(x, n, d, workers);
  Candidates candidates(p, k);
  const std::int64_t panels = workers == 1 ? 1 : std::min(tiles, 4 * workers);
  auto panel_begin = [&](std::int64_t a) { return tiles * a / panels * kLanes; };
  PanelPairs pairs(panels);
  run_workers(workers, [&](std::int64_t) {
    for (auto task = pairs.take(); task.first >= 0; task = pairs.take()) {
      const auto [a, b] = task;
      const std::int64_t rows_end = std::min(n, panel_begin(a + 1));
      for (std::int64_t i0 = panel_begin(a); i0 < rows_end; i0 += kRows) {
        if (a == b) {
          scan_block(p, i0, i0 / kLanes * kLanes, panel_begin(a + 1), true, candidates);
        } else {
          scan_block(p, i0, panel_begin(b), panel_begin(b + 1), false, candidates);
        }
      }
      pairs.done(task);
    }
  });

  // Each row's candidates under its final threshold. When they are exactly k and their values
  // are further apart than the slack (twice the error bound), the values' order is the exact
  // order; otherwise (near-ties) they are ranked by the exact distance, and when the list may
  // have lost some (many near-ties, duplicates) the row is ranked against all rows exactly.
  run_workers(workers, [&](std::int64_t t) {
    std::vector<Entry> kept;
    std::vector<std::pair<double, std::int64_t>> exact;
    for (std::int64_t i = t; i < n; i += workers) {
      const bool complete = candidates.collect(i, kept);
      std::int64_t* row_out = out.data() + i * k;
      if (complete) {
        FITCHECK_CHECK(static_cast<std::int64_t>(kept.size()) >= k, "the neighbour search lost candidates");
        bool separated = static_cast<std::int64_t>(kept.size()) == k;
        const double slack = p.slack[static_cast<std::size_t>(i)];
        for (std::int64_t c = 1; separated && c < k; ++c) {
          separated = static_cast<double>(kept[static_cast<std::size_t>(c)].value) -
                          static_cast<double>(kept[static_cast<std::size_t>(c - 1)].value) > slack;
        }
        if (separated) {
          for (std::int64_t c = 0; c < k; ++c) row_out[c] = kept[static_cast<std::size_t>(c)].index;
          continue;
        }
      }
      exact.clear();
      if (complete) {
        for (const auto& e : kept) exact.push_back({detail::squared_distance(x + i * d, x + e.index * d, d), e.index});
      } else {
        for (std::int64_t r = 0; r < n; ++r) exact.push_back({detail::squared_distance(x + i * d, x + r * d, d), r});
      }
      std::partial_sort(exact.begin(), exact.begin() + k, exact.end());
      for (std::int64_t c = 0; c < k; ++c) row_out[c] = exact[static_cast<std::size_t>(c)].second;
    }
  });
  return out;
}

}  // namespace fitcheck::prep
