#include "fitcheck/profile/hyper_log_log.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace fitcheck::profile {

HyperLogLog::HyperLogLog() : registers_(kRegisters, 0) {}

void HyperLogLog::merge(const HyperLogLog& other) {
  for (std::size_t i = 0; i < kRegisters; ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

double HyperLogLog::estimate() const {
  const double m = static_cast<double>(kRegisters);
  double harmonic = 0.0;
  std::size_t zeros = 0;
  for (std::uint8_t r : registers_) {
    harmonic += std::ldexp(1.0, -static_cast<int>(r));
    if (r == 0) ++zeros;
  }
  const double alpha = 0.7213 / (1.0 + 1.079 / m);
  const double raw = alpha * m * m / harmonic;
  if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / static_cast<double>(zeros));
  return raw;
}

double HyperLogLog::standard_error() { return 1.04 / std::sqrt(static_cast<double>(kRegisters)); }

}  // namespace fitcheck::profile
