#include "fitcheck/profile/profile_text.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace fitcheck::profile {
namespace {

class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  std::string bold(const std::string& s) const { return wrap("1", s); }
  std::string dim(const std::string& s) const { return wrap("2", s); }
  std::string warn(const std::string& s) const { return wrap("33", s); }

 private:
  std::string wrap(const char* code, const std::string& s) const {
    return on_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  }
  bool on_;
};

// Cuts `s` to `width` columns (ASCII ".." marks the cut) and pads it to exactly `width`.
std::string cell(const std::string& s, std::size_t width, bool right = false) {
  std::string t = s;
  if (t.size() > width) {
    t.resize(width - 2);
    t.append("..");
  }
  const std::string pad(width - t.size(), ' ');
  return right ? pad + t : t + pad;
}

std::string num(std::optional<double> v) {
  if (!v) return "-";
  const double x = *v;
  if (x == std::trunc(x) && std::fabs(x) < 1e7) return fmt::format("{}", static_cast<std::int64_t>(x));
  return fmt::format("{:.4g}", x);
}

std::string count_text(std::int64_t n) {
  // 1234567 -> 1,234,567
  std::string digits = fmt::format("{}", n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string percent(double share) {
  if (share == 0.0) return "0%";
  if (share < 0.001) return "<0.1%";
  return fmt::format("{:.1f}%", 100.0 * share);
}

// The last cell: cut to the width, never padded (no trailing blanks).
std::string remark_text(const std::string& s, std::size_t width) {
  if (s.size() <= width) return s;
  return s.substr(0, width - 2) + std::string("..");
}

// What stands out about a column, in a few words.
std::string remarks(const ColumnStats& c) {
  std::vector<std::string> parts;
  if (c.non_finite() > 0) parts.push_back(fmt::format("{} non-finite", count_text(c.non_finite())));
  if (c.is_text() || c.role() == ColumnRole::Binary || c.role() == ColumnRole::Constant) {
    std::vector<std::string> tops;
    const double present = static_cast<double>(std::max<std::int64_t>(c.count(), 1));
    for (const auto& v : c.top(3)) tops.push_back(fmt::format("{} {}", v.display(), percent(static_cast<double>(v.count) / present)));
    if (!tops.empty()) parts.push_back("top: " + fmt::format("{}", fmt::join(tops, ", ")));
  } else {
    if (c.integer_valued()) parts.emplace_back("whole numbers");
    if (c.zeros() > 0) parts.push_back(fmt::format("{} zeros", percent(c.zero_share())));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

std::string profile_to_text(const TableProfile& profile, const std::optional<LabelProfile>& label,
                            const ProfileTextStyle& style) {
  const Painter paint(style.colour);
  std::string out;
  const auto& cols = profile.columns();
  out += paint.bold(fmt::format("{}: {} rows x {} columns", profile.source, count_text(profile.rows()), cols.size()));
  out += "\n\n";

  // Overview: 18 + 8 + 15 + 9 + 9 columns, separated by spaces, then remarks up to the width.
  constexpr std::size_t kName = 22, kDtype = 8, kRole = 15, kMissing = 9, kDistinct = 9;
  const std::size_t used = kName + kDtype + kRole + kMissing + kDistinct + 5;
  const std::size_t remark_width = static_cast<std::size_t>(std::max(20, style.width)) > used + 10
                                       ? static_cast<std::size_t>(style.width) - used
                                       : 20;
  out += paint.bold(fmt::format("{} {} {} {} {} {}", cell("column", kName), cell("dtype", kDtype), cell("role", kRole),
                                cell("missing", kMissing, true), cell("distinct", kDistinct, true), "notes"));
  out += "\n";
  for (const auto& c : cols) {
    const double missing_share = c.rows() > 0 ? static_cast<double>(c.missing()) / static_cast<double>(c.rows()) : 0.0;
    std::string missing = cell(c.missing() > 0 ? percent(missing_share) : "0", kMissing, true);
    if (c.missing() > 0) missing = paint.warn(missing);
    std::string role = cell(std::string(column_role_name(c.role())), kRole);
    if (c.role() == ColumnRole::Constant || c.role() == ColumnRole::IdentifierLike) role = paint.warn(role);
    const std::string distinct = fmt::format("{}{}", c.distinct_exact() ? "" : "~", count_text(c.distinct()));
    std::string line = fmt::format("{} {} {} {} {} {}", cell(c.name(), kName), cell(std::string(core::dtype_name(c.source_dtype())), kDtype),
                                   role, missing, cell(distinct, kDistinct, true), remark_text(remarks(c), remark_width));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }

  // Distributions of the numeric columns: 22 + 7 x 11 = 99 columns.
  bool any_numeric = false;
  for (const auto& c : cols) any_numeric = any_numeric || c.mean().has_value();
  if (any_numeric) {
    constexpr std::size_t kNum = 10;
    out += "\n";
    out += paint.bold(fmt::format("{} {} {} {} {} {} {} {}", cell("numeric column", kName), cell("mean", kNum, true),
                                  cell("std", kNum, true), cell("min", kNum, true), cell("25%", kNum, true),
                                  cell("50%", kNum, true), cell("75%", kNum, true), cell("max", kNum, true)));
    out += "\n";
    double worst_rank_error = 0.0;
    for (const auto& c : cols) {
      if (!c.mean()) continue;
      const auto q = c.quantiles().value_or(std::vector<double>(kReportedQuantiles.size(), NAN));
      worst_rank_error = std::max(worst_rank_error, c.quantile_rank_error());
      out += fmt::format("{} {} {} {} {} {} {} {}\n", cell(c.name(), kName), cell(num(c.mean()), kNum, true),
                         cell(num(c.std()), kNum, true), cell(num(c.min()), kNum, true), cell(num(q[2]), kNum, true),
                         cell(num(q[3]), kNum, true), cell(num(q[4]), kNum, true), cell(num(c.max()), kNum, true));
    }
    if (worst_rank_error > 0.0) {
      out += paint.dim(fmt::format("Quantiles from a KLL sketch: rank error below {:.2f}% with 99% confidence.\n",
                                   100.0 * worst_rank_error));
    }
  }

  out += "\n";
  if (profile.has_duplicates_info()) {
    const auto d = profile.duplicates();
    if (d.duplicate_rows == 0) {
      out += "Duplicate rows: none.\n";
    } else {
      std::vector<std::string> pairs;
      for (const auto& [first, again] : d.examples) pairs.push_back(fmt::format("{} = {}", again, first));
      out += paint.warn(fmt::format("Duplicate rows: {} ({:.1f}% of the rows)", count_text(d.duplicate_rows),
                                    100.0 * static_cast<double>(d.duplicate_rows) / static_cast<double>(std::max<std::int64_t>(profile.rows(), 1))));
      out += fmt::format("; e.g. row {} (0-based data rows).\n", fmt::join(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(pairs.size(), 4)), ", "));
    }
  }

  if (!profile.notes.empty()) {
    out += fmt::format("\n{}\n", paint.bold("Reader notes"));
    for (const auto& n : profile.notes) out += fmt::format("  - {}\n", n.message);
  }

  if (label) {
    out += fmt::format("\n{} ({})\n", paint.bold(fmt::format("Target \"{}\": {}", label->column, label_task_name(label->task))),
                       label->reason);
    if (label->missing > 0) out += paint.warn(fmt::format("  {} missing labels\n", count_text(label->missing)));
    if (label->task == LabelTask::Classification) {
      out += fmt::format("  {} {} {}\n", cell("class", 20), cell("count", 12, true), cell("share", 8, true));
      const std::size_t shown = std::min<std::size_t>(label->classes.size(), 20);
      for (std::size_t i = 0; i < shown; ++i) {
        const auto& c = label->classes[i];
        out += fmt::format("  {} {} {}\n", cell(c.value, 20), cell(count_text(c.count), 12, true), cell(percent(c.share), 8, true));
      }
      if (shown < label->classes.size()) out += fmt::format("  ... {} more classes\n", label->classes.size() - shown);
      std::string balance = fmt::format("  {} classes; imbalance ratio {:.2f} (largest / smallest), minority share {}",
                                        label->classes.size(), label->imbalance_ratio, percent(label->minority_share));
      out += fmt::format("{}\n", label->imbalance_ratio >= 10.0 ? paint.warn(balance) : balance);
    } else {
      std::vector<std::string> qs;
      for (std::size_t i = 0; i < label->quantiles.size(); ++i) {
        qs.push_back(fmt::format("{}% {}", static_cast<int>(std::lround(kReportedQuantiles[i] * 100)), num(label->quantiles[i])));
      }
      out += fmt::format("  mean {}, std {}, min {}, max {}\n", num(label->mean), num(label->std), num(label->min), num(label->max));
      if (!qs.empty()) out += fmt::format("  quantiles: {}\n", fmt::join(qs, ", "));
    }
  }
  return out;
}

}  // namespace fitcheck::profile
