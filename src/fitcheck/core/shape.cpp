#include "fitcheck/core/shape.hpp"

#include "fitcheck/core/error.hpp"

namespace fitcheck::core {

std::int64_t Shape::num_elements() const {
  std::int64_t n = 1;
  for (auto d : dims_) {
    FITCHECK_CHECK(d >= 0, "num_elements() of a shape with an unknown axis: " + str());
    n *= d;
  }
  return n;
}

bool Shape::fully_known() const {
  for (auto d : dims_) {
    if (d < 0) return false;
  }
  return true;
}

Shape Shape::without_batch() const {
  if (dims_.empty()) return {};
  return Shape(std::vector<std::int64_t>(dims_.begin() + 1, dims_.end()));
}

Shape Shape::with_batch(std::int64_t batch) const {
  std::vector<std::int64_t> d;
  d.reserve(dims_.size() + 1);
  d.push_back(batch);
  d.insert(d.end(), dims_.begin(), dims_.end());
  return Shape(std::move(d));
}

std::string Shape::str() const {
  std::string s = "(";
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (i > 0) s += ", ";
    s += dims_[i] < 0 ? std::string("None") : std::to_string(dims_[i]);
  }
  if (dims_.size() == 1) s += ",";
  s += ")";
  return s;
}

}  // namespace fitcheck::core
