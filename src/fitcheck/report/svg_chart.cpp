#include "fitcheck/report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace fitcheck::report {

namespace {

constexpr double kWidth = 720.0;
constexpr double kPlotHeight = 230.0;
constexpr double kLeft = 70.0;
constexpr double kRight = 18.0;
constexpr double kBottom = 46.0;
constexpr double kLegendRow = 18.0;
constexpr double kMaxDecades = 12.0;      // a log axis spans at most this many powers of ten
constexpr std::size_t kMaxPoints = 1200;  // longer series are reduced to the min and max per bucket

constexpr std::array<std::string_view, 7> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                      "#E69F00", "#56B4E9", "#000000"};
constexpr std::array<std::string_view, 4> kDashes = {"", "7 3", "2 3", "9 3 2 3"};

std::string_view dash_of(std::size_t i) { return kDashes[(i / kPalette.size()) % kDashes.size()]; }

bool usable(double v, AxisScale s) { return std::isfinite(v) && (s == AxisScale::Linear || v > 0.0); }

// Maps data values on one axis to pixels, and proposes the ticks.
struct Scale {
  AxisScale kind = AxisScale::Linear;
  double lo = 0.0, hi = 1.0;  // data range (log: the values themselves, not their logarithms)
  double p0 = 0.0, p1 = 1.0;  // pixel positions of lo and hi
  std::vector<double> ticks;

  double t(double v) const { return kind == AxisScale::Log ? std::log10(v) : v; }
  double operator()(double v) const {
    const double a = t(lo), b = t(hi);
    const double f = b > a ? (t(v) - a) / (b - a) : 0.5;
    return p0 + std::clamp(f, 0.0, 1.0) * (p1 - p0);  // out-of-range values sit on the edge
  }
};

double nice_step(double range, int target) {
  const double raw = range / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  return (norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0) * mag;
}

