#include "fitcheck/nn/progress_bar.hpp"

#include <unistd.h>

#include <cmath>

#include <fmt/format.h>

namespace fitcheck::nn {

ProgressBar::ProgressBar(std::int64_t target, int verbose, std::FILE* out)
    : target_(target), verbose_(verbose), out_(out), dynamic_(verbose == 1 && isatty(fileno(out)) == 1) {
  start_ = last_ = std::chrono::steady_clock::now();
}

std::string ProgressBar::format_values(const Logs& logs) {
  std::string s;
  for (const auto& [k, v] : logs.items()) {
    s += std::fabs(v) > 1e-3 ? fmt::format(" - {}: {:.4f}", k, v) : fmt::format(" - {}: {:.4e}", k, v);
  }
  return s;
}

void ProgressBar::update(std::int64_t current, const Logs& logs, bool final) {
  if (verbose_ <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (!final && (!dynamic_ || now - last_ < std::chrono::milliseconds(50))) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const int digits = static_cast<int>(std::to_string(target_).size());
  std::string line = fmt::format("{:>{}}/{}", current, digits, target_);
  if (verbose_ == 1) {
    constexpr int kWidth = 30;
    const double frac = target_ > 0 ? static_cast<double>(current) / static_cast<double>(target_) : 1.0;
    const int filled = static_cast<int>(kWidth * frac);
    std::string bar = "[";
    if (filled > 0) {
      bar += std::string(static_cast<std::size_t>(filled - 1), '=');
      bar += current < target_ ? '>' : '=';
    }
    bar += std::string(static_cast<std::size_t>(kWidth - std::max(filled, 0)), '.');
    bar += "]";
    line += " " + bar;
  }
  const double per_step = current > 0 ? elapsed / static_cast<double>(current) : 0.0;
  std::string timing;
  if (final) {
    timing = fmt::format(" - {:.0f}s", elapsed);
  } else {
    const double eta = per_step * static_cast<double>(target_ - current);
    timing = eta > 3600 ? fmt::format(" - ETA: {}:{:02}:{:02}", static_cast<int>(eta) / 3600, (static_cast<int>(eta) % 3600) / 60,
                                      static_cast<int>(eta) % 60)
             : eta > 60 ? fmt::format(" - ETA: {}:{:02}", static_cast<int>(eta) / 60, static_cast<int>(eta) % 60)
                        : fmt::format(" - ETA: {:.0f}s", eta);
  }
  if (final) {
    if (per_step >= 1.0 || per_step == 0.0) {
      timing += fmt::format(" {:.0f}s/step", per_step);
    } else if (per_step >= 1e-3) {
      timing += fmt::format(" {:.0f}ms/step", per_step * 1e3);
    } else {
      timing += fmt::format(" {:.0f}us/step", per_step * 1e6);
    }
  }
  line += timing + format_values(logs);
  if (dynamic_) {
    const std::size_t width = line.size();
    if (width < last_width_) line += std::string(last_width_ - width, ' ');
    last_width_ = width;
    std::fputs(("\r" + line + (final ? "\n" : "")).c_str(), out_);
  } else if (final) {
    std::fputs((line + "\n").c_str(), out_);
  }
  std::fflush(out_);
}

}  // namespace fitcheck::nn
