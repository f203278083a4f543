// One epoch of the CNN Conv2D(32, 3×3, relu) → MaxPooling2D(2) → Flatten → Dense(10, softmax)
// with sparse categorical cross-entropy and Adam 1e-3 on random 28×28×1 images, as
// bench/nn_cnn_vs_torch.py times it for PyTorch. Prints
// "fitcheck batch=<b> rows=<n> seconds=<s> samples_per_s=<r> peak_rss_mb=<m>".
//
// Usage: fitcheck_bench_nn_cnn [rows=20000] [batch=64] [--repeat N]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/nn/layers/conv.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/flatten.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/pooling.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace {

using fitcheck::core::Shape;
using fitcheck::core::Tensor;
namespace nn = fitcheck::nn;

double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      double kb = 0;
      status >> kb;
      return kb / 1024.0;
    }
  }
  return 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t rows = 20000, batch = 64;
  int repeat = 1, positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (positional++ == 0) {
      rows = std::atoll(argv[i]);
    } else {
      batch = std::atoll(argv[i]);
    }
  }
  // Uniform [0, 1) pixels and random labels, as in the PyTorch peer: the work is the same whatever is learnt.
  fitcheck::core::Rng rng(0);
  Tensor x(Shape{rows, 28, 28, 1}), y(Shape{rows});
  for (auto& v : x.values()) v = static_cast<float>(rng.random_sample());
  for (std::int64_t i = 0; i < rows; ++i) y[i] = static_cast<float>(rng.randint(0, 10));
  double best = 1e30;
  for (int r = 0; r < repeat; ++r) {
    nn::Sequential model("cnn", 1);
    model.add(nn::InputLayer(Shape{28, 28, 1}));
    model.add(nn::Conv2D({.filters = 32, .kernel_size = {3, 3}, .activation = "relu"}));
    model.add(nn::MaxPooling2D());
    model.add(nn::Flatten());
    model.add(nn::Dense({.units = 10, .activation = "softmax"}));
    model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
    const auto t0 = std::chrono::steady_clock::now();
    model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0, .shuffle = true, .seed = 1});
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::printf("fitcheck batch=%lld rows=%lld seconds=%.4f samples_per_s=%.0f peak_rss_mb=%.1f\n",
              static_cast<long long>(batch), static_cast<long long>(rows), best, static_cast<double>(rows) / best,
              peak_rss_mb());
  return 0;
}