// The range [lo, hi] of the values (or the fixed one), widened to round ticks.
Scale make_scale(const Axis& axis, std::vector<double> values, int target_ticks) {
  Scale s;
  s.kind = axis.scale;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : values) {
    if (!usable(v, axis.scale)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (axis.min && usable(*axis.min, axis.scale)) lo = *axis.min;
  if (axis.max && usable(*axis.max, axis.scale)) hi = *axis.max;
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = axis.scale == AxisScale::Log ? 0.1 : 0.0;
    hi = 1.0;
  }
  if (axis.scale == AxisScale::Log) {
    // At most kMaxDecades below the largest value; smaller ones are drawn on the floor of the plot.
    if (!axis.min) lo = std::max(lo, hi * std::pow(10.0, -kMaxDecades));
    int dlo = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
    int dhi = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
    if (dhi <= dlo) dhi = dlo + 1;
    if (!axis.min)
      s.lo = std::pow(10.0, dlo);
    else
      s.lo = lo;
    if (!axis.max)
      s.hi = std::pow(10.0, dhi);
    else
      s.hi = hi;
    const int every = std::max(1, (dhi - dlo + target_ticks - 1) / target_ticks);
    for (int d = dlo; d <= dhi; d += every) s.ticks.push_back(std::pow(10.0, d));
    if (dhi - dlo == 1) {
      s.ticks = {std::pow(10.0, dlo), 2 * std::pow(10.0, dlo), 5 * std::pow(10.0, dlo), std::pow(10.0, dhi)};
    }
  } else {
    if (hi - lo <= 0.0) {
      const double pad = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    const double step = nice_step(hi - lo, target_ticks);
    s.lo = axis.min ? lo : std::floor(lo / step + 1e-9) * step;
    s.hi = axis.max ? hi : std::ceil(hi / step - 1e-9) * step;
    for (double v = std::ceil(s.lo / step - 1e-9) * step; v <= s.hi + step * 1e-6; v += step) {
      s.ticks.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    }
  }
  std::erase_if(s.ticks, [&](double v) { return v < s.lo * (1 - 1e-9) - 1e-300 || v > s.hi * (1 + 1e-9) + 1e-300; });
  return s;
}

std::string tick_label(double v, AxisScale scale) {
  if (v == 0.0) return "0";
  if (scale == AxisScale::Log) {
    const double e = std::log10(v);
    if (std::fabs(e - std::round(e)) < 1e-9 && (e < -3.5 || e > 4.5))
      return fmt::format("1e{}", static_cast<int>(std::round(e)));
  }
  const double a = std::fabs(v);
  if (a >= 1e5 || a < 1e-3) return fmt::format("{:.2g}", v);
  return fmt::format("{:.6g}", v);
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

// The legend as rows of (sample, label) at the top; returns where the plot starts.
std::string legend(const std::vector<Series>& series, bool bars, double& top) {
  std::string out;
  double x = kLeft, y = 14.0;
  if (series.size() < 2 && !bars) {
    top = 14.0;
    return out;
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double w = 26.0 + 6.6 * static_cast<double>(series[i].label.size()) + 14.0;
    if (x + w > kWidth - kRight && x > kLeft) {
      x = kLeft;
      y += kLegendRow;
    }
    if (bars) {
      out += fmt::format(R"(<rect x="{}" y="{}" width="18" height="10" fill="{}"/>)", num(x), num(y - 9),
                         series_colour(i));
    } else {
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"{}/>)", num(x),
                         num(y - 4), num(x + 20), num(y - 4), series_colour(i),
                         dash_of(i).empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", dash_of(i)));
    }
    out += fmt::format(R"(<text x="{}" y="{}" class="legend">{}</text>)", num(x + 26), num(y),
                       escape_html(series[i].label));
    x += w;
  }
  top = y + 14.0;
  return out;
}

std::string open_svg(const std::string& title, double height) {
  return fmt::format(
             R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="xMidYMid meet">)",
             num(kWidth), num(height), escape_html(title)) +
         fmt::format("<title>{}</title>", escape_html(title));
}

// Grid, ticks and tick labels of the y axis; the axis lines; the axis labels.
std::string y_axis(const Scale& ys, const Axis& axis, double top) {
  std::string out;
  for (double v : ys.ticks) {
    const double py = ys(v);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid"/>)", num(kLeft), num(py),
                       num(kWidth - kRight), num(py));
    out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>)", num(kLeft - 6), num(py + 4),
                       escape_html(tick_label(v, ys.kind)));
  }
  const double mid = top + kPlotHeight / 2;
  out += fmt::format(
      R"svg(<text transform="translate(14 {}) rotate(-90)" class="axis-label" text-anchor="middle">{}</text>)svg",
      num(mid), escape_html(axis.label + (axis.scale == AxisScale::Log ? " · log scale" : "")));
  return out;
}

std::string frame_lines(double top) {
  const double bottom = top + kPlotHeight;
  return fmt::format(R"(<path d="M{} {}V{}H{}" class="axis"/>)", num(kLeft), num(top), num(bottom),
                     num(kWidth - kRight));
}

std::string reference_lines(const std::vector<ReferenceLine>& refs, const Scale* xs, const Scale& ys, double top) {
  std::string out;
  const double bottom = top + kPlotHeight;
  for (const auto& r : refs) {
    if (r.vertical) {
      if (xs == nullptr || !usable(r.at, xs->kind)) continue;
      const double px = (*xs)(r.at);
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="ref"/>)", num(px), num(top), num(px),
                         num(bottom));
      const bool right_half = px > kLeft + (kWidth - kLeft - kRight) * 0.6;
      out += fmt::format(R"(<text x="{}" y="{}" class="ref-label" text-anchor="{}">{}</text>)",
                         num(right_half ? px - 4 : px + 4), num(top + 12), right_half ? "end" : "start",
                         escape_html(r.label));
    } else {
      if (!usable(r.at, ys.kind)) continue;
      const double py = ys(r.at);
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="ref"/>)", num(kLeft), num(py),
                         num(kWidth - kRight), num(py));
      out += fmt::format(R"(<text x="{}" y="{}" class="ref-label" text-anchor="end">{}</text>)",
                         num(kWidth - kRight - 4), num(py - 4), escape_html(r.label));
    }
  }
  return out;
}

