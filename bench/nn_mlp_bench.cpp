// One epoch of the MLP 30-128-64-1 (relu, sigmoid + binary cross-entropy, Adam 1e-3) on
// synthetic rows, as bench/nn_mlp_vs_torch.py times it for PyTorch. Prints one line per batch
// size: "fitcheck batch=<b> rows=<n> seconds=<s> samples_per_s=<r> peak_rss_mb=<m>".
//
// Usage: fitcheck_bench_nn_mlp [rows=200000] [batch sizes...=32 256] [--repeat N]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
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
  std::int64_t rows = 200000;
  std::vector<std::int64_t> batches;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (i == 1) {
      rows = std::atoll(argv[i]);
    } else {
      batches.push_back(std::atoll(argv[i]));
    }
  }
  if (batches.empty()) batches = {32, 256};
  // Standard-normal features and a label that depends on them, as in the PyTorch peer.
  fitcheck::core::Rng rng(0);
  Tensor x(Shape{rows, 30}), y(Shape{rows, 1});
  for (std::int64_t i = 0; i < rows; ++i) {
    double s = 0;
    for (int j = 0; j < 30; ++j) {
      const auto v = static_cast<float>(rng.standard_normal());
      x[i * 30 + j] = v;
      s += (j % 3 == 0 ? 1.0 : -0.5) * v;
    }
    y[i] = s > 0 ? 1.0f : 0.0f;
  }
  for (const std::int64_t batch : batches) {
    double best = 1e30;
    for (int r = 0; r < repeat; ++r) {
      nn::Sequential model("mlp", 1);
      model.add(nn::InputLayer(Shape{30}));
      model.add(nn::Dense({.units = 128, .activation = "relu"}));
      model.add(nn::Dense({.units = 64, .activation = "relu"}));
      model.add(nn::Dense({.units = 1, .activation = "sigmoid"}));
      model.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
      const auto t0 = std::chrono::steady_clock::now();
      model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0, .shuffle = true, .seed = 1});
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best = std::min(best, s);
    }
    std::printf("fitcheck batch=%lld rows=%lld seconds=%.4f samples_per_s=%.0f peak_rss_mb=%.1f\n",
                static_cast<long long>(batch), static_cast<long long>(rows), best, static_cast<double>(rows) / best,
                peak_rss_mb());
    std::fflush(stdout);
  }
  return 0;
}
