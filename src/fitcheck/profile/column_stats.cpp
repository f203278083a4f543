#include "fitcheck/profile/column_stats.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "fitcheck/profile/sorted_values.hpp"
#include "fitcheck/profile/value_hash.hpp"

namespace fitcheck::profile {

void Moments::merge(const Moments& other) {
  if (other.n == 0) return;
  if (n == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n), nb = static_cast<double>(other.n);
  const double total = na + nb;
  const double delta = other.mean - mean;
  mean += delta * (nb / total);
  m2 += other.m2 + delta * delta * (na * nb / total);
  n += other.n;
}

Moments Moments::of(std::span<const double> values) {
  Moments m;
  const std::size_t n = values.size();
  if (n == 0) return m;
  const double* const v = values.data();
  // Four partial sums, lane l taking the values at i + l: independent chains. Written with
  // vectors where there are any (GCC's own version of the loops shuffled lanes between scalar
  // adds); the arithmetic, and so the result, is the same either way.
  double s[4] = {0, 0, 0, 0};
  std::size_t i = 0;
#if defined(__AVX__)
  __m256d sum = _mm256_setzero_pd();
  for (; i + 4 <= n; i += 4) sum = _mm256_add_pd(sum, _mm256_loadu_pd(v + i));
  _mm256_storeu_pd(s, sum);
#else
  for (; i + 4 <= n; i += 4) {
    for (std::size_t l = 0; l < 4; ++l) s[l] += v[i + l];
  }
#endif
  for (; i < n; ++i) s[0] += v[i];
  const double count = static_cast<double>(n);
  double mean = ((s[0] + s[1]) + (s[2] + s[3])) / count;
  double d[4] = {0, 0, 0, 0}, q[4] = {0, 0, 0, 0};
  i = 0;
#if defined(__AVX__)
  const __m256d mean4 = _mm256_set1_pd(mean);
  __m256d dev = _mm256_setzero_pd(), sq = _mm256_setzero_pd();
  for (; i + 4 <= n; i += 4) {
    const __m256d e = _mm256_sub_pd(_mm256_loadu_pd(v + i), mean4);
    dev = _mm256_add_pd(dev, e);
    sq = _mm256_add_pd(sq, _mm256_mul_pd(e, e));  // no FMA: the same rounding as the scalar loop
  }
  _mm256_storeu_pd(d, dev);
  _mm256_storeu_pd(q, sq);
#else
  for (; i + 4 <= n; i += 4) {
    for (std::size_t l = 0; l < 4; ++l) {
      const double e = v[i + l] - mean;
      d[l] += e;
      q[l] += e * e;
    }
  }
#endif
  for (; i < n; ++i) {
    const double e = v[i] - mean;
    d[0] += e;
    q[0] += e * e;
  }
  // The corrected two-pass algorithm: the residual sum removes the rounding error of the mean.
  const double residual = (d[0] + d[1]) + (d[2] + d[3]);
  m.n = static_cast<std::int64_t>(n);
  m.mean = mean + residual / count;
  m.m2 = std::max(0.0, ((q[0] + q[1]) + (q[2] + q[3])) - residual * residual / count);
  return m;
}

ColumnStats::ColumnStats(std::string name, ColumnStatsOptions options)
    : name_(std::move(name)),
      options_(options),
      sketch_(options.sketch_k, mix64(0x6669746368656b6bULL ^ options.seed)),
      counts_(options.exact_distinct_limit) {}

namespace {

// Wider of two source dtypes of the same column seen in different chunks.
core::DType wider(core::DType a, core::DType b) {
  if (a == b) return a;
  auto rank = [](core::DType t) {
    if (t == core::DType::String) return 3;
    if (core::dtype_is_float(t)) return 2;
    if (core::dtype_is_integer(t)) return 1;
    return 0;
  };
  if (rank(a) != rank(b)) return rank(a) > rank(b) ? a : b;
  if (rank(a) == 2) return core::DType::Float64;
  if (rank(a) == 1) return core::DType::Int64;
  return a;
}

}  // namespace

void ColumnStats::add(const core::Column& column, ChunkScratch& scratch) {
  source_dtype_ = seen_ ? wider(source_dtype_, column.source_dtype) : column.source_dtype;
  seen_ = true;
  if (column.type == core::ColumnType::Categorical) {
    if (!is_text_) convert_to_text();
    add_text(column, scratch);
    return;
  }
  if (is_text_) {
    // A numeric chunk of a column that is text elsewhere: profile it alone, then as text.
    ColumnStats part(name_, options_);
    part.add(column, scratch);
    merge(part);
    return;
  }
  // Numbers are sorted in slices that stay in the core's cache (a whole 1M-row column sorts
  // slower per value); the slices merge like chunks.
  constexpr std::int64_t kSliceRows = std::int64_t{1} << 16;
  for (std::int64_t begin = 0; begin < column.size(); begin += kSliceRows) {
    add_numbers(column, begin, std::min(column.size(), begin + kSliceRows), scratch);
  }
}

void ColumnStats::add_numbers(const core::Column& column, std::int64_t begin, std::int64_t end,
                              ChunkScratch& scratch) {
  rows_ += end - begin;
  // The slice's present, finite values, written by index into a buffer that only ever grows
  // (push_back's capacity check on every value cost more than the copy).
  const auto slice = static_cast<std::size_t>(end - begin);
  if (scratch.values.size() < slice) scratch.values.resize(slice);
  double* const out = scratch.values.data();
  std::size_t m = 0;
  const bool all_valid = column.valid.empty();
  std::int64_t missing = 0, non_finite = 0;
  // The range of an integer column's values: a narrow one is sorted by counting.
  std::int64_t int_lo = std::numeric_limits<std::int64_t>::max(), int_hi = std::numeric_limits<std::int64_t>::min();
  switch (column.type) {
    case core::ColumnType::Float64:
      if (all_valid) {
        // Most columns: a straight copy that vectorises; the rare non-finite values are
        // filtered out afterwards.
        const double* const in = column.f64.data() + begin;
        std::size_t finite = 0;
        for (std::size_t i = 0; i < slice; ++i) {
          out[i] = in[i];
          finite += std::fabs(in[i]) <= std::numeric_limits<double>::max() ? 1 : 0;
        }
        m = slice;
        if (finite < slice) {
          m = 0;
          for (std::size_t i = 0; i < slice; ++i) {
            out[m] = out[i];
            m += std::isfinite(out[i]) ? 1 : 0;
          }
        }
        non_finite = static_cast<std::int64_t>(slice - m);
        break;
      }
      for (std::int64_t i = begin; i < end; ++i) {
        const auto k = static_cast<std::size_t>(i);
        const double v = column.f64[k];
        const bool present = all_valid || column.valid[k] != 0;
        const bool finite = std::isfinite(v);
        out[m] = v;
        m += present && finite ? 1 : 0;
        missing += present ? 0 : 1;
        non_finite += present && !finite ? 1 : 0;
      }
      break;
    case core::ColumnType::Int64:
      for (std::int64_t i = begin; i < end; ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (!all_valid && column.valid[k] == 0) {
          ++missing;
        } else {
          const std::int64_t v = column.i64[k];
          int_lo = std::min(int_lo, v);
          int_hi = std::max(int_hi, v);
          out[m++] = static_cast<double>(v);
        }
      }
      break;
    case core::ColumnType::Bool:
      for (std::int64_t i = begin; i < end; ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (!all_valid && column.valid[k] == 0) {
          ++missing;
        } else {
          out[m++] = column.b[k] != 0 ? 1.0 : 0.0;
        }
      }
      break;
    case core::ColumnType::Categorical:
      break;  // handled by add_text
  }
  const std::span<double> values(out, m);
  missing_ += missing;
  non_finite_ += non_finite;
  if (values.empty()) return;

  const Moments chunk_moments = Moments::of(values);
  // Counting pays while the range is not much wider than the slice (its counters stay in cache).
  const bool narrow = column.type == core::ColumnType::Int64 && int_hi >= int_lo &&
                      static_cast<std::uint64_t>(int_hi) - static_cast<std::uint64_t>(int_lo) <
                          std::max<std::uint64_t>(4096, values.size());
  if (narrow) {
    counting_sort_integers(values, int_lo, int_hi, scratch.sort_keys);
  } else {
    sort_values(values);
  }
  if (moments_.n == 0) {
    min_ = values.front();
    max_ = values.back();
  } else {
    min_ = std::min(min_, values.front());
    max_ = std::max(max_, values.back());
  }
  moments_.merge(chunk_moments);

  // Columns of unique floats are common: when no two sorted neighbours are equal, the runs are
  // the values themselves and need not be built.
  if (equal_neighbours(values) == 0) {
    // Sorted: the zeros (0.0 and -0.0 compare equal) are one run, found by binary search, and
    // the first fractional value settles the whole-number question (usually the first value).
    const auto zeros = std::equal_range(values.begin(), values.end(), 0.0);
    zeros_ += zeros.second - zeros.first;
    const auto whole = [](double v) { return v == std::trunc(v); };
    integer_valued_ = integer_valued_ && std::all_of(values.begin(), values.end(), whole);
    std::array<std::uint64_t, 256> hashes;
    for (std::size_t at = 0; at < values.size(); at += hashes.size()) {
      const std::size_t batch = std::min(hashes.size(), values.size() - at);
      for (std::size_t i = 0; i < batch; ++i) hashes[i] = hash_number(values[at + i]);
      hll_.add_hashes(std::span<const std::uint64_t>(hashes.data(), batch));
    }
    counts_.add_distinct_sorted(values);
  } else {
    collect_runs(values, scratch.runs);
    for (const auto& run : scratch.runs) {
      if (run.value == 0.0) zeros_ += run.count;
      if (integer_valued_ && run.value != std::trunc(run.value)) integer_valued_ = false;
      hll_.add_hash(hash_number(run.value));
    }
    counts_.add_runs(scratch.runs);
  }
  sketch_.add_sorted(values);
}

void ColumnStats::add_text(const core::Column& column, ChunkScratch& scratch) {
  const std::int64_t n = column.size();
  rows_ += n;
  auto& counts = scratch.code_counts;
  counts.assign(column.dictionary.size(), 0);
  std::int64_t present = 0;
  const bool all_valid = column.valid.empty();
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const std::int32_t code = column.codes[k];
    if ((all_valid || column.valid[k] != 0) && code >= 0 && static_cast<std::size_t>(code) < counts.size()) {
      ++counts[static_cast<std::size_t>(code)];
      ++present;
    }
  }
  missing_ += n - present;
  std::vector<std::pair<std::string, std::int64_t>> texts;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] == 0) continue;
    texts.emplace_back(column.dictionary[c], counts[c]);
    hll_.add_hash(hash_text(column.dictionary[c]));
  }
  counts_.add_texts(texts);
}

