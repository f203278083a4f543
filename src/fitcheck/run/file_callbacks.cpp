#include "fitcheck/run/file_callbacks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/args.h>
#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/nn/sequential.hpp"
#include "fitcheck/run/saved_model.hpp"

namespace fitcheck::run {

namespace {

namespace fs = std::filesystem;

// The placeholders of a Keras filepath: "{name}" or "{name:spec}"; "{{" is a literal brace.
std::vector<std::string> placeholders(const std::string& path) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '{') continue;
    if (i + 1 < path.size() && path[i + 1] == '{') {
      ++i;
      continue;
    }
    const auto end = path.find_first_of(":}", i + 1);
    if (end == std::string::npos) break;
    names.push_back(path.substr(i + 1, end - i - 1));
  }
  return names;
}

std::string checkpoint_path(const std::string& pattern, int epoch, const nn::Logs& logs) {
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  args.push_back(fmt::arg("epoch", epoch + 1));
  for (const auto& [key, value] : logs.items()) args.push_back(fmt::arg(key.c_str(), value));
  try {
    return fmt::vformat(pattern, args);
  } catch (const fmt::format_error& e) {
    throw core::ConfigError({.where = "ModelCheckpoint filepath \"" + pattern + "\"",
                             .what = fmt::format("cannot fill in the placeholders: {}", e.what()),
                             .expected = "{epoch}, {epoch:02d} or a log key such as {val_loss:.4f}",
                             .hint = fmt::format("The epoch's logs have: {}.", [&] {
                               std::string keys;
                               for (const auto& [k, v] : logs.items()) keys += (keys.empty() ? "" : ", ") + k;
                               return keys.empty() ? std::string("nothing") : keys;
                             }())});
  }
}

}  // namespace

ModelCheckpoint::ModelCheckpoint(ModelCheckpointOptions options) : o_(std::move(options)) {
  if (o_.filepath.empty()) {
    throw core::ConfigError({.where = "ModelCheckpoint", .what = "no filepath", .expected = "a directory to save to"});
  }
  for (const auto& name : placeholders(o_.filepath)) {
    if (name.empty()) {
      throw core::ConfigError({.where = "ModelCheckpoint filepath \"" + o_.filepath + "\"",
                               .what = "an unnamed placeholder {}", .expected = "{epoch} or a log key"});
    }
  }
}

void ModelCheckpoint::on_train_begin(nn::Sequential&) {
  maximize_ = nn::monitor_maximizes(o_.mode, o_.monitor);
  best_ = o_.initial_value_threshold.value_or(maximize_ ? -INFINITY : INFINITY);
  warned_missing_ = false;
}

void ModelCheckpoint::on_epoch_end(nn::Sequential& model, int epoch, nn::Logs& logs) {
  if (o_.save_best_only) {
    const auto current = logs.get(o_.monitor);
    if (!current) {
      // Keras warns and skips: with validation off, val_loss never appears.
      if (!warned_missing_) {
        std::fprintf(stderr, "fitcheck: ModelCheckpoint can save the best model only when \"%s\" is logged; skipping\n",
                     o_.monitor.c_str());
        warned_missing_ = true;
      }
      return;
    }
    if (!(maximize_ ? *current > best_ : *current < best_)) return;
    if (o_.verbose) {
      std::fprintf(stderr, "Epoch %d: %s improved from %.5f to %.5f, saving the model\n", epoch + 1, o_.monitor.c_str(),
                   best_, *current);
    }
    best_ = *current;
  }
  const fs::path dir = checkpoint_path(o_.filepath, epoch, logs);
  if (o_.save_weights_only) {
    save_weights(dir, model);
  } else {
    save_model(dir, model);
  }
  if (o_.verbose && !o_.save_best_only) std::fprintf(stderr, "Epoch %d: saving the model to %s\n", epoch + 1, dir.c_str());
  saved_.push_back(dir);
}

CSVLogger::CSVLogger(CSVLoggerOptions options) : o_(std::move(options)) {
  if (o_.filename.empty()) {
    throw core::ConfigError({.where = "CSVLogger", .what = "no filename", .expected = "a file to write the log to"});
  }
}

void CSVLogger::on_train_begin(nn::Sequential&) {
  content_.clear();
  keys_.clear();
  header_written_ = false;
  if (o_.append && fs::exists(o_.filename)) {
    std::ifstream in(o_.filename, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    content_ = text.str();
    if (!content_.empty() && content_.back() != '\n') content_ += '\n';
    header_written_ = !content_.empty();  // Keras appends rows under the existing header
  }
  io::write_file_atomically(o_.filename, content_);
}

void CSVLogger::on_epoch_end(nn::Sequential&, int epoch, nn::Logs& logs) {
  if (keys_.empty()) {
    for (const auto& [key, value] : logs.items()) keys_.push_back(key);
    std::sort(keys_.begin(), keys_.end());
  }
  const std::string sep(1, o_.separator);
  if (!header_written_) {
    content_ += "epoch";
    for (const auto& k : keys_) content_ += sep + k;
    content_ += '\n';
    header_written_ = true;
  }
  content_ += std::to_string(epoch);
  for (const auto& k : keys_) {
    const auto v = logs.get(k);
    content_ += sep + (v ? fmt::format("{}", *v) : std::string("NA"));
  }
  content_ += '\n';
  io::write_file_atomically(o_.filename, content_);
}

}  // namespace fitcheck::run
