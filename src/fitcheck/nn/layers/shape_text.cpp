#include "fitcheck/nn/layers/shape_text.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {
namespace {

std::int64_t product(const core::Shape& s, int from) {
  std::int64_t p = 1;
  for (int i = from; i < s.rank(); ++i) {
    if (s[i] < 0) return -1;
    p *= s[i];
  }
  return p;
}

std::string with_batch_text(const core::Shape& shape, std::int64_t batch) {
  core::Shape s = shape;
  if (s.rank() > 0) s[0] = batch;
  return s.str();
}

}  // namespace

std::string reshape_hint(const core::Shape& got, const core::Shape& expected) {
  const std::int64_t batch = got.rank() > 0 && got[0] >= 0 ? got[0] : core::kUnknownDim;
  if (got.rank() + 1 == expected.rank() && expected[expected.rank() - 1] == 1) {
    bool prefix = true;
    for (int i = 1; i < got.rank(); ++i) prefix = prefix && (expected[i] < 0 || expected[i] == got[i]);
    if (prefix) {
      auto dims = got.dims();
      dims.push_back(1);
      return fmt::format("Add a channel axis (reshape to {}).", with_batch_text(core::Shape(dims), batch));
    }
  }
  const std::int64_t got_n = product(got, 1), want_n = product(expected, 1);
  if (got_n > 0 && got_n == want_n) {
    return fmt::format("The element counts agree: reshape the data to {}{}.", with_batch_text(expected, batch),
                       expected.rank() == 2 ? " (flatten each sample)" : "");
  }
  if (expected.rank() == 2 && got.rank() > 2) {
    return fmt::format("Flatten each sample first: {} has {} values per sample, the model expects {}.", got.str(),
                       got_n, want_n);
  }
  return fmt::format("Give the data the shape {} or change the model's input shape to {}.",
                     with_batch_text(expected, batch), with_batch_text(got, core::kUnknownDim));
}

void check_sample_shape(const Layer& layer, const core::Shape& got, const core::Shape& expected) {
  bool ok = got.rank() == expected.rank();
  std::string axis;
  if (!ok) {
    axis = fmt::format("rank {} instead of {}", got.rank(), expected.rank());
  } else {
    for (int i = 1; i < got.rank(); ++i) {
      if (expected[i] >= 0 && got[i] >= 0 && expected[i] != got[i]) {
        ok = false;
        axis = fmt::format("axis {}: {} instead of {}", i, got[i], expected[i]);
        break;
      }
    }
  }
  if (ok) return;
  throw core::ShapeError({.where = layer.where(), .what = "the data does not match the model's input (" + axis + ")",
                          .expected = expected.str(), .got = got.str(), .hint = reshape_hint(got, expected)});
}

}  // namespace fitcheck::nn
