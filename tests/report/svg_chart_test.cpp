#include "fitcheck/report/svg_chart.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace fitcheck::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

TEST(EscapeHtml, EscapesMarkupAndQuotes) {
  EXPECT_EQ(escape_html(R"(<a href="x">'&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_html("plain"), "plain");
}

TEST(SeriesColour, CyclesThroughOkabeIto) {
  EXPECT_EQ(series_colour(0), "#0072B2");
  EXPECT_EQ(series_colour(7), series_colour(0));
}

TEST(LineChart, DrawsOnePathPerSeriesWithAxesAndLegend) {
  LineChart c{.title = "Loss", .x = {.label = "epoch"}, .y = {.label = "loss (mse)"}};
  c.series.push_back({.label = "train", .y = {3, 2, 1.5, 1}});
  c.series.push_back({.label = "validation", .y = {3.5, 2.5, 2, 2.1}});
  const auto svg = render_line_chart(c);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_THAT(svg, HasSubstr("</svg>"));
  EXPECT_EQ(count(svg, "class=\"series\""), 2u);
  EXPECT_THAT(svg, HasSubstr(">epoch</text>"));
  EXPECT_THAT(svg, HasSubstr(">loss (mse)</text>"));
  EXPECT_THAT(svg, HasSubstr(">validation</text>"));  // legend
  EXPECT_THAT(svg, Not(HasSubstr("http")));           // no xmlns, nothing external
}

TEST(LineChart, LogAxisLeavesGapsForNonPositiveAndNonFiniteValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  LineChart c{.title = "g", .x = {.label = "step"}, .y = {.label = "rms", .scale = AxisScale::Log}};
  c.series.push_back({.label = "dense", .y = {1e-3, 1e-2, 0.0, 1e-1, nan, 1.0, 10.0}});
  const auto svg = render_line_chart(c);
  const auto start = svg.find("class=\"series\"");
  ASSERT_NE(start, std::string::npos);
  const auto d_begin = svg.rfind("d=\"", start);
  const auto path = svg.substr(d_begin, start - d_begin);
  EXPECT_EQ(count(path, "M"), 3u) << path;  // three runs: [1e-3, 1e-2], [1e-1], [1, 10]
  EXPECT_THAT(svg, HasSubstr("log scale"));
  EXPECT_THAT(svg, HasSubstr(">0.001</text>"));
  EXPECT_THAT(svg, HasSubstr(">10</text>"));
}

TEST(LineChart, LogAxisSpansAtMostTwelveDecadesBelowTheLargestValue) {
  LineChart c{.title = "g", .x = {.label = "step"}, .y = {.label = "rms", .scale = AxisScale::Log}};
  c.series.push_back({.label = "dense", .y = {1e-41, 1e-3, 1e-1}});
  const auto svg = render_line_chart(c);
  EXPECT_THAT(svg, HasSubstr(">1e-13</text>"));
  EXPECT_THAT(svg, Not(HasSubstr("1e-41")));
}

TEST(LineChart, ReducesLongSeriesButKeepsTheirExtremes) {
  LineChart c{.title = "steps", .x = {.label = "step"}, .y = {.label = "loss"}};
  Series s{.label = "loss"};
  for (int i = 0; i < 100000; ++i) s.y.push_back(i == 54321 ? 1000.0 : 1.0 + (i % 7) * 0.01);
  c.series.push_back(s);
  const auto svg = render_line_chart(c);
  EXPECT_LT(svg.size(), 60000u);
  EXPECT_THAT(svg, HasSubstr(">1000</text>"));  // the spike still sets the axis
}

TEST(LineChart, EscapesLabels) {
  LineChart c{.title = "<t>", .x = {.label = "<x>"}, .y = {.label = "y"}};
  c.series.push_back({.label = "<script>alert(1)</script>", .y = {1, 2}});
  c.series.push_back({.label = "b", .y = {2, 1}});
  c.references.push_back({.vertical = true, .at = 1.5, .label = "<ref>"});
  const auto svg = render_line_chart(c);
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("<ref>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(LineChart, WithoutFiniteValuesSaysSo) {
  LineChart c{.title = "empty", .x = {.label = "x"}, .y = {.label = "y", .scale = AxisScale::Log}};
  c.series.push_back({.label = "s", .y = {0.0, -1.0}});
  EXPECT_THAT(render_line_chart(c), HasSubstr("no finite values"));
}

TEST(BarChart, DrawsOneBarPerSeriesAndGroupWithReferenceLine) {
  BarChart c{.title = "before/after", .x_label = "repair round", .y = {.label = "loss"}};
  c.groups = {"round 1", "round 2"};
  c.series = {{.label = "before", .y = {8.7, 1.0}}, {.label = "after", .y = {1.0, 0.5}}};
  c.references.push_back({.at = 2.5, .label = "best constant"});
  const auto svg = render_bar_chart(c);
  EXPECT_EQ(count(svg, "class=\"bar\""), 4u);
  EXPECT_EQ(count(svg, "class=\"ref\""), 1u);
  EXPECT_THAT(svg, HasSubstr(">round 2</text>"));
  EXPECT_THAT(svg, HasSubstr(">repair round</text>"));
}

}  // namespace
}  // namespace fitcheck::report

namespace fitcheck::report {
namespace {

TEST(RowChart, OneBarPerRowWithNamesOnALogAxis) {
  RowChart c{.title = "Feature scales", .x = {.label = "standard deviation", .scale = AxisScale::Log}};
  c.rows = {"income", "age", "a_column_with_a_very_long_name_indeed", "<b>"};
  c.values = {48000.0, 12.0, 0.003, -1.0};  // -1 cannot be drawn on a log axis
  c.references.push_back({.vertical = true, .at = 1.0, .label = "unit"});
  const auto svg = render_row_chart(c);
  EXPECT_EQ(count(svg, "class=\"bar\""), 3u);
  EXPECT_EQ(count(svg, ">n/a<"), 1u);
  EXPECT_THAT(svg, HasSubstr("&lt;b&gt;"));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_THAT(svg, HasSubstr("standard deviation · log scale"));
  EXPECT_THAT(svg, HasSubstr("a_column_with_a_very_lo…"));  // shortened, the full name in its <title>
  EXPECT_THAT(svg, HasSubstr("<title>a_column_with_a_very_long_name_indeed</title>"));
  EXPECT_THAT(svg, HasSubstr("class=\"ref\""));
  // The bars' lengths follow the logarithm: 48000 reaches further right than 12.
  auto bar_end = [&](std::size_t k) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i <= k; ++i) pos = svg.find("class=\"bar\"", pos + 1);
    const auto d = svg.rfind("d=\"M", pos);
    const auto h = svg.find('H', d);
    return std::stod(svg.substr(h + 1));
  };
  EXPECT_GT(bar_end(0), bar_end(1));
  EXPECT_GT(bar_end(1), bar_end(2));
}

TEST(RowChart, GrowsWithTheRows) {
  RowChart few;
  few.title = "t";
  few.rows = {"a", "b"};
  few.values = {1, 2};
  RowChart many;
  many.title = "t";
  many.rows = few.rows;
  many.values = few.values;
  for (int i = 0; i < 20; ++i) {
    many.rows.push_back(std::string("r").append(std::to_string(i)));
    many.values.push_back(i);
  }
  auto height = [](const std::string& svg) {
    const auto v = svg.find("viewBox=\"0 0 ");
    const auto sp = svg.find(' ', v + 13);
    return std::stod(svg.substr(sp + 1));
  };
  EXPECT_GT(height(render_row_chart(many)), height(render_row_chart(few)) + 300);
}

}  // namespace
}  // namespace fitcheck::report
