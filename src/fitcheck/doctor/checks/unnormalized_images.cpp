// data.unnormalized_images: pixel intensities in 0..255 fed as they are.
//
// Glorot initialisation sizes the first layer for inputs of unit scale. Pixels in 0..255 have a
// mean around 100 and a spread around 80: pre-activations come out ~100x too large, sigmoid/tanh
// and softmax saturate, and the first steps' gradients are ~100x too big for the learning rate.
// Fires on raw input whose features are image-like (check_support.hpp) with whole-number values
// in 0..255 reaching above 1 — i.e. not already scaled to [0, 1].
#include <cmath>

#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

void check_unnormalized_images(const CheckContext& ctx, std::vector<Finding>& out) {
  if (!ctx.train || !ctx.raw_input() || feeds_embedding(ctx)) return;  // ids in 0..255 are not pixels
  const auto& split = *ctx.train;
  const auto& x = split.data.x;
  const bool uint8 = x.kind == io::DataBlock::Kind::Array && x.array.dtype == core::DType::UInt8;
  if (!uint8 && !is_image_like(split)) return;
  double lo = INFINITY, hi = -INFINITY, sum = 0.0;
  std::int64_t n = 0;
  bool whole = true;
  for (const auto& c : split.features.columns()) {
    if (!c.min() || !c.max()) continue;
    lo = std::min(lo, *c.min());
    hi = std::max(hi, *c.max());
    if (!c.integer_valued()) whole = false;
    if (c.mean()) {
      sum += *c.mean() * static_cast<double>(c.finite_count());
      n += c.finite_count();
    }
  }
  // Byte intensities: whole numbers within 0..255 that go above 1 (a [0, 1] image is scaled).
  if (!(lo >= 0.0 && hi <= 255.0 && hi > 1.0 && whole)) return;
  Finding f;
  f.severity = Severity::Warning;
  f.likelihood = 0.8;
  f.title = fmt::format("Pixel values {:g}..{:g} go to the network unscaled", lo, hi);
  f.where = {{"split", "train"}, {"source", x.source}};
  f.evidence = {{"min", lo}, {"max", hi}, {"mean", n ? sum / static_cast<double>(n) : 0.0},
                {"dtype", core::dtype_name(x.dtype())}, {"shape", x.shape().str()}};
  f.explanation = "The first layer's initial weights assume inputs of about unit size; intensities up to 255 make its "
                  "outputs ~100x too large, saturating sigmoid/tanh/softmax units and making the first gradients "
                  "far too big for the learning rate.";
  f.fix = "Divide the pixels by 255 (x.astype('float32') / 255), the same way for training, validation and test data.";
  f.repair = auto_preprocess_repair();
  out.push_back(std::move(f));
}

}  // namespace fitcheck::doctor
