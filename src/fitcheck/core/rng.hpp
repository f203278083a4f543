#pragma once
// Rng: numpy's legacy RandomState, bit for bit (MT19937 with numpy's derivations). Every random
// choice in fitcheck (splits, shuffles, resampling, initialisers) takes an Rng&, so a seed
// reproduces a run exactly and scikit-learn's seeded results can be matched.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace fitcheck::core {

// MT19937, the sequence of std::mt19937 with the same seed, produced 624 outputs at a time by
// loops that vectorise (the standard engine regenerates and tempers one word per call, which
// made the draws of a large SMOTE cost as much as its interpolation).
class Mt19937 {
 public:
  static constexpr std::size_t kN = 624;
  explicit Mt19937(std::uint32_t seed);
  std::uint32_t operator()() {
    if (next_ == kN) refill();
    return out_[next_++];
  }

 private:
  void refill();  // the next kN states, tempered into out_
  std::array<std::uint32_t, kN> state_, out_;
  std::size_t next_ = kN;
};

class Rng {
 public:
  explicit Rng(std::uint32_t seed = 0) : engine_(seed) {}

  std::uint32_t next_u32() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits (numpy random_sample).
  double random_sample();
  // Uniform in [low, high) (numpy uniform).
  double uniform(double low, double high) { return low + (high - low) * random_sample(); }
  // Integer in [low, high) by masked rejection (numpy randint, int64).
  std::int64_t randint(std::int64_t low, std::int64_t high);
  // out.size() draws of randint(low, high), the same values in the same order, faster: the
  // rejection test is folded into where the next value is written (no branch to mispredict).
  void randint(std::int64_t low, std::int64_t high, std::span<std::int64_t> out);
  // Standard normal by the legacy polar method with one cached value (numpy randn).
  double standard_normal();
  // Integer in [0, max] by masked rejection on 32-bit draws (numpy's shuffle step).
  std::uint64_t interval(std::uint64_t max);

  // A random permutation of 0..n-1 (numpy permutation(n)).
  std::vector<std::int64_t> permutation(std::int64_t n);
  // Shuffles in place with numpy's Fisher-Yates order.
  template <typename T>
  void shuffle(std::span<T> values) {
    for (std::size_t i = values.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(interval(i - 1));
      std::swap(values[i - 1], values[j]);
    }
  }

 private:
  Mt19937 engine_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace fitcheck::core