// (x, y) pairs of one series with NaN as a gap; long series keep each bucket's min and max.
std::vector<std::pair<double, double>> points_of(const Series& s, AxisScale xs, AxisScale ys) {
  std::vector<std::pair<double, double>> pts;
  const std::size_t n = s.y.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto at = [&](std::size_t i) -> std::pair<double, double> {
    const double x = i < s.x.size() ? s.x[i] : static_cast<double>(i + 1);
    const double y = s.y[i];
    if (!usable(x, xs) || !usable(y, ys)) return {nan, nan};
    return {x, y};
  };
  if (n <= kMaxPoints) {
    for (std::size_t i = 0; i < n; ++i) pts.push_back(at(i));
    return pts;
  }
  const std::size_t bucket = (n + kMaxPoints / 2 - 1) / (kMaxPoints / 2);
  for (std::size_t b = 0; b < n; b += bucket) {
    const std::size_t e = std::min(n, b + bucket);
    std::size_t imin = n, imax = n;
    bool gap = false;
    for (std::size_t i = b; i < e; ++i) {
      const auto p = at(i);
      if (std::isnan(p.second)) {
        gap = true;
        continue;
      }
      if (imin == n || p.second < s.y[imin]) imin = i;
      if (imax == n || p.second > s.y[imax]) imax = i;
    }
    if (imin != n) {
      pts.push_back(at(std::min(imin, imax)));
      if (imax != imin) pts.push_back(at(std::max(imin, imax)));
    }
    if (gap) pts.push_back({nan, nan});
  }
  return pts;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string_view series_colour(std::size_t i) { return kPalette[i % kPalette.size()]; }

std::string render_line_chart(const LineChart& chart) {
  std::vector<double> xs_all, ys_all;
  for (const auto& s : chart.series) {
    for (std::size_t i = 0; i < s.y.size(); ++i) {
      const double x = i < s.x.size() ? s.x[i] : static_cast<double>(i + 1);
      if (!usable(x, chart.x.scale) || !usable(s.y[i], chart.y.scale)) continue;
      xs_all.push_back(x);
      ys_all.push_back(s.y[i]);
    }
  }
  for (const auto& r : chart.references) {
    if (!r.vertical && usable(r.at, chart.y.scale)) ys_all.push_back(r.at);
  }
  double top = 0.0;
  const std::string legend_svg = legend(chart.series, false, top);
  const double height = top + kPlotHeight + kBottom;
  Scale ys = make_scale(chart.y, ys_all, 5);
  ys.p0 = top + kPlotHeight;
  ys.p1 = top;
  Axis x_axis = chart.x;
  if (!x_axis.min && x_axis.scale == AxisScale::Linear && !xs_all.empty()) {
    x_axis.min = *std::min_element(xs_all.begin(), xs_all.end());
  }
  if (!x_axis.max && x_axis.scale == AxisScale::Linear && !xs_all.empty()) {
    x_axis.max = *std::max_element(xs_all.begin(), xs_all.end());
  }
  Scale xs = make_scale(x_axis, xs_all, 8);
  xs.p0 = kLeft;
  xs.p1 = kWidth - kRight;

  std::string out = open_svg(chart.title, height);
  out += legend_svg;
  out += y_axis(ys, chart.y, top);
  const double bottom = top + kPlotHeight;
  for (double v : xs.ticks) {
    const double px = xs(v);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="tickmark"/>)", num(px), num(bottom), num(px),
                       num(bottom + 5));
    out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>)", num(px), num(bottom + 18),
                       escape_html(tick_label(v, xs.kind)));
  }
  out += fmt::format(R"(<text x="{}" y="{}" class="axis-label" text-anchor="middle">{}</text>)",
                     num(kLeft + (kWidth - kLeft - kRight) / 2), num(bottom + 38),
                     escape_html(chart.x.label + (chart.x.scale == AxisScale::Log ? " · log scale" : "")));
  out += frame_lines(top);
  out += reference_lines(chart.references, &xs, ys, top);
  if (xs_all.empty()) {
    out += fmt::format(R"(<text x="{}" y="{}" class="empty" text-anchor="middle">no finite values to draw</text>)",
                       num(kLeft + (kWidth - kLeft - kRight) / 2), num(top + kPlotHeight / 2));
  }
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto pts = points_of(chart.series[i], chart.x.scale, chart.y.scale);
    std::string d;
    bool pen_down = false;
    for (const auto& [x, y] : pts) {
      if (std::isnan(y)) {
        pen_down = false;
        continue;
      }
      d += fmt::format("{}{} {}", pen_down ? "L" : "M", num(xs(x)), num(ys(y)));
      pen_down = true;
    }
    if (d.empty()) continue;
    out += fmt::format(R"(<path d="{}" class="series" stroke="{}"{}><title>{}</title></path>)", d, series_colour(i),
                       dash_of(i).empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", dash_of(i)),
                       escape_html(chart.series[i].label));
    if (chart.dots && pts.size() <= 200) {
      for (const auto& [x, y] : pts) {
        if (std::isnan(y)) continue;
        out += fmt::format(R"(<circle cx="{}" cy="{}" r="2.6" fill="{}"/>)", num(xs(x)), num(ys(y)), series_colour(i));
      }
    }
  }
  return out + "</svg>";
}

