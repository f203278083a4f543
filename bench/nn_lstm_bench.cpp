// One epoch of LSTM(64) → Dense(1, sigmoid) with binary cross-entropy and Adam 1e-3 on synthetic
// sequences of 50 steps × 8 features, batch 64, as bench/nn_lstm_vs_torch.py times it for
// PyTorch. Prints "fitcheck rows=<n> batch=<b> seconds=<s> samples_per_s=<r> peak_rss_mb=<m>".
//
// Usage: fitcheck_bench_nn_lstm [rows=10000] [--repeat N]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/lstm.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace {

using fitcheck::core::Shape;
using fitcheck::core::Tensor;
namespace nn = fitcheck::nn;

constexpr std::int64_t kSteps = 50, kFeatures = 8, kUnits = 64, kBatch = 64;

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
  std::int64_t rows = 10000;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      rows = std::atoll(argv[i]);
    }
  }
  // Standard-normal sequences; the label is the sign of the sum of feature 0, as in the peer.
  fitcheck::core::Rng rng(0);
  Tensor x(Shape{rows, kSteps, kFeatures}), y(Shape{rows, 1});
  for (std::int64_t i = 0; i < rows; ++i) {
    double s = 0;
    for (std::int64_t k = 0; k < kSteps * kFeatures; ++k) {
      const auto v = static_cast<float>(rng.standard_normal());
      x[i * kSteps * kFeatures + k] = v;
      if (k % kFeatures == 0) s += v;
    }
    y[i] = s > 0 ? 1.0f : 0.0f;
  }
  double best = 1e30;
  for (int r = 0; r < repeat; ++r) {
    nn::Sequential model("lstm", 1);
    model.add(nn::InputLayer(Shape{kSteps, kFeatures}));
    model.add(nn::LSTM({.units = kUnits}));
    model.add(nn::Dense({.units = 1, .activation = "sigmoid"}));
    model.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
    const auto t0 = std::chrono::steady_clock::now();
    model.fit(x, y, {.batch_size = kBatch, .epochs = 1, .verbose = 0, .shuffle = true, .seed = 1});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, s);
  }
  std::printf("fitcheck rows=%lld batch=%lld seconds=%.4f samples_per_s=%.0f peak_rss_mb=%.1f\n",
              static_cast<long long>(rows), static_cast<long long>(kBatch), best, static_cast<double>(rows) / best,
              peak_rss_mb());
  return 0;
}
