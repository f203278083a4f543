#pragma once
// Small statistics over the probe's series, shared by the training checks.

#include <cstddef>
#include <vector>

namespace fitcheck::doctor::series {

double median(std::vector<double> v);  // 0 for an empty series
double mean(const std::vector<double>& v, std::size_t begin, std::size_t end);
// `count` consecutive window means over v (fewer when v is short); batch noise averages out.
std::vector<double> window_means(const std::vector<double>& v, std::size_t count);
// The same windows' medians: what the typical batch of a window scored, unmoved by a few extreme
// batches (outlier rows, rare hard examples) that can carry a window's mean on their own.
std::vector<double> window_medians(const std::vector<double>& v, std::size_t count);
// Index of the smallest value (the first one on ties); 0 for an empty series.
std::size_t argmin(const std::vector<double>& v);

}  // namespace fitcheck::doctor::series