void ColumnStats::convert_to_text() {
  is_text_ = true;
  integer_valued_ = false;
  moments_ = {};
  sketch_ = KllSketch(options_.sketch_k, mix64(0x6669746368656b6bULL ^ options_.seed));
  counts_.to_text();
}

void ColumnStats::merge(const ColumnStats& other) {
  if (!other.seen_) return;
  source_dtype_ = seen_ ? wider(source_dtype_, other.source_dtype_) : other.source_dtype_;
  seen_ = true;
  if (other.is_text_ && !is_text_) convert_to_text();
  rows_ += other.rows_;
  missing_ += other.missing_;
  non_finite_ += other.non_finite_;
  zeros_ += other.zeros_;
  hll_.merge(other.hll_);
  counts_.merge(other.counts_);
  if (is_text_) return;
  integer_valued_ = integer_valued_ && other.integer_valued_;
  if (other.moments_.n > 0) {
    min_ = moments_.n == 0 ? other.min_ : std::min(min_, other.min_);
    max_ = moments_.n == 0 ? other.max_ : std::max(max_, other.max_);
  }
  moments_.merge(other.moments_);
  sketch_.merge(other.sketch_);
}

double ColumnStats::zero_share() const {
  return count() > 0 ? static_cast<double>(zeros_) / static_cast<double>(count()) : 0.0;
}

