#include "fitcheck/nn/observer.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace fitcheck::nn {

std::int64_t first_non_finite(const core::Tensor& t) {
  const float* p = t.data();
  const std::int64_t n = t.size();
  // Fast path: an all-ones exponent marks inf and NaN. An integer OR over the exponent test
  // vectorizes (a float sum would not, without reassociation), so the monitors' scans of every
  // activation and gradient stay cheap; the exact index is searched only when one is there.
  std::uint32_t any = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, p + i, sizeof bits);
    any |= static_cast<std::uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
  }
  if (any == 0) return -1;
  for (std::int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(p[i])) return i;
  }
  return -1;
}

double sum_of_squares(const core::Tensor& t) {
  const float* x = t.data();
  const std::int64_t n = t.size();
  // Eight independent partial sums vectorize (one accumulator is a serial chain) and each stays
  // short enough for float precision.
  float part[8] = {};
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) part[k] += x[i + k] * x[i + k];
  }
  double s = 0.0;
  for (int k = 0; k < 8; ++k) s += part[k];
  for (; i < n; ++i) s += static_cast<double>(x[i]) * x[i];
  return s;
}

std::string NonFiniteEvent::describe() const {
  const std::string where = layer_index >= 0 ? fmt::format("layers[{}] {} \"{}\"", layer_index, layer_class, layer_name)
                                             : std::string("loss");
  return fmt::format("{}: {} produced {} in {}[{}] (epoch {}, batch {}){}", where, op, value, tensor, element,
                     batch.epoch + 1, batch.batch, input_finite ? "" : "; its input was already non-finite");
}

}  // namespace fitcheck::nn
