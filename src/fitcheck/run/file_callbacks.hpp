#pragma once
// The Keras callbacks that write files, with Keras 3's defaults: ModelCheckpoint (the model, or its
// weights, at the end of each epoch or only when the monitored value improves) and CSVLogger (one
// row per epoch). Every file is written atomically, so a run killed mid-write leaves the previous
// checkpoint or log whole.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/nn/callbacks.hpp"

namespace fitcheck::run {

struct ModelCheckpointOptions {
  // A directory for save_model (saved_model.hpp); may name the epoch and any log value as Keras'
  // filepath does: "ckpt/epoch{epoch:02d}-{val_loss:.2f}" ({epoch} counts from 1).
  std::string filepath;
  std::string monitor = "val_loss";
  bool save_best_only = false;
  bool save_weights_only = false;  // weights/ only, no model.json
  nn::MonitorMode mode = nn::MonitorMode::Auto;
  std::optional<double> initial_value_threshold;  // with save_best_only: the value to beat first
  bool verbose = false;                           // a line on stderr per save
};

class ModelCheckpoint final : public nn::Callback {
 public:
  // ConfigError for an empty filepath or a placeholder that is not {epoch} or a log key's name.
  explicit ModelCheckpoint(ModelCheckpointOptions options);
  void on_train_begin(nn::Sequential&) override;
  void on_epoch_end(nn::Sequential& model, int epoch, nn::Logs& logs) override;
  // The directories written, in order.
  const std::vector<std::filesystem::path>& saved() const { return saved_; }

 private:
  ModelCheckpointOptions o_;
  bool maximize_ = false;
  double best_ = 0.0;
  bool warned_missing_ = false;
  std::vector<std::filesystem::path> saved_;
};

struct CSVLoggerOptions {
  std::filesystem::path filename;
  char separator = ',';
  bool append = false;  // keep an existing file's rows (and header) and add to them
};

// Keras' CSVLogger: "epoch" (from 0) and the epoch's logs in sorted key order, one row per epoch;
// a key missing from an epoch's logs is written "NA". The file is rewritten atomically each epoch.
class CSVLogger final : public nn::Callback {
 public:
  explicit CSVLogger(CSVLoggerOptions options);
  void on_train_begin(nn::Sequential&) override;
  void on_epoch_end(nn::Sequential& model, int epoch, nn::Logs& logs) override;

 private:
  CSVLoggerOptions o_;
  std::string content_;
  std::vector<std::string> keys_;
  bool header_written_ = false;
};

}  // namespace fitcheck::run
