#pragma once
// Keras 2 style progress on a stream (stderr): on a terminal the line is rewritten in place,
//   32/32 [==============================] - 0s 2ms/step - loss: 0.6931 - accuracy: 0.5000
// otherwise (logs, pipes) only the final line of each epoch is printed.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fitcheck/nn/history.hpp"

namespace fitcheck::nn {

class ProgressBar {
 public:
  ProgressBar(std::int64_t target, int verbose, std::FILE* out = stderr);
  void update(std::int64_t current, const Logs& logs, bool final = false);

  // " - loss: 0.6931" for each entry (Keras: %.4f, or %.4e when |v| ≤ 1e-3).
  static std::string format_values(const Logs& logs);

 private:
  std::int64_t target_;
  int verbose_;
  std::FILE* out_;
  bool dynamic_;
  std::chrono::steady_clock::time_point start_, last_;
  std::size_t last_width_ = 0;
};

}  // namespace fitcheck::nn
