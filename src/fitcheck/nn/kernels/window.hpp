#pragma once
// Sliding-window geometry and the im2col / col2im / pooling kernels behind Conv1D/2D and
// MaxPooling/AveragePooling 1D/2D. Tensors are channels_last (N, H, W, C); the 1D layers use
// them with H = 1 (a window of height 1, stride 1, no padding on that axis).

#include <cstdint>
#include <optional>
#include <string>

namespace fitcheck::nn::kernels {

// One spatial axis of a window op: output length and the padding Keras applies before the data.
struct WindowAxis {
  std::int64_t in = 1, window = 1, stride = 1, dilation = 1;
  std::int64_t pad_before = 0, out = 1;
};

// Keras' conv_output_length and TF's padding: "valid" (none; empty when the window is wider
// than the input), "same" (out = ceil(in / stride), the odd padding pixel after the data, at the
// bottom/right), "causal" (Conv1D: everything before the data). nullopt when valid leaves no output.
std::optional<WindowAxis> window_axis(std::int64_t in, std::int64_t window, std::int64_t stride,
                                      std::int64_t dilation, const std::string& padding);

struct WindowGeometry {
  std::int64_t channels = 0;
  WindowAxis h, w;
  std::int64_t taps() const { return h.window * w.window; }
  std::int64_t in_pixels() const { return h.in * w.in; }
  std::int64_t out_pixels() const { return h.out * w.out; }
};

// col (samples·out_pixels, taps·channels), rows (n, oh, ow), columns (kh, kw, c) — the order of a
// Keras kernel (kh, kw, in, out) read as a (kh·kw·in, out) matrix. Padding reads as zero.
void im2col(const WindowGeometry& g, std::int64_t samples, const float* x, float* col);
// dx (samples, h, w, c) = Σ over taps of col's entries (the adjoint of im2col); assigns dx.
void col2im(const WindowGeometry& g, std::int64_t samples, const float* col, float* dx);

// Max pooling: y (samples, oh, ow, c); argmax receives the input pixel (h·W + w) of each output
// value, for backward. Padding never wins (Keras pads max pooling with -inf).
void max_pool(const WindowGeometry& g, std::int64_t samples, const float* x, float* y, std::int32_t* argmax);
void max_pool_backward(const WindowGeometry& g, std::int64_t samples, const float* dy, const std::int32_t* argmax,
                       float* dx);
// Average pooling over the window's elements inside the input (padding is not counted, as Keras does).
void avg_pool(const WindowGeometry& g, std::int64_t samples, const float* x, float* y);
void avg_pool_backward(const WindowGeometry& g, std::int64_t samples, const float* dy, float* dx);

// For each of `samples` images of `channels` channels: copies the rows × cols block at (src_top,
// src_left) of src (src_h × src_w) to (dst_top, dst_left) of dst (dst_h × dst_w). Zero padding
// and cropping, and their gradients, are this copy one way or the other.
struct Block {
  std::int64_t src_h, src_w, dst_h, dst_w, channels;
  std::int64_t src_top, src_left, dst_top, dst_left, rows, cols;
};
void copy_block(const Block& b, std::int64_t samples, const float* src, float* dst);

}  // namespace fitcheck::nn::kernels
