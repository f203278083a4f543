#pragma once
// Small SVG charts for the HTML report: line charts on linear or log axes and grouped bar charts,
// each with axes, ticks, axis labels (with their units), reference lines and a legend. The result
// is one inline <svg> element that references nothing outside itself (no xmlns, no ids, no
// fonts); every piece of text in it is HTML-escaped. Colours are the Okabe–Ito palette, which
// stays distinguishable with the common colour-vision deficiencies; past seven series the lines
// are also dashed.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fitcheck::report {

enum class AxisScale { Linear, Log };

struct Axis {
  std::string label;  // with the unit: "step", "loss (mean squared error)", "units (%)"
  AxisScale scale = AxisScale::Linear;
  // A fixed range; otherwise the data's, widened to round ticks (a log axis to whole powers of
  // ten, at most 12 of them below the largest value: smaller values are drawn on the floor).
  std::optional<double> min, max;
};

struct Series {
  std::string label;
  std::vector<double> x;  // empty: 1, 2, ..., y.size()
  std::vector<double> y;  // a non-finite value (or one <= 0 on a log axis) leaves a gap
};

// A dashed grey line across the plot: a baseline (horizontal) or a chosen x value (vertical).
struct ReferenceLine {
  bool vertical = false;
  double at = 0.0;
  std::string label;
};

struct LineChart {
  std::string title;  // the chart's accessible name
  Axis x, y;
  std::vector<Series> series;
  std::vector<ReferenceLine> references;
  bool dots = false;  // mark every point (for short series such as one value per epoch)
};

// Bars grouped along x: `groups` names the groups; series[s].y[g] is the bar of series s in group g.
struct BarChart {
  std::string title;
  std::string x_label;  // what the groups are ("repair round")
  Axis y;
  std::vector<std::string> groups;
  std::vector<Series> series;
  std::vector<ReferenceLine> references;  // horizontal ones only
};

// One horizontal bar per named row (a column of the data, say), top to bottom in the given order:
// names on the left, the value axis along the bottom. The chart grows with the rows, so the caller
// chooses how many to show.
struct RowChart {
  std::string title;
  Axis x;                          // the values' axis: label with unit, linear or log
  std::vector<std::string> rows;   // row names
  std::vector<double> values;      // one per row; non-finite (or <= 0 on a log axis): "n/a"
  std::vector<ReferenceLine> references;  // vertical lines at a value
};

std::string render_line_chart(const LineChart& chart);
std::string render_bar_chart(const BarChart& chart);
std::string render_row_chart(const RowChart& chart);

// & < > " ' as character references: safe in element content and in quoted attributes.
std::string escape_html(std::string_view text);

// The i-th colour of the Okabe–Ito palette (without its yellow, too light on white), cycling.
std::string_view series_colour(std::size_t i);

}  // namespace fitcheck::report
