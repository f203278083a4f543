#include "fitcheck/nn/callbacks.hpp"

#include <cmath>

#include "fitcheck/core/error.hpp"
#include "fitcheck/nn/sequential.hpp"

namespace fitcheck::nn {
bool monitor_maximizes(MonitorMode mode, const std::string& monitor) {
  if (mode != MonitorMode::Auto) return mode == MonitorMode::Max;
  // Keras: "loss" in the name → min; metrics that go up (accuracy, auc, precision, recall) → max.
  if (monitor.find("loss") != std::string::npos) return false;
  for (const char* up : {"acc", "auc", "precision", "recall"}) {
    if (monitor.find(up) != std::string::npos) return true;
  }
  return false;
}

EarlyStopping::EarlyStopping(EarlyStoppingOptions options) : o_(std::move(options)) {}

void EarlyStopping::on_train_begin(Sequential&) {
  maximize_ = monitor_maximizes(o_.mode, o_.monitor);
  best_ = maximize_ ? -INFINITY : INFINITY;
  wait_ = stopped_epoch_ = best_epoch_ = 0;
  best_weights_.clear();
}

bool EarlyStopping::improved(double current, double reference) const {
  const double d = std::fabs(o_.min_delta);
  return maximize_ ? current - d > reference : current + d < reference;
}

void EarlyStopping::on_epoch_end(Sequential& model, int epoch, Logs& logs) {
  const auto current = logs.get(o_.monitor);
  if (!current || epoch < o_.start_from_epoch) return;
  if (o_.restore_best_weights && best_weights_.empty()) best_weights_ = model.get_weights();
  ++wait_;
  if (improved(*current, best_)) {
    best_ = *current;
    best_epoch_ = epoch;
    if (o_.restore_best_weights) best_weights_ = model.get_weights();
    if (!o_.baseline || improved(*current, *o_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= o_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model.stop_training = true;
  }
}

void EarlyStopping::on_train_end(Sequential& model) {
  if (o_.restore_best_weights && stopped_epoch_ > 0 && !best_weights_.empty()) model.set_weights(best_weights_);
}

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options) : o_(std::move(options)) {}

void ReduceLROnPlateau::on_train_begin(Sequential&) {
  maximize_ = monitor_maximizes(o_.mode, o_.monitor);
  best_ = maximize_ ? -INFINITY : INFINITY;
  wait_ = cooldown_counter_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(Sequential& model, int, Logs& logs) {
  const double old_lr = model.optimizer().learning_rate();
  logs.set("learning_rate", old_lr);
  const auto current = logs.get(o_.monitor);
  if (!current) return;
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  const double d = std::fabs(o_.min_delta);
  const bool better = maximize_ ? *current - d > best_ : *current + d < best_;
  if (better) {
    best_ = *current;
    wait_ = 0;
  } else if (cooldown_counter_ <= 0) {
    ++wait_;
    if (wait_ >= o_.patience && old_lr > static_cast<double>(static_cast<float>(o_.min_lr))) {
      model.optimizer().set_learning_rate(std::max(old_lr * o_.factor, o_.min_lr));
      cooldown_counter_ = o_.cooldown;
      wait_ = 0;
    }
  }
}

void LearningRateScheduler::on_epoch_begin(Sequential& model, int epoch) {
  const double lr = schedule_(epoch, model.optimizer().learning_rate());
  if (!(lr > 0.0) || !std::isfinite(lr)) {
    throw core::ConfigError({.where = "LearningRateScheduler", .what = "the schedule returned an invalid learning rate",
                             .expected = "a positive finite number", .got = std::to_string(lr)});
  }
  model.optimizer().set_learning_rate(lr);
}

void LearningRateScheduler::on_epoch_end(Sequential& model, int, Logs& logs) {
  logs.set("learning_rate", model.optimizer().learning_rate());
}

void TerminateOnNaN::on_batch_end(Sequential& model, std::int64_t, const Logs& logs) {
  const auto loss = logs.get("loss");
  if (loss && !std::isfinite(*loss)) model.stop_training = true;
}

}  // namespace fitcheck::nn
