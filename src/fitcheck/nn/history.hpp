#pragma once
// Logs (one epoch's or batch's named values, in Keras 2's compile order: loss, metrics, then
// val_ keys) and History (fit's return value: per-epoch lists).

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fitcheck::nn {

class Logs {
 public:
  void set(const std::string& key, double value);
  std::optional<double> get(const std::string& key) const;
  const std::vector<std::pair<std::string, double>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, double>> items_;
};

struct History {
  std::vector<int> epoch;
  std::vector<std::string> keys;                        // first-seen order
  std::map<std::string, std::vector<double>> history;  // key → one value per epoch

  void append(int epoch_index, const Logs& logs);
  const std::vector<double>& at(const std::string& key) const;  // throws ConfigError if absent
};

}  // namespace fitcheck::nn