std::string render_bar_chart(const BarChart& chart) {
  std::vector<double> values;
  for (const auto& s : chart.series) values.insert(values.end(), s.y.begin(), s.y.end());
  for (const auto& r : chart.references) values.push_back(r.at);
  double top = 0.0;
  const std::string legend_svg = legend(chart.series, true, top);
  const double height = top + kPlotHeight + kBottom;
  Axis y_axis_spec = chart.y;
  if (y_axis_spec.scale == AxisScale::Linear && !y_axis_spec.min) {
    bool negative = false;
    for (double v : values) negative = negative || (std::isfinite(v) && v < 0.0);
    if (!negative) y_axis_spec.min = 0.0;
  }
  Scale ys = make_scale(y_axis_spec, values, 5);
  ys.p0 = top + kPlotHeight;
  ys.p1 = top;
  const double bottom = top + kPlotHeight;
  const double base = ys.kind == AxisScale::Log ? ys.lo : std::clamp(0.0, ys.lo, ys.hi);

  std::string out = open_svg(chart.title, height);
  out += legend_svg;
  out += y_axis(ys, chart.y, top);
  const std::size_t groups = std::max<std::size_t>(1, chart.groups.size());
  const double group_w = (kWidth - kLeft - kRight) / static_cast<double>(groups);
  const double n_series = static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  const double bar_w = std::min(group_w * 0.7 / n_series, 90.0);
  const double inset = (group_w - bar_w * n_series) / 2;
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const double gx = kLeft + group_w * static_cast<double>(g);
    out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>)", num(gx + group_w / 2),
                       num(bottom + 18), escape_html(chart.groups[g]));
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      if (g >= chart.series[s].y.size()) continue;
      const double v = chart.series[s].y[g];
      const double x0 = gx + inset + bar_w * static_cast<double>(s);
      if (!usable(v, ys.kind)) {
        out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="middle">n/a</text>)", num(x0 + bar_w / 2),
                           num(bottom - 4));
        continue;
      }
      const double y0 = ys(base), y1 = ys(v);
      out += fmt::format(R"(<path d="M{} {}V{}H{}V{}Z" fill="{}" class="bar"><title>{}: {}</title></path>)",
                         num(x0 + 1), num(y0), num(y1), num(x0 + bar_w - 1), num(y0), series_colour(s),
                         escape_html(chart.series[s].label), escape_html(fmt::format("{:.4g}", v)));
      out += fmt::format(R"(<text x="{}" y="{}" class="bar-label" text-anchor="middle">{}</text>)", num(x0 + bar_w / 2),
                         num(std::min(y0, y1) - 4), escape_html(fmt::format("{:.3g}", v)));
    }
  }
  out += fmt::format(R"(<text x="{}" y="{}" class="axis-label" text-anchor="middle">{}</text>)",
                     num(kLeft + (kWidth - kLeft - kRight) / 2), num(bottom + 38), escape_html(chart.x_label));
  out += frame_lines(top);
  out += reference_lines(chart.references, nullptr, ys, top);
  return out + "</svg>";
}

