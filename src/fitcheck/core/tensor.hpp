#pragma once
// Tensor: float32, N-dimensional, row-major, the type the network layers use. The buffer is
// 64-byte aligned so that vectorised kernels can use aligned loads.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "fitcheck/core/shape.hpp"

namespace fitcheck::core {

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape);          // zero-filled
  Tensor(Shape shape, float fill);
  Tensor(Shape shape, std::span<const float> values);  // copies; sizes must match

  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  std::int64_t dim(int axis) const { return shape_[axis]; }
  std::int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  std::span<float> values() { return {data_.get(), static_cast<std::size_t>(size_)}; }
  std::span<const float> values() const { return {data_.get(), static_cast<std::size_t>(size_)}; }
  float& operator[](std::int64_t i) { return data_[static_cast<std::size_t>(i)]; }
  float operator[](std::int64_t i) const { return data_[static_cast<std::size_t>(i)]; }

  // Same elements, new shape; the element count must not change.
  void reshape(Shape shape);
  // New shape; reallocates only when the buffer is too small. Contents are unspecified.
  void resize(Shape shape);
  void fill(float value);

  // Rows [begin, end) of the first axis, copied.
  Tensor slice_rows(std::int64_t begin, std::int64_t end) const;

 private:
  struct AlignedFree {
    void operator()(float* p) const noexcept;
  };
  static std::unique_ptr<float[], AlignedFree> allocate(std::int64_t n);

  Shape shape_;
  std::int64_t size_ = 0;
  std::int64_t capacity_ = 0;
  std::unique_ptr<float[], AlignedFree> data_;
};

}  // namespace fitcheck::core
