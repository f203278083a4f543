// The cost of the doctor's training monitors: the same training with and without the
// SignalRecorder attached (loss per step, gradient RMS per layer per step, dead / saturated unit
// counts, non-finite scans, weight change per epoch). Issue 8's target: at most 10% overhead.
// The MLP is bench/nn_mlp_bench.cpp's (30-128-64-1, relu, sigmoid + BCE, Adam), best of N runs.
// Prints one line per batch size: "batch=<b> plain_s=<s> monitored_s=<s> overhead=<pct>%".
//
// Usage: fitcheck_bench_probe_overhead [rows=100000] [batch sizes...=32 256] [--repeat N=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fitcheck/core/rng.hpp"
#include "fitcheck/doctor/training/signals.hpp"
#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace {

using fitcheck::core::Shape;
using fitcheck::core::Tensor;
namespace nn = fitcheck::nn;

double train_once(const Tensor& x, const Tensor& y, std::int64_t batch, bool monitored) {
  nn::Sequential model("mlp", 1);
  model.add(nn::InputLayer(Shape{30}));
  model.add(nn::Dense({.units = 128, .activation = "relu"}));
  model.add(nn::Dense({.units = 64, .activation = "relu"}));
  model.add(nn::Dense({.units = 1, .activation = "sigmoid"}));
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
  fitcheck::doctor::SignalRecorder recorder({.max_steps = 1 << 30, .max_seconds = 1e9});
  nn::FitOptions o{.batch_size = batch, .epochs = 2, .verbose = 0, .shuffle = true, .seed = 1};
  if (monitored) {
    model.add_observer(&recorder);
    o.callbacks.push_back(&recorder);
  }
  const auto t0 = std::chrono::steady_clock::now();
  model.fit(x, y, o);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t rows = 100000;
  std::vector<std::int64_t> batches;
  int repeat = 3;
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
    double plain = 1e30, monitored = 1e30;
    // Interleaved, so that a change in machine load hits both sides alike.
    for (int r = 0; r < repeat; ++r) {
      plain = std::min(plain, train_once(x, y, batch, false));
      monitored = std::min(monitored, train_once(x, y, batch, true));
    }
    std::printf("batch=%lld rows=%lld plain_s=%.3f monitored_s=%.3f overhead=%.1f%%\n", static_cast<long long>(batch),
                static_cast<long long>(rows), plain, monitored, 100.0 * (monitored / plain - 1.0));
  }
  return 0;
}
