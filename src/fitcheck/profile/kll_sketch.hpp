#pragma once
// KLL quantile sketch (Karnin, Lang, Liberty, "Optimal Quantile Approximation in Streams", 2016),
// written from the paper's description: a stack of compactors; level h holds items of weight 2^h
// and has capacity about k * (2/3)^(depth below the top level), at least 2. A full level is sorted
// and halved: the items at even or at odd positions (a fair coin) move up with double weight.
//
// Error bound. For any query value x, one compaction at level h changes the estimated rank of x
// by 0 or by +-2^h, with mean zero over the coin. The errors form a martingale, so by
// Azuma-Hoeffding, P(|rank error| >= t) <= 2 exp(-t^2 / (2 W)) with W = sum over compactions of
// 4^h. The sketch counts W as it compacts (and adds it up in merges), so rank_error_bound(delta)
// is a bound for this very sketch, not a worst case from the paper's constants. A quantile
// answer is a held item, so its rank can also be off by that item's weight (at most the top
// level's 2^h); rank_error_bound() adds it.
//
// Batches: add_sorted() takes a whole sorted chunk as one level-0 compactor and halves it until
// it is no larger than k (same coin, same accounting) before it joins the stack. That costs one
// pass per halving instead of a sort per k values.
//
// Randomness is a splitmix64 stream from a fixed seed, so a given sequence of calls always gives
// the same sketch.

#include <cstdint>
#include <span>
#include <vector>

namespace fitcheck::profile {

class KllSketch {
 public:
  static constexpr int kDefaultK = 1024;
  explicit KllSketch(int k = kDefaultK, std::uint64_t seed = 0x6b6c6c5f73656564ULL);

  void add(double value);
  // `sorted` must be ascending and free of NaN.
  void add_sorted(std::span<const double> sorted);
  // Adds the other sketch's items; the result summarises both streams (the k of *this is kept).
  void merge(const KllSketch& other);

  std::int64_t count() const { return n_; }
  bool empty() const { return n_ == 0; }
  // True while every value is held with weight 1: quantiles are then exact.
  bool exact() const { return compaction_variance_ == 0.0; }

  // The q-quantile, 0 <= q <= 1. While exact(), numpy's default (linear interpolation between the
  // two nearest ranks); otherwise the smallest held value whose cumulative weight reaches q * n.
  // NaN when empty.
  double quantile(double q) const;
  // Several quantiles from one sort of the held items.
  std::vector<double> quantiles(std::span<const double> qs) const;
  // Estimated number of values <= x.
  double rank(double x) const;

  // t such that, for one query, P(|estimated rank - true rank| >= t) <= delta, and the true rank
  // of quantile(q) is within t of q * count() with the same probability (see above). In values;
  // divide by count() for the normalised rank error. 0 while exact().
  double rank_error_bound(double delta = 0.01) const;
  double compaction_variance() const { return compaction_variance_; }
  // Items held (memory is about 8 bytes each).
  std::size_t retained() const;

 private:
  std::size_t capacity(std::size_t level) const;
  std::size_t total_capacity() const;
  void compress();
  // One compaction of sorted items at `level`: an odd last item stays there, the items at even or
  // odd positions (a coin) go to `up`.
  void halve(std::span<const double> sorted, std::size_t level, std::vector<double>& up);
  bool coin();
  void ensure_level(std::size_t level);

  int k_;
  std::uint64_t rng_state_;
  std::int64_t n_ = 0;
  double compaction_variance_ = 0.0;  // W: sum of 4^h over compactions
  std::vector<std::vector<double>> levels_;
  double min_ = 0.0, max_ = 0.0;
};

}  // namespace fitcheck::profile
