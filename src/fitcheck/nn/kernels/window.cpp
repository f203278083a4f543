#include "fitcheck/nn/kernels/window.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "fitcheck/nn/kernels/thread_pool.hpp"

namespace fitcheck::nn::kernels {
namespace {

// Splits samples over threads when there is enough work to pay for waking them.
template <typename Fn>
void for_samples(std::int64_t samples, std::int64_t work_per_sample, Fn&& fn) {
  constexpr std::int64_t kParallelWork = std::int64_t{1} << 18;
  const int parts = samples >= 2 && samples * work_per_sample >= kParallelWork
                        ? static_cast<int>(std::min<std::int64_t>(max_threads(), samples))
                        : 1;
  if (parts == 1) {
    fn(std::int64_t{0}, samples);
    return;
  }
  parallel_run(parts, [&](int part, int count) {
    const std::int64_t per = (samples + count - 1) / count;
    const std::int64_t s0 = std::min(samples, per * part), s1 = std::min(samples, s0 + per);
    if (s0 < s1) fn(s0, s1);
  });
}

// Copies c floats; a plain loop for the few values of a first layer's window row (a memcpy call
// for a handful of floats costs more than the copy).
inline void copy_channels(const float* src, float* dst, std::int64_t c) {
  if (c <= 16) {
    for (std::int64_t k = 0; k < c; ++k) dst[k] = src[k];
  } else {
    std::memcpy(dst, src, static_cast<std::size_t>(c) * sizeof(float));
  }
}

// First input coordinate of output position o on an axis (may be negative: padding).
inline std::int64_t origin(const WindowAxis& a, std::int64_t o) { return o * a.stride - a.pad_before; }

}  // namespace

std::optional<WindowAxis> window_axis(std::int64_t in, std::int64_t window, std::int64_t stride,
                                      std::int64_t dilation, const std::string& padding) {
  WindowAxis a{.in = in, .window = window, .stride = stride, .dilation = dilation};
  const std::int64_t span = (window - 1) * dilation + 1;
  if (padding == "valid") {
    if (in < span) return std::nullopt;
    a.out = (in - span) / stride + 1;
    a.pad_before = 0;
  } else if (padding == "causal") {
    a.out = (in + stride - 1) / stride;
    a.pad_before = span - 1;
  } else {  // same
    a.out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((a.out - 1) * stride + span - in, 0);
    a.pad_before = total / 2;
  }
  return a;
}

void im2col(const WindowGeometry& g, std::int64_t samples, const float* x, float* col) {
  const std::int64_t c = g.channels, row_len = g.taps() * c;
  for_samples(samples, g.out_pixels() * row_len, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      const float* xn = x + n * g.in_pixels() * c;
      float* out = col + n * g.out_pixels() * row_len;
      for (std::int64_t oh = 0; oh < g.h.out; ++oh) {
        for (std::int64_t ow = 0; ow < g.w.out; ++ow, out += row_len) {
          float* dst = out;
          for (std::int64_t kh = 0; kh < g.h.window; ++kh) {
            const std::int64_t ih = origin(g.h, oh) + kh * g.h.dilation;
            if (ih < 0 || ih >= g.h.in) {
              std::fill_n(dst, g.w.window * c, 0.0f);
              dst += g.w.window * c;
              continue;
            }
            const std::int64_t iw0 = origin(g.w, ow);
            if (g.w.dilation == 1 && iw0 >= 0 && iw0 + g.w.window <= g.w.in) {
              // The window's row lies inside the image: kw·c contiguous floats in one copy.
              copy_channels(xn + (ih * g.w.in + iw0) * c, dst, g.w.window * c);
              dst += g.w.window * c;
              continue;
            }
            for (std::int64_t kw = 0; kw < g.w.window; ++kw, dst += c) {
              const std::int64_t iw = iw0 + kw * g.w.dilation;
              if (iw < 0 || iw >= g.w.in) {
                std::fill_n(dst, c, 0.0f);
              } else {
                copy_channels(xn + (ih * g.w.in + iw) * c, dst, c);
              }
            }
          }
        }
      }
    }
  });
}

