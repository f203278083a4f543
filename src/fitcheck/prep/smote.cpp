#include "fitcheck/prep/smote.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <thread>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/rng.hpp"
#include "fitcheck/prep/nearest_neighbors.hpp"
#include "fitcheck/prep/resample_support.hpp"

namespace fitcheck::prep {

namespace {

// One class to over-sample: its rows, the random draws and the neighbour lists.
struct ClassWork {
  std::int64_t cls = 0, n_c = 0, n_new = 0;
  core::Tensor rows;                     // the class's n_c rows, in their order in x
  std::vector<std::int64_t> picks;       // randint(0, n_c * k): row * k + neighbour column
  std::vector<double> steps;             // uniform [0, 1)
  std::vector<std::int64_t> neighbours;  // (n_c, k + 1), the row itself (normally) first
};

// imbalanced-learn's draws: all randints, then all uniforms, from a stream restarted per class
// (an int seed). Touches only picks and steps (another thread fills rows and neighbours).
void draw(ClassWork& w, std::uint32_t seed, std::int64_t k) {
  core::Rng rng(seed);
  FITCHECK_CHECK(w.n_c * k < (std::int64_t{1} << 31), "SMOTE's picks are interpolated with 32-bit indices");
  w.picks.resize(static_cast<std::size_t>(w.n_new));
  rng.randint(0, w.n_c * k, w.picks);
  w.steps.resize(static_cast<std::size_t>(w.n_new));
  for (auto& s : w.steps) s = rng.random_sample();
}

// Synthetic rows [begin, end) of one class: new = x + u * (x_nn - x), the difference in the
// data's dtype as numpy computes it.
// GCC 12's conversion intrinsics start from _mm512_undefined_*() and then warn that it may be
// used uninitialised once inlined (GCC bug 105593); the warning is off for this function only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
void interpolate(const ClassWork& w, std::int64_t k, std::int64_t begin, std::int64_t end, float* dst) {
  const std::int64_t d = w.rows.dim(1);
  const float* xc = w.rows.data();
  // First the row pairs (a short loop whose random reads overlap well), then the rows, each
  // with the pair a few samples ahead prefetched: the reads are random, the writes sequential.
  constexpr std::int64_t kBatch = 512, kAhead = 8;
  std::int32_t pairs[2 * kBatch];
  const auto k32 = static_cast<std::uint32_t>(k);  // picks < n_c * k < 2^31 (checked in draw)
  for (std::int64_t b0 = begin; b0 < end; b0 += kBatch) {
    const std::int64_t b1 = std::min(end, b0 + kBatch);
    for (std::int64_t s = b0; s < b1; ++s) {
      const auto pick = static_cast<std::uint32_t>(w.picks[static_cast<std::size_t>(s)]);
      const std::uint32_t row = pick / k32, col = pick % k32;  // a 32-bit division is the cheaper one
      pairs[2 * (s - b0)] = static_cast<std::int32_t>(row);
      pairs[2 * (s - b0) + 1] = static_cast<std::int32_t>(w.neighbours[row * static_cast<std::size_t>(k + 1) + col + 1]);
    }
    for (std::int64_t s = b0; s < b1; ++s) {
      if (s + kAhead < b1) {
        __builtin_prefetch(xc + pairs[2 * (s + kAhead - b0)] * d);
        __builtin_prefetch(xc + pairs[2 * (s + kAhead - b0) + 1] * d);
      }
      const float* a = xc + pairs[2 * (s - b0)] * d;
      const float* b = xc + pairs[2 * (s - b0) + 1] * d;
      const double u = w.steps[static_cast<std::size_t>(s)];
      float* out = dst + s * d;
#if defined(__AVX512F__)
      // 16 features at a time, the last few under a mask (20 features: one full vector and one
      // of 4, rather than a scalar tail); a multiply then an add, as numpy, never an FMA.
      const __m512d step = _mm512_set1_pd(u);
      for (std::int64_t j = 0; j < d; j += 16) {
        const __mmask16 m = d - j >= 16 ? __mmask16{0xffff} : static_cast<__mmask16>((1u << (d - j)) - 1);
        const __m512 av = _mm512_maskz_loadu_ps(m, a + j), diff = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, b + j), av);
        const __m512d lo = _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(av)),
                                         _mm512_mul_pd(step, _mm512_cvtps_pd(_mm512_castps512_ps256(diff))));
        const __m512d hi = _mm512_add_pd(_mm512_cvtps_pd(_mm512_extractf32x8_ps(av, 1)),
                                         _mm512_mul_pd(step, _mm512_cvtps_pd(_mm512_extractf32x8_ps(diff, 1))));
        _mm512_mask_storeu_ps(out + j, m, _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi), 1));
      }
