#include "fitcheck/nn/history.hpp"

#include <algorithm>

#include "fitcheck/core/error.hpp"

namespace fitcheck::nn {

void Logs::set(const std::string& key, double value) {
  for (auto& [k, v] : items_) {
    if (k == key) {
      v = value;
      return;
    }
  }
  items_.emplace_back(key, value);
}

std::optional<double> Logs::get(const std::string& key) const {
  for (const auto& [k, v] : items_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

void History::append(int epoch_index, const Logs& logs) {
  epoch.push_back(epoch_index);
  for (const auto& [k, v] : logs.items()) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    history[k].push_back(v);
  }
}

const std::vector<double>& History::at(const std::string& key) const {
  auto it = history.find(key);
  if (it == history.end()) {
    std::string known;
    for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
    throw core::ConfigError({.where = "History", .what = "no values for \"" + key + "\"", .expected = "one of " + known});
  }
  return it->second;
}

}  // namespace fitcheck::nn