void col2im(const WindowGeometry& g, std::int64_t samples, const float* col, float* dx) {
  const std::int64_t c = g.channels, row_len = g.taps() * c;
  for_samples(samples, g.out_pixels() * row_len, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      float* dxn = dx + n * g.in_pixels() * c;
      std::fill_n(dxn, g.in_pixels() * c, 0.0f);
      const float* in = col + n * g.out_pixels() * row_len;
      for (std::int64_t oh = 0; oh < g.h.out; ++oh) {
        for (std::int64_t ow = 0; ow < g.w.out; ++ow, in += row_len) {
          const float* src = in;
          for (std::int64_t kh = 0; kh < g.h.window; ++kh) {
            const std::int64_t ih = origin(g.h, oh) + kh * g.h.dilation;
            if (ih < 0 || ih >= g.h.in) {
              src += g.w.window * c;
              continue;
            }
            const std::int64_t iw0 = origin(g.w, ow);
            if (g.w.dilation == 1 && iw0 >= 0 && iw0 + g.w.window <= g.w.in) {
              float* d = dxn + (ih * g.w.in + iw0) * c;
              for (std::int64_t k = 0; k < g.w.window * c; ++k) d[k] += src[k];
              src += g.w.window * c;
              continue;
            }
            for (std::int64_t kw = 0; kw < g.w.window; ++kw, src += c) {
              const std::int64_t iw = iw0 + kw * g.w.dilation;
              if (iw < 0 || iw >= g.w.in) continue;
              float* d = dxn + (ih * g.w.in + iw) * c;
              for (std::int64_t k = 0; k < c; ++k) d[k] += src[k];
            }
          }
        }
      }
    }
  });
}

void max_pool(const WindowGeometry& g, std::int64_t samples, const float* x, float* y, std::int32_t* argmax) {
  const std::int64_t c = g.channels;
  for_samples(samples, g.out_pixels() * g.taps() * c, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      const float* xn = x + n * g.in_pixels() * c;
      for (std::int64_t oh = 0; oh < g.h.out; ++oh) {
        for (std::int64_t ow = 0; ow < g.w.out; ++ow) {
          const std::int64_t o = ((n * g.h.out + oh) * g.w.out + ow) * c;
          float* yo = y + o;
          std::int32_t* ao = argmax + o;
          bool first = true;
          for (std::int64_t kh = 0; kh < g.h.window; ++kh) {
            const std::int64_t ih = origin(g.h, oh) + kh * g.h.dilation;
            if (ih < 0 || ih >= g.h.in) continue;
            for (std::int64_t kw = 0; kw < g.w.window; ++kw) {
              const std::int64_t iw = origin(g.w, ow) + kw * g.w.dilation;
              if (iw < 0 || iw >= g.w.in) continue;
              const auto pixel = static_cast<std::int32_t>(ih * g.w.in + iw);
              const float* xp = xn + pixel * c;
              if (first) {
                for (std::int64_t k = 0; k < c; ++k) {
                  yo[k] = xp[k];
                  ao[k] = pixel;
                }
                first = false;
                continue;
              }
              // The first maximum wins; a NaN is taken and then kept (nothing compares greater).
              // Branch-free so that the channel loop vectorises.
              for (std::int64_t k = 0; k < c; ++k) {
                const float v = xp[k];
                const bool take = (v > yo[k]) | (v != v);
                yo[k] = take ? v : yo[k];
                ao[k] = take ? pixel : ao[k];
              }
            }
          }
          // Same padding never leaves a window without an element inside the input.
          if (first) {
            std::fill_n(yo, c, -std::numeric_limits<float>::infinity());
            std::fill_n(ao, c, 0);
          }
        }
      }
    }
  });
}