#else
      for (std::int64_t j = 0; j < d; ++j) {
        const float diff = b[j] - a[j];
        out[j] = static_cast<float>(static_cast<double>(a[j]) + u * static_cast<double>(diff));
      }
#endif
    }
  }
}


#pragma GCC diagnostic pop

// body(begin, end) over [0, n) in `threads` contiguous parts (the calling thread takes the first).
template <class Body>
void split_rows(std::int64_t n, int threads, std::int64_t min_per_thread, const Body& body) {
  const auto parts = std::clamp<std::int64_t>(n / std::max<std::int64_t>(1, min_per_thread), 1, threads);
  std::vector<std::jthread> pool;
  for (std::int64_t t = 1; t < parts; ++t) pool.emplace_back([&body, n, parts, t] { body(n * t / parts, n * (t + 1) / parts); });
  body(0, n / parts);
}

}  // namespace

Resampled Smote::fit_resample(const core::Tensor& x, const std::vector<std::int64_t>& y) const {
  detail::check_resample_input(x, y, class_name());
  const std::int64_t n = x.dim(0), d = x.dim(1);
  // Non-finite features are reported before any other problem; to spare a pass over x they are
  // looked for while x is copied into the output, and only up front on the way to another error.
  auto non_finite = [&](std::int64_t i) {
    return core::InputError({.where = fmt::format("SMOTE: row {}, feature {}", i / d, i % d),
                             .what = "SMOTE needs finite features", .got = fmt::format("{}", x[i]),
                             .hint = "Impute missing values (an impute step) before resampling."});
  };
  const std::int64_t k = options_.k_neighbors;
  const int threads = options_.threads > 0 ? options_.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto counts = class_counts(y);
  std::vector<ClassWork> work;
  std::int64_t total_new = 0;
  try {
    for (const auto& [cls, n_new] : sampling_targets(counts, options_.sampling_strategy, true)) {
      if (n_new == 0) continue;
      const std::int64_t n_c = counts.at(cls);
      if (n_c < k + 1) {
        throw core::ConfigError({.where = fmt::format("SMOTE: class {}", cls),
                                 .what = "the class has fewer samples than k_neighbors + 1",
                                 .expected = fmt::format("at least {} samples", k + 1), .got = fmt::format("{}", n_c),
                                 .hint = fmt::format("Set k_neighbors to at most {}, or use random_over.", n_c - 1)});
      }
      work.push_back({.cls = cls, .n_c = n_c, .n_new = n_new});
      total_new += n_new;
    }
  } catch (const core::Error&) {
    if (const auto i = detail::first_non_finite(x.values()); i >= 0) throw non_finite(i);
    throw;
  }

  Resampled out;
  out.x.resize(core::Shape({n + total_new, d}));  // every element is written below

  std::int64_t first_bad = -1;
  std::exception_ptr side_error, search_error;
  {
    // Copying (and checking) x, drawing the random numbers and writing the labels need no
    // neighbours: a second thread does them while the neighbour searches run.
    std::jthread side([&] {
      try {
        first_bad = detail::copy_finite(x.values(), out.x.data());
        for (auto& w : work) draw(w, options_.random_state, k);
        out.y.reserve(static_cast<std::size_t>(n + total_new));
        out.y.assign(y.begin(), y.end());
        out.sample_indices.resize(static_cast<std::size_t>(n + total_new), -1);
        std::iota(out.sample_indices.begin(), out.sample_indices.begin() + n, 0);
        for (const auto& w : work) out.y.insert(out.y.end(), static_cast<std::size_t>(w.n_new), w.cls);
      } catch (...) {
        side_error = std::current_exception();
      }
    });
    try {
      for (auto& w : work) {
        std::vector<std::int64_t> members;
        members.reserve(static_cast<std::size_t>(w.n_c));
        for (std::int64_t i = 0; i < n; ++i) {
          if (y[static_cast<std::size_t>(i)] == w.cls) members.push_back(i);
        }
        w.rows = detail::gather_rows(x, members);
        // k+1 neighbours including the row itself; the first column (itself) is dropped.
        w.neighbours = k_nearest_rows(w.rows.data(), w.n_c, d, k + 1, threads);
      }
    } catch (...) {
      search_error = std::current_exception();  // with non-finite rows, that error comes first
    }
  }
  if (first_bad >= 0) throw non_finite(first_bad);
  if (side_error) std::rethrow_exception(side_error);
  if (search_error) std::rethrow_exception(search_error);

  float* dst = out.x.data() + x.size();
  for (const auto& w : work) {
    split_rows(w.n_new, threads, 2048, [&](std::int64_t begin, std::int64_t end) { interpolate(w, k, begin, end, dst); });
    dst += w.n_new * d;
  }
  return out;
}

}  // namespace fitcheck::prep
