#pragma once
// What the convolution and pooling layers share: reading Keras' tuple options (an int or a list),
// padding and data_format, the expected input rank, and the fix for an input of the wrong rank
// (a missing channel axis, flat vectors that are images, a feature map fed to a 1D layer).

#include <cstdint>
#include <string>
#include <vector>

#include "fitcheck/nn/kernels/window.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn::window_config {

// Keras accepts 3 or [3, 3]; missing/null gives `fallback` (empty fallback: returns empty). Every
// value must be ≥ 1.
std::vector<std::int64_t> get_tuple(const Json& c, const char* key, int rank, const std::string& where,
                                    std::vector<std::int64_t> fallback);
// An int repeated to `rank` axes, or the list checked for length and positivity; throws ConfigError.
std::vector<std::int64_t> normalize_tuple(std::vector<std::int64_t> values, int rank, const std::string& where,
                                          const char* key);
// "valid" / "same" (any case), "causal" when allowed; throws ConfigError otherwise.
// Keras refuses a convolution strided and dilated at once (max(strides) > 1 and max(dilation_rate) > 1).
void refuse_strided_dilation(const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilation,
                             const std::string& where);
std::string normalize_padding(const std::string& padding, bool allow_causal, const std::string& where);
// Refuses data_format "channels_first" with the reason and the fix.
void check_data_format(const Json& c, const std::string& where);
Json tuple_to_json(const std::vector<std::int64_t>& values);
// ZeroPadding2D's padding / Cropping2D's cropping as Keras takes them: n (all sides), (h, w)
// (symmetric), or ((top, bottom), (left, right)). Returns {top, bottom, left, right}, all ≥ 0.
std::vector<std::int64_t> get_sides(const Json& c, const char* key, const std::string& where, std::int64_t fallback);
// [[top, bottom], [left, right]], as Keras serialises them.
Json sides_to_json(const std::vector<std::int64_t>& sides);

// "(batch, height, width, channels)" / "(batch, steps, channels)".
std::string expected_layout(int spatial_rank);
// Throws the ShapeError for an input whose rank is not spatial_rank + 2, with the fix for its rank.
[[noreturn]] void throw_rank_error(const Layer& layer, const core::Shape& input, int spatial_rank);
// The channel count of an input (N, H, W, C) or (N, L, C) for a layer whose weights are sized by
// it: ShapeError for the wrong rank (throw_rank_error), an unknown channel axis, or — once the
// layer is built — a channel count other than the one its `weights` were built for.
std::int64_t input_channels(const Layer& layer, const core::Shape& input, int spatial_rank,
                            const std::string& weights = "kernel");
// Output lengths of the spatial axes of `input` (unknown stays unknown); throws ShapeError naming
// the axis when a valid window is larger than the input.
std::vector<std::int64_t> spatial_output(const Layer& layer, const core::Shape& input,
                                         const std::vector<std::int64_t>& window,
                                         const std::vector<std::int64_t>& strides,
                                         const std::vector<std::int64_t>& dilation, const std::string& padding);
// The kernels' geometry for a known input (N, H, W, C) or (N, L, C) (1D as height 1). Data whose
// spatial size the model left open (None) can still be too small: the ShapeError of spatial_output.
kernels::WindowGeometry geometry(const Layer& layer, const core::Shape& input, int spatial_rank,
                                 const std::vector<std::int64_t>& window,
                                 const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilation,
                                 const std::string& padding);

// Floats of im2col buffer per chunk of samples (32 MB): large batches of wide layers are
// processed in slices of samples instead of one column matrix of hundreds of megabytes.
inline constexpr std::int64_t kColumnBudget = std::int64_t{1} << 23;

// Samples per chunk of the im2col buffer of `g` (out_pixels x taps x channels floats per sample): at least one.
std::int64_t im2col_chunk_samples(const kernels::WindowGeometry& g, std::int64_t samples);

}  // namespace fitcheck::nn::window_config