std::optional<double> ColumnStats::min() const {
  if (is_text_ || moments_.n == 0) return std::nullopt;
  return min_;
}

std::optional<double> ColumnStats::max() const {
  if (is_text_ || moments_.n == 0) return std::nullopt;
  return max_;
}

std::optional<double> ColumnStats::mean() const {
  if (is_text_ || moments_.n == 0) return std::nullopt;
  return moments_.mean;
}

std::optional<double> ColumnStats::std() const {
  if (is_text_ || moments_.n < 2) return std::nullopt;
  return std::sqrt(moments_.m2 / static_cast<double>(moments_.n - 1));
}

std::optional<std::vector<double>> ColumnStats::quantiles() const {
  if (is_text_ || sketch_.empty()) return std::nullopt;
  return sketch_.quantiles(kReportedQuantiles);
}

double ColumnStats::quantile_rank_error() const {
  if (sketch_.empty()) return 0.0;
  return sketch_.rank_error_bound(0.01) / static_cast<double>(sketch_.count());
}

std::int64_t ColumnStats::distinct() const {
  if (counts_.exact()) return static_cast<std::int64_t>(counts_.size());
  return static_cast<std::int64_t>(std::llround(hll_.estimate()));
}

double ColumnStats::distinct_standard_error() const {
  return counts_.exact() ? 0.0 : HyperLogLog::standard_error();
}

}  // namespace fitcheck::profile
