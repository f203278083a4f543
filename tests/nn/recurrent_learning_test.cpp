// Learning tests for the recurrent layers on a sequence task that needs memory: the sign of the
// sum of a noisy sequence. Each sample has 20 steps × 4 features; feature 0 carries the signal and
// features 1–3 are distractor noise; the label is 1 when the sum of feature 0 over the 20 steps is
// positive. No single step decides it (the sum's standard deviation is √20 ≈ 4.5 times a step's),
// so the layer has to carry a running total through time.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "fitcheck/nn/layers/dense.hpp"
#include "fitcheck/nn/layers/gru.hpp"
#include "fitcheck/nn/layers/input_layer.hpp"
#include "fitcheck/nn/layers/lstm.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::nn {
namespace {

using core::Shape;
using core::Tensor;

constexpr std::int64_t kSteps = 20, kFeatures = 4;

void make_sum_sign(std::int64_t n, std::uint32_t seed, Tensor& x, Tensor& y) {
  core::Rng rng(seed);
  x = Tensor(Shape{n, kSteps, kFeatures});
  y = Tensor(Shape{n, 1});
  for (std::int64_t i = 0; i < n; ++i) {
    double sum = 0;
    for (std::int64_t t = 0; t < kSteps; ++t) {
      for (std::int64_t f = 0; f < kFeatures; ++f) {
        const auto v = static_cast<float>(rng.standard_normal());
        x[(i * kSteps + t) * kFeatures + f] = v;
        if (f == 0) sum += v;
      }
    }
    y[i] = sum > 0 ? 1.0f : 0.0f;
  }
}

// Trains `recurrent` → Dense(1, sigmoid) and returns the test accuracy; reports the time taken.
double sum_sign_accuracy(std::unique_ptr<Layer> recurrent, double& seconds) {
  Tensor xtr, ytr, xte, yte;
  make_sum_sign(8000, 1, xtr, ytr);
  make_sum_sign(1000, 2, xte, yte);
  const auto start = std::chrono::steady_clock::now();
  Sequential model("sum_sign", 3);
  model.add(InputLayer(Shape{kSteps, kFeatures}));
  model.add(std::move(recurrent));
  model.add(Dense({.units = 1, .activation = "sigmoid"}));
  model.compile({.optimizer = {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.01}}}},
                 .loss = "binary_crossentropy",
                 .metrics = {"accuracy"}});
  model.fit(xtr, ytr, {.batch_size = 32, .epochs = 15, .verbose = 0, .seed = 3});
  const double accuracy = *model.evaluate(xte, yte).get("accuracy");
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return accuracy;
}

TEST(RecurrentLearning, LstmLearnsTheSignOfANoisySum) {
  double seconds = 0;
  const double accuracy = sum_sign_accuracy(std::make_unique<LSTM>(LSTMOptions{.units = 16}), seconds);
  std::cout << "LSTM(16) sum-sign test accuracy " << accuracy << " in " << seconds << " s\n";
  EXPECT_GE(accuracy, 0.95);
}

TEST(RecurrentLearning, GruLearnsTheSignOfANoisySum) {
  double seconds = 0;
  const double accuracy = sum_sign_accuracy(std::make_unique<GRU>(GRUOptions{.units = 16}), seconds);
  std::cout << "GRU(16) sum-sign test accuracy " << accuracy << " in " << seconds << " s\n";
  EXPECT_GE(accuracy, 0.95);
}

}  // namespace
}  // namespace fitcheck::nn
