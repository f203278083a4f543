#include "fitcheck/profile/kll_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "fitcheck/profile/sorted_values.hpp"

namespace fitcheck::profile {

KllSketch::KllSketch(int k, std::uint64_t seed) : k_(std::max(k, 8)), rng_state_(seed) {
  levels_.resize(1);
}

bool KllSketch::coin() {
  // splitmix64: small, fast, and good enough for fair coins.
  rng_state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = rng_state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (z >> 63) != 0;
}

void KllSketch::ensure_level(std::size_t level) {
  if (levels_.size() <= level) levels_.resize(level + 1);
}

std::size_t KllSketch::capacity(std::size_t level) const {
  const std::size_t depth = levels_.size() - 1 - level;
  const double c = std::ceil(static_cast<double>(k_) * std::pow(2.0 / 3.0, static_cast<double>(depth)));
  return std::max<std::size_t>(2, static_cast<std::size_t>(c));
}

std::size_t KllSketch::total_capacity() const {
  std::size_t total = 0;
  for (std::size_t h = 0; h < levels_.size(); ++h) total += capacity(h);
  return total;
}

std::size_t KllSketch::retained() const {
  std::size_t total = 0;
  for (const auto& l : levels_) total += l.size();
  return total;
}

void KllSketch::halve(std::span<const double> sorted, std::size_t level, std::vector<double>& up) {
  std::size_t m = sorted.size();
  ensure_level(level);
  if (m % 2 == 1) levels_[level].push_back(sorted[--m]);  // the odd one out stays at this level
  // Written by index (a push_back per item checked the capacity every time).
  const std::size_t first = coin() ? 1 : 0;
  up.resize(m / 2);
  double* const out = up.data();
  for (std::size_t j = 0; j < m / 2; ++j) out[j] = sorted[first + 2 * j];
  // Each pair straddling a query moves its rank by +-2^level: variance 4^level.
  compaction_variance_ += std::ldexp(1.0, 2 * static_cast<int>(level));
}

void KllSketch::compress() {
  while (retained() > total_capacity()) {
    std::size_t h = 0;
    while (h < levels_.size() && levels_[h].size() < capacity(h)) ++h;
    if (h == levels_.size()) return;  // cannot happen: some level must be over capacity
    ensure_level(h + 1);
    std::vector<double> items = std::move(levels_[h]);
    levels_[h].clear();
    sort_values(items);
    std::vector<double> up;
    halve(items, h, up);
    levels_[h + 1].insert(levels_[h + 1].end(), up.begin(), up.end());
  }
}

void KllSketch::add(double value) {
  if (n_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++n_;
  levels_[0].push_back(value);
  if (levels_[0].size() >= capacity(0)) compress();
}

void KllSketch::add_sorted(std::span<const double> sorted) {
  if (sorted.empty()) return;
  if (n_ == 0) {
    min_ = sorted.front();
    max_ = sorted.back();
  } else {
    min_ = std::min(min_, sorted.front());
    max_ = std::max(max_, sorted.back());
  }
  n_ += static_cast<std::int64_t>(sorted.size());
  // Halved from the caller's array, then from two buffers in turn: the chunk is never copied whole.
  std::span<const double> batch = sorted;
  std::vector<double> buffers[2];
  std::size_t level = 0;
  while (batch.size() > static_cast<std::size_t>(k_)) {
    std::vector<double>& up = buffers[level % 2];
    halve(batch, level, up);  // halving a sorted array keeps it sorted
    batch = up;
    ++level;
  }
  ensure_level(level);
  levels_[level].insert(levels_[level].end(), batch.begin(), batch.end());
  compress();
}

void KllSketch::merge(const KllSketch& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  n_ += other.n_;
  compaction_variance_ += other.compaction_variance_;
  ensure_level(other.levels_.size() - 1);
  for (std::size_t h = 0; h < other.levels_.size(); ++h) {
    levels_[h].insert(levels_[h].end(), other.levels_[h].begin(), other.levels_[h].end());
  }
  compress();
}

namespace {
struct WeightedItem {
  double value;
  double weight;
};
}  // namespace

std::vector<double> KllSketch::quantiles(std::span<const double> qs) const {
  std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
  if (n_ == 0) return out;
  std::vector<WeightedItem> items;
  items.reserve(retained());
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    const double w = std::ldexp(1.0, static_cast<int>(h));
    for (double v : levels_[h]) items.push_back({v, w});
  }
  std::sort(items.begin(), items.end(), [](const WeightedItem& a, const WeightedItem& b) { return a.value < b.value; });
  const double n = static_cast<double>(n_);
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const double q = std::clamp(qs[i], 0.0, 1.0);
    if (q <= 0.0) {
      out[i] = min_;
      continue;
    }
    if (q >= 1.0) {
      out[i] = max_;
      continue;
    }
    if (exact()) {
      // numpy.quantile's default ("linear"): position q * (n - 1) between sorted values.
      const double pos = q * (n - 1.0);
      const auto lo = static_cast<std::size_t>(std::floor(pos));
      const std::size_t hi = std::min(lo + 1, items.size() - 1);
      const double t = pos - static_cast<double>(lo);
      const double a = items[lo].value, b = items[hi].value;
      out[i] = t < 0.5 ? a + (b - a) * t : b - (b - a) * (1.0 - t);
      continue;
    }
    const double target = q * n;
    double cumulative = 0.0;
    out[i] = items.back().value;
    for (const auto& item : items) {
      cumulative += item.weight;
      if (cumulative >= target) {
        out[i] = item.value;
        break;
      }
    }
  }
  return out;
}

double KllSketch::quantile(double q) const { return quantiles(std::span<const double>(&q, 1))[0]; }

double KllSketch::rank(double x) const {
  double r = 0.0;
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    const double w = std::ldexp(1.0, static_cast<int>(h));
    for (double v : levels_[h]) {
      if (v <= x) r += w;
    }
  }
  return r;
}

double KllSketch::rank_error_bound(double delta) const {
  if (compaction_variance_ == 0.0) return 0.0;
  const double top_weight = std::ldexp(1.0, static_cast<int>(levels_.size()) - 1);
  return std::sqrt(2.0 * compaction_variance_ * std::log(2.0 / delta)) + top_weight;
}

}  // namespace fitcheck::profile
