#include "fitcheck/nn/observer.hpp"

#include <cmath>

#include <fmt/format.h>

namespace fitcheck::nn {

std::int64_t first_non_finite(const core::Tensor& t) {
  const float* p = t.data();
  const std::int64_t n = t.size();
  // Fast path: the sum of a finite tensor is almost always finite; scan only when it is not.
  float acc = 0.0f;
  for (std::int64_t i = 0; i < n; ++i) acc += p[i] * 0.0f;
  if (std::isfinite(acc)) return -1;
  for (std::int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(p[i])) return i;
  }
  return -1;
}

std::string NonFiniteEvent::describe() const {
  const std::string where = layer_index >= 0 ? fmt::format("layers[{}] {} \"{}\"", layer_index, layer_class, layer_name)
                                             : std::string("loss");
  return fmt::format("{}: {} produced {} in {}[{}] (epoch {}, batch {}){}", where, op, value, tensor, element,
                     batch.epoch + 1, batch.batch, input_finite ? "" : "; its input was already non-finite");
}

}  // namespace fitcheck::nn
