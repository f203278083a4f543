#pragma once
// Shape: dimensions in NumPy/Keras order (N, H, W, C). kUnknownDim marks an axis that is not
// known yet (Keras' None, usually the batch axis).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace fitcheck::core {

inline constexpr std::int64_t kUnknownDim = -1;

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<std::int64_t> dims) : dims_(dims) {}
  explicit Shape(std::vector<std::int64_t> dims) : dims_(std::move(dims)) {}

  int rank() const { return static_cast<int>(dims_.size()); }
  std::int64_t operator[](int axis) const { return dims_.at(static_cast<std::size_t>(axis)); }
  std::int64_t& operator[](int axis) { return dims_.at(static_cast<std::size_t>(axis)); }
  const std::vector<std::int64_t>& dims() const { return dims_; }

  // Product of all dimensions; 1 for a scalar. Throws InternalError if an axis is unknown.
  std::int64_t num_elements() const;
  bool fully_known() const;

  // The shape without its first axis (per-sample shape), and with a batch axis prepended.
  Shape without_batch() const;
  Shape with_batch(std::int64_t batch = kUnknownDim) const;

  // "(100, 28, 28)"; unknown axes print as "None", as Keras prints them.
  std::string str() const;

  friend bool operator==(const Shape&, const Shape&) = default;

 private:
  std::vector<std::int64_t> dims_;
};

}  // namespace fitcheck::core