void max_pool_backward(const WindowGeometry& g, std::int64_t samples, const float* dy, const std::int32_t* argmax,
                       float* dx) {
  const std::int64_t c = g.channels;
  for_samples(samples, g.out_pixels() * c, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      float* dxn = dx + n * g.in_pixels() * c;
      std::fill_n(dxn, g.in_pixels() * c, 0.0f);
      const std::int64_t base = n * g.out_pixels() * c;
      for (std::int64_t p = 0; p < g.out_pixels(); ++p) {
        for (std::int64_t k = 0; k < c; ++k) {
          const std::int64_t i = base + p * c + k;
          dxn[argmax[i] * c + k] += dy[i];
        }
      }
    }
  });
}

namespace {
// The window of output (oh, ow) clipped to the input: [h0, h1) × [w0, w1) (pooling has no dilation).
struct Clipped {
  std::int64_t h0, h1, w0, w1;
  std::int64_t count() const { return (h1 - h0) * (w1 - w0); }
};
inline Clipped clip(const WindowGeometry& g, std::int64_t oh, std::int64_t ow) {
  const std::int64_t h = origin(g.h, oh), w = origin(g.w, ow);
  return {std::max<std::int64_t>(h, 0), std::min(h + g.h.window, g.h.in), std::max<std::int64_t>(w, 0),
          std::min(w + g.w.window, g.w.in)};
}
}  // namespace

void avg_pool(const WindowGeometry& g, std::int64_t samples, const float* x, float* y) {
  const std::int64_t c = g.channels;
  for_samples(samples, g.out_pixels() * g.taps() * c, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      const float* xn = x + n * g.in_pixels() * c;
      for (std::int64_t oh = 0; oh < g.h.out; ++oh) {
        for (std::int64_t ow = 0; ow < g.w.out; ++ow) {
          float* yo = y + ((n * g.h.out + oh) * g.w.out + ow) * c;
          std::fill_n(yo, c, 0.0f);
          const Clipped win = clip(g, oh, ow);
          for (std::int64_t ih = win.h0; ih < win.h1; ++ih) {
            for (std::int64_t iw = win.w0; iw < win.w1; ++iw) {
              const float* xp = xn + (ih * g.w.in + iw) * c;
              for (std::int64_t k = 0; k < c; ++k) yo[k] += xp[k];
            }
          }
          const float inv = 1.0f / static_cast<float>(win.count());
          for (std::int64_t k = 0; k < c; ++k) yo[k] *= inv;
        }
      }
    }
  });
}

void avg_pool_backward(const WindowGeometry& g, std::int64_t samples, const float* dy, float* dx) {
  const std::int64_t c = g.channels;
  for_samples(samples, g.out_pixels() * g.taps() * c, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      float* dxn = dx + n * g.in_pixels() * c;
      std::fill_n(dxn, g.in_pixels() * c, 0.0f);
      for (std::int64_t oh = 0; oh < g.h.out; ++oh) {
        for (std::int64_t ow = 0; ow < g.w.out; ++ow) {
          const float* dyo = dy + ((n * g.h.out + oh) * g.w.out + ow) * c;
          const Clipped win = clip(g, oh, ow);
          const float inv = 1.0f / static_cast<float>(win.count());
          for (std::int64_t ih = win.h0; ih < win.h1; ++ih) {
            for (std::int64_t iw = win.w0; iw < win.w1; ++iw) {
              float* d = dxn + (ih * g.w.in + iw) * c;
              for (std::int64_t k = 0; k < c; ++k) d[k] += dyo[k] * inv;
            }
          }
        }
      }
    }
  });
}

void copy_block(const Block& b, std::int64_t samples, const float* src, float* dst) {
  const std::int64_t c = b.channels;
  for_samples(samples, b.rows * b.cols * c, [&](std::int64_t s0, std::int64_t s1) {
    for (std::int64_t n = s0; n < s1; ++n) {
      const float* sn = src + n * b.src_h * b.src_w * c;
      float* dn = dst + n * b.dst_h * b.dst_w * c;
      for (std::int64_t r = 0; r < b.rows; ++r) {
        std::memcpy(dn + ((b.dst_top + r) * b.dst_w + b.dst_left) * c, sn + ((b.src_top + r) * b.src_w + b.src_left) * c,
                    static_cast<std::size_t>(b.cols * c) * sizeof(float));
      }
    }
  });
}

}  // namespace fitcheck::nn::kernels
