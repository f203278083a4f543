#pragma once
// Mergeable statistics of one column. Feed it chunks of a column (add), merge partial results
// from other chunks or threads (merge), read the statistics at any time. Merging partial
// statistics of a split column gives what one pass over the whole column gives: exactly for
// counts, min, max, exact distinct counts and exact top values; to rounding (~1e-15 relative) for
// mean and standard deviation; within the sketches' bounds for quantiles and large distinct
// counts.
//
// Which values count where:
// - rows: every row; missing: rows whose cell is missing (empty field, NA token, NaN in an
//   array); count = rows - missing (pandas' count).
// - non_finite: present values that are +-inf, or NaN stored as a value.
// - All other numeric statistics (moments, min, max, quantiles, zeros, distinct, top) are over
//   the finite present values.
// - A column that is text in any chunk is text: numeric statistics are dropped and its numbers
//   are counted as text.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fitcheck/core/dtype.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/profile/column_role.hpp"
#include "fitcheck/profile/hyper_log_log.hpp"
#include "fitcheck/profile/kll_sketch.hpp"
#include "fitcheck/profile/value_counts.hpp"

namespace fitcheck::profile {

// The quantiles reported: 1, 5, 25, 50, 75, 95, 99 %.
inline constexpr std::array<double, 7> kReportedQuantiles = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};

struct ColumnStatsOptions {
  std::size_t exact_distinct_limit = ValueCounts::kDefaultExactLimit;
  int sketch_k = KllSketch::kDefaultK;
  std::uint64_t seed = 0;  // mixed into the sketch's seed (deterministic per column)
};

// Reusable buffers for add(), one per thread.
struct ChunkScratch {
  std::vector<double> values;
  std::vector<std::uint64_t> sort_keys;  // counting_sort_integers's counters
  std::vector<ValueRun> runs;
  std::vector<std::int64_t> code_counts;
};

// Streaming mean and M2 (sum of squared deviations); merged with Chan et al.'s pairwise formula.
struct Moments {
  std::int64_t n = 0;
  double mean = 0.0;
  double m2 = 0.0;
  void merge(const Moments& other);
  // Two-pass over one chunk (more accurate than Welford's per-value update, and vectorisable).
  static Moments of(std::span<const double> values);
};

class ColumnStats {
 public:
  explicit ColumnStats(std::string name = {}, ColumnStatsOptions options = {});

  void add(const core::Column& column, ChunkScratch& scratch);
  void merge(const ColumnStats& other);

  const std::string& name() const { return name_; }
  core::DType source_dtype() const { return source_dtype_; }
  bool is_text() const { return is_text_; }

  std::int64_t rows() const { return rows_; }
  std::int64_t missing() const { return missing_; }
  std::int64_t count() const { return rows_ - missing_; }
  std::int64_t non_finite() const { return non_finite_; }
  std::int64_t finite_count() const { return moments_.n; }
  std::int64_t zeros() const { return zeros_; }
  double zero_share() const;  // zeros / count, 0 when count is 0
  // True when the column has finite numbers and every one is a whole number.
  bool integer_valued() const { return !is_text_ && moments_.n > 0 && integer_valued_; }

  // Numeric statistics; nullopt for text columns or when there is no finite value.
  std::optional<double> min() const;
  std::optional<double> max() const;
  std::optional<double> mean() const;
  std::optional<double> std() const;  // ddof = 1, as pandas; nullopt with fewer than 2 values
  std::optional<std::vector<double>> quantiles() const;  // at kReportedQuantiles
  // Normalised rank error bound of the quantiles at 99 % confidence (0 while exact).
  double quantile_rank_error() const;
  const KllSketch& sketch() const { return sketch_; }

  // Distinct finite values (text: distinct strings); exact while distinct_exact().
  std::int64_t distinct() const;
  bool distinct_exact() const { return counts_.exact(); }
  double distinct_standard_error() const;  // 0 when exact; relative, HyperLogLog's
  std::vector<TopValue> top(std::size_t k) const { return counts_.top(k); }
  bool top_exact() const { return counts_.exact(); }
  std::int64_t top_error_bound() const { return counts_.error_bound(); }
  const ValueCounts& value_counts() const { return counts_; }

  ColumnRole role() const { return infer_role(*this); }

 private:
  void add_numbers(const core::Column& column, std::int64_t begin, std::int64_t end, ChunkScratch& scratch);
  void add_text(const core::Column& column, ChunkScratch& scratch);
  void convert_to_text();

  std::string name_;
  ColumnStatsOptions options_;
  bool seen_ = false;
  core::DType source_dtype_ = core::DType::Float64;
  bool is_text_ = false;
  std::int64_t rows_ = 0;
  std::int64_t missing_ = 0;
  std::int64_t non_finite_ = 0;
  std::int64_t zeros_ = 0;
  bool integer_valued_ = true;
  double min_ = 0.0, max_ = 0.0;
  Moments moments_;
  KllSketch sketch_;
  HyperLogLog hll_;
  ValueCounts counts_;
};

}  // namespace fitcheck::profile
