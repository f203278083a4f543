#include "fitcheck/doctor/training/series.hpp"

#include <algorithm>

namespace fitcheck::doctor::series {

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

double mean(const std::vector<double>& v, std::size_t begin, std::size_t end) {
  end = std::min(end, v.size());
  if (begin >= end) return 0.0;
  double s = 0.0;
  for (std::size_t i = begin; i < end; ++i) s += v[i];
  return s / static_cast<double>(end - begin);
}

std::vector<double> window_means(const std::vector<double>& v, std::size_t count) {
  std::vector<double> out;
  if (v.empty() || count == 0) return out;
  count = std::min(count, v.size());
  for (std::size_t w = 0; w < count; ++w) {
    out.push_back(mean(v, w * v.size() / count, (w + 1) * v.size() / count));
  }
  return out;
}

std::vector<double> window_medians(const std::vector<double>& v, std::size_t count) {
  std::vector<double> out;
  if (v.empty() || count == 0) return out;
  count = std::min(count, v.size());
  for (std::size_t w = 0; w < count; ++w) {
    const auto b = v.begin() + static_cast<std::ptrdiff_t>(w * v.size() / count);
    const auto e = v.begin() + static_cast<std::ptrdiff_t>((w + 1) * v.size() / count);
    out.push_back(median(std::vector<double>(b, e)));
  }
  return out;
}

std::size_t argmin(const std::vector<double>& v) {
  return v.empty() ? 0 : static_cast<std::size_t>(std::min_element(v.begin(), v.end()) - v.begin());
}

}  // namespace fitcheck::doctor::series
