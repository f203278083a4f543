#pragma once
// The axis a normalisation layer's Keras config names. Keras 3 and tf.keras' Keras 3 form write
// -1; tf.keras 2 writes the axis it resolved at build time as a list, [1] after a Dense (batch,
// features) and [3] after a Conv2D (batch, h, w, c) — the last axis too. The engine normalises the
// last axis only, so a non-negative axis is checked against the input's rank when the layer is
// built (NormalizationAxis::check), and any negative axis other than -1 is refused here.

#include <string>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/shape.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

struct NormalizationAxis {
  int axis = -1;  // -1, or the index Keras resolved counting the batch axis

  static NormalizationAxis from_config(const Json& c, const std::string& where) {
    NormalizationAxis a;
    if (!c.contains("axis") || c["axis"].is_null()) return a;
    const Json& v = c["axis"];
    const Json* one = v.is_number_integer() ? &v : (v.is_array() && v.size() == 1 && v[0].is_number_integer() ? &v[0] : nullptr);
    if (one == nullptr || (one->get<int>() < 0 && one->get<int>() != -1)) {
      throw core::ConfigError({.where = where + ": axis", .what = "only the last axis is supported",
                               .expected = "-1 (or the last axis' index, as tf.keras writes it: [1] after a Dense)",
                               .got = v.dump(),
                               .hint = "Use channels_last data so that the normalised axis is the last one."});
    }
    a.axis = one->get<int>();
    return a;
  }

  // True when the axis is the last axis of `input` (batch axis included).
  bool is_last(const core::Shape& input) const { return axis == -1 || axis == input.rank() - 1; }
};

}  // namespace fitcheck::nn
