#pragma once
// Keras callbacks: EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, LearningRateScheduler and
// LambdaCallback, with Keras 3 defaults and improvement rules (keras.md §4.2). The callbacks that
// write files, ModelCheckpoint and CSVLogger, are in run/file_callbacks.hpp.

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "fitcheck/core/tensor.hpp"
#include "fitcheck/nn/history.hpp"

namespace fitcheck::nn {

class Sequential;

class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_train_begin(Sequential&) {}
  virtual void on_epoch_begin(Sequential&, int /*epoch*/) {}
  virtual void on_batch_end(Sequential&, std::int64_t /*batch*/, const Logs&) {}
  // May add keys to logs (ReduceLROnPlateau writes "learning_rate").
  virtual void on_epoch_end(Sequential&, int /*epoch*/, Logs&) {}
  virtual void on_train_end(Sequential&) {}
};

// "auto" → "min" for names containing "loss" or errors, "max" for accuracy/AUC/precision/recall.
enum class MonitorMode { Auto, Min, Max };
// Whether `mode` (resolved for `monitor` when Auto) means larger is better.
bool monitor_maximizes(MonitorMode mode, const std::string& monitor);

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;
  int patience = 0;
  MonitorMode mode = MonitorMode::Auto;
  std::optional<double> baseline;
  bool restore_best_weights = false;
  int start_from_epoch = 0;
};

class EarlyStopping final : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  void on_train_begin(Sequential&) override;
  void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;
  void on_train_end(Sequential& model) override;
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }

 private:
  bool improved(double current, double reference) const;
  EarlyStoppingOptions o_;
  bool maximize_ = false;
  double best_ = 0.0;
  int wait_ = 0, stopped_epoch_ = 0, best_epoch_ = 0;
  std::vector<core::Tensor> best_weights_;
};

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;
  int patience = 10;
  MonitorMode mode = MonitorMode::Auto;
  double min_delta = 1e-4;
  int cooldown = 0;
  double min_lr = 0.0;
};

class ReduceLROnPlateau final : public Callback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  void on_train_begin(Sequential&) override;
  void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

 private:
  ReduceLROnPlateauOptions o_;
  bool maximize_ = false;
  double best_ = 0.0;
  int wait_ = 0, cooldown_counter_ = 0;
};

// Stops training at the first batch whose loss is NaN or infinite.
class TerminateOnNaN final : public Callback {
 public:
  void on_batch_end(Sequential& model, std::int64_t batch, const Logs& logs) override;
};

// Sets the learning rate at each epoch start to schedule(epoch, current rate) (Keras
// LearningRateScheduler); the rate in use is logged as "learning_rate".
class LearningRateScheduler final : public Callback {
 public:
  explicit LearningRateScheduler(std::function<double(int, double)> schedule) : schedule_(std::move(schedule)) {}
  void on_epoch_begin(Sequential& model, int epoch) override;
  void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

 private:
  std::function<double(int, double)> schedule_;
};

struct LambdaCallback final : public Callback {
  std::function<void(Sequential&)> train_begin, train_end;
  std::function<void(Sequential&, int)> epoch_begin;
  std::function<void(Sequential&, int, Logs&)> epoch_end;
  std::function<void(Sequential&, std::int64_t, const Logs&)> batch_end;

  void on_train_begin(Sequential& m) override { if (train_begin) train_begin(m); }
  void on_train_end(Sequential& m) override { if (train_end) train_end(m); }
  void on_epoch_begin(Sequential& m, int e) override { if (epoch_begin) epoch_begin(m, e); }
  void on_epoch_end(Sequential& m, int e, Logs& l) override { if (epoch_end) epoch_end(m, e, l); }
  void on_batch_end(Sequential& m, std::int64_t b, const Logs& l) override { if (batch_end) batch_end(m, b, l); }
};

}  // namespace fitcheck::nn
