#pragma once
// Wrapper layers (Bidirectional, TimeDistributed) own their inner layers' variables, so that the
// model, the optimizer and the weight loader see them as the wrapper's, in Keras' order. The
// inner layers compute with them by borrowing: the buffers are swapped in for the call and back
// after it (O(1), buffer addresses unchanged, so the optimizer's references stay valid).

#include <cstddef>
#include <utility>
#include <vector>

#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn::detail {

class LentParameters {
 public:
  // Lends outer[first, first + inner.size()) to `inner`.
  LentParameters(std::vector<Parameter>& outer, std::size_t first, std::vector<Parameter>& inner)
      : outer_(outer), first_(first), inner_(inner) {
    swap_all();
  }
  ~LentParameters() { swap_all(); }
  LentParameters(const LentParameters&) = delete;
  LentParameters& operator=(const LentParameters&) = delete;

 private:
  void swap_all() {
    for (std::size_t i = 0; i < inner_.size(); ++i) {
      std::swap(outer_[first_ + i].value, inner_[i].value);
      std::swap(outer_[first_ + i].grad, inner_[i].grad);
    }
  }
  std::vector<Parameter>& outer_;
  std::size_t first_;
  std::vector<Parameter>& inner_;
};

}  // namespace fitcheck::nn::detail
