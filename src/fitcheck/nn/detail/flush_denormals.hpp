#pragma once
// Denormal floats (below 1.2e-38) take the slow path of the CPU: an optimizer slot of a unit that
// gets no gradient decays into them (Adam's v by 0.999 per step) and each of its updates then
// costs ~100x more, so a long run slows down as it converges. TensorFlow, and so Keras, flush
// denormals to zero on the CPU; fitcheck's training, evaluation and prediction do the same. The
// flag is per thread: the kernel thread pool's workers set it once, the caller for the scope.

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace fitcheck::nn::detail {

class ScopedFlushDenormals {
 public:
#if defined(__SSE__) || defined(__x86_64__)
  // FTZ (bit 15): denormal results become 0; DAZ (bit 6): denormal inputs read as 0.
  static constexpr unsigned kFlushBits = 0x8040;
  ScopedFlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushBits); }
  ~ScopedFlushDenormals() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
#endif
 public:
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;
};

// For threads that only ever run training kernels: set once, never restored.
inline void flush_denormals_on_this_thread() {
#if defined(__SSE__) || defined(__x86_64__)
  _mm_setcsr(_mm_getcsr() | ScopedFlushDenormals::kFlushBits);
#endif
}

}  // namespace fitcheck::nn::detail