std::string render_row_chart(const RowChart& chart) {
  constexpr double kLabelWidth = 170.0, kRowHeight = 20.0, kTop = 24.0, kValueRoom = 56.0;
  constexpr std::size_t kLabelChars = 24;
  const double plot_left = kLabelWidth, plot_right = kWidth - kRight - kValueRoom;
  const double plot_height = kRowHeight * static_cast<double>(std::max<std::size_t>(1, chart.rows.size()));
  const double bottom = kTop + plot_height;
  const double height = bottom + kBottom;
  std::vector<double> values = chart.values;
  for (const auto& r : chart.references) values.push_back(r.at);
  Axis x_spec = chart.x;
  if (x_spec.scale == AxisScale::Linear && !x_spec.min) {
    bool negative = false;
    for (double v : values) negative = negative || (std::isfinite(v) && v < 0.0);
    if (!negative) x_spec.min = 0.0;
  }
  Scale xs = make_scale(x_spec, values, 6);
  xs.p0 = plot_left;
  xs.p1 = plot_right;
  const double base = xs.kind == AxisScale::Log ? xs.lo : std::clamp(0.0, xs.lo, xs.hi);

  std::string out = fmt::format(
                        R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="xMidYMid meet">)",
                        num(kWidth), num(height), escape_html(chart.title)) +
                    fmt::format("<title>{}</title>", escape_html(chart.title));
  for (double v : xs.ticks) {
    const double px = xs(v);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid"/>)", num(px), num(kTop), num(px), num(bottom));
    out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>)", num(px), num(bottom + 16),
                       escape_html(tick_label(v, xs.kind)));
  }
  for (std::size_t r = 0; r < chart.rows.size(); ++r) {
    const double y = kTop + kRowHeight * static_cast<double>(r);
    const std::string& name = chart.rows[r];
    const std::string shown = name.size() > kLabelChars ? name.substr(0, kLabelChars - 1) + "…" : name;
    out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="end">{}<title>{}</title></text>)",
                       num(plot_left - 6), num(y + kRowHeight / 2 + 4), escape_html(shown), escape_html(name));
    const double v = r < chart.values.size() ? chart.values[r] : std::numeric_limits<double>::quiet_NaN();
    if (!usable(v, xs.kind)) {
      out += fmt::format(R"(<text x="{}" y="{}" class="tick">n/a</text>)", num(plot_left + 4), num(y + kRowHeight / 2 + 4));
      continue;
    }
    const double x0 = xs(base), x1 = xs(v);
    out += fmt::format(R"(<path d="M{} {}H{}V{}H{}Z" fill="{}" class="bar"><title>{}: {}</title></path>)", num(x0),
                       num(y + 3), num(x1), num(y + kRowHeight - 3), num(x0), series_colour(0), escape_html(name),
                       escape_html(fmt::format("{:.4g}", v)));
    out += fmt::format(R"(<text x="{}" y="{}" class="bar-label">{}</text>)", num(std::max(x0, x1) + 4),
                       num(y + kRowHeight / 2 + 4), escape_html(fmt::format("{:.3g}", v)));
  }
  out += fmt::format(R"(<path d="M{} {}V{}H{}" class="axis"/>)", num(plot_left), num(kTop), num(bottom), num(plot_right));
  for (const auto& ref : chart.references) {
    if (!usable(ref.at, xs.kind)) continue;
    const double px = xs(ref.at);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="ref"/>)", num(px), num(kTop), num(px), num(bottom));
    // Above the plot: inside it the label would cross the bars and their values.
    out += fmt::format(R"(<text x="{}" y="{}" class="ref-label" text-anchor="middle">{}</text>)", num(px),
                       num(kTop - 8), escape_html(ref.label));
  }
  out += fmt::format(R"(<text x="{}" y="{}" class="axis-label" text-anchor="middle">{}</text>)",
                     num((plot_left + plot_right) / 2), num(bottom + 36),
                     escape_html(chart.x.label + (chart.x.scale == AxisScale::Log ? " · log scale" : "")));
  return out + "</svg>";
}

}  // namespace fitcheck::report
