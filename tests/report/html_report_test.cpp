#include "fitcheck/report/html_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace fitcheck::report {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kEvil = R"(<script>alert("x")</script><img src=x onerror=alert(1)>)";

// A doctor document with every section: findings (one a consequence of another), a probe with
// two layers, the learning-rate range test and one repair round. Column and layer names are hostile.
json full_document() {
  json doc = {{"version", "1"}, {"verdict", "fail"}, {"run", "runs/" + kEvil + "/run.json"}, {"phase", "doctor"}};
  doc["findings"] = json::array({
      {{"code", "FC-D108"},
       {"category", "data.unscaled_features"},
       {"severity", "warning"},
       {"title", "Column " + kEvil + " is unscaled"},
       {"where", {{"columns", {kEvil, "age"}}}},
       {"evidence", {{"std_max", 48213.7}, {kEvil, 1.5}}},
       {"explanation", "Steps are dominated by one feature."},
       {"fix", "Standardize the columns."},
       {"repair", {{"preprocess", json::array()}}}},
      {{"code", "FC-T406"},
       {"category", "train.loss_plateau"},
       {"severity", "info"},
       {"caused_by", "FC-D108"},
       {"title", "The loss does not fall"},
       {"where", {{"series", "loss"}}},
       {"evidence", {{"steps", 100}}}},
      {{"code", "FC-C301"},
       {"category", "config.learning_rate"},
       {"severity", "error"},
       {"title", "Learning rate 10 is 10000x Adam's default"},
       {"where", {{"key", "/compile/optimizer"}}}},
  });
  json grad0 = json::array(), grad1 = json::array(), steps = json::array();
  for (int i = 0; i < 50; ++i) {
    grad0.push_back(1e-3 / (1 + i));
    grad1.push_back(0.1);
    steps.push_back(i == 20 ? json(nullptr) : json(2.0 / (1 + i)));
  }
  doc["probe"] = {{"steps", 50},
                  {"epochs", 5},
                  {"seconds", 0.01},
                  {"budget_exhausted", false},
                  {"task", "binary classification"},
                  {"loss", "binary_crossentropy"},
                  {"optimizer", "adam"},
                  {"learning_rate", 10.0},
                  {"train_rows", 100},
                  {"validation", "validation_split 0.2"},
                  {"step_loss", steps},
                  {"history",
                   {{"loss", {1.0, 0.8, 0.6, 0.5, 0.4}},
                    {"val_loss", {1.1, 0.9, 0.8, 0.85, 0.9}},
                    {"accuracy", {0.5, 0.6, 0.7, 0.75, 0.8}}}},
                  {"baseline", {{"kind", "majority class"}, {"loss", 0.69}, {"accuracy", 0.51}}},
                  {"layers", json::array({{{"index", 0},
                                           {"name", kEvil},
                                           {"class_name", "Dense"},
                                           {"activation", "relu"},
                                           {"grad_rms", grad0},
                                           {"update_ratio", {1e-2, 1e-3, 1e-3, 1e-4, 1e-4}},
                                           {"dead_share", {0.0, 0.1, 0.2, 0.3, 0.5}}},
                                          {{"index", 1},
                                           {"name", "out"},
                                           {"class_name", "Dense"},
                                           {"activation", "sigmoid"},
                                           {"grad_rms", grad1},
                                           {"update_ratio", {1e-2, 1e-2, 1e-2, 1e-2, 1e-2}},
                                           {"saturated_share", {0.0, 0.0, 1.0, 1.0, 1.0}}}})}};
  json rates = json::array(), losses = json::array();
  for (int i = 0; i < 60; ++i) {
    rates.push_back(1e-6 * std::pow(10.0, i / 8.0));
    losses.push_back(0.7 - 0.005 * i + (i > 50 ? 0.3 * (i - 50) : 0.0));
  }
  doc["lr_finder"] = {{"learning_rates", rates}, {"losses", losses}, {"lowest_at", 0.3}, {"proposed", 0.03}};
  doc["repair"] = {{"proven", true},
                   {"rounds", json::array({{{"applied", {"FC-D108", "FC-C301"}},
                                            {"skipped", json::array()},
                                            {"fixed_run", "run.fixed.json"},
                                            {"before",
                                             {{"loss", 0.6},
                                              {"balanced_accuracy", 0.6},
                                              {"baseline_loss", 0.69},
                                              {"baseline_balanced_accuracy", 0.5}}},
                                            {"after",
                                             {{"loss", 0.1},
                                              {"balanced_accuracy", 0.95},
                                              {"baseline_loss", 0.69},
                                              {"baseline_balanced_accuracy", 0.5}}},
                                            {"proven", true},
                                            {"history", {{"loss", {0.5, 0.2, 0.1}}, {"val_loss", {0.55, 0.25, 0.15}}}},
                                            {"remaining", json::array()}}})}};
  return doc;
}

std::vector<std::string> svgs_of(const std::string& html) {
  std::vector<std::string> out;
  for (auto pos = html.find("<svg"); pos != std::string::npos; pos = html.find("<svg", pos + 4)) {
    const auto end = html.find("</svg>", pos);
    out.push_back(html.substr(pos, end == std::string::npos ? std::string::npos : end + 6 - pos));
  }
  return out;
}

TEST(HtmlReport, IsOneCompleteDocument) {
  const auto html = render_html_report(full_document());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("</html>"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("@media (max-width:600px)"));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
}

TEST(HtmlReport, DrawsEveryChartWithContent) {
  const auto html = render_html_report(full_document());
  const auto svgs = svgs_of(html);
  // loss/epoch, metrics/epoch, loss/step, gradient RMS, update ratio, dead+saturated, lr finder,
  // loss per epoch before and after repair, repair loss bars, repair balanced-accuracy bars.
  ASSERT_EQ(svgs.size(), 10u);
  const std::regex drawn(R"re(<path d="M[0-9.]+ [0-9.]+[LVH][^"]*" (class="series"|fill="[^"]+" class="bar"))re");
  for (const auto& svg : svgs) {
    EXPECT_TRUE(std::regex_search(svg, drawn)) << svg.substr(0, 300);
    EXPECT_THAT(svg, HasSubstr("class=\"axis\""));
    EXPECT_THAT(svg, HasSubstr("class=\"axis-label\""));
  }
  // one caption per chart
  std::size_t captions = 0;
  for (auto p = html.find("<figcaption>"); p != std::string::npos; p = html.find("<figcaption>", p + 1)) ++captions;
  EXPECT_EQ(captions, svgs.size());
}

TEST(HtmlReport, RepairedRunsLossOnTheFirstRunsAxes) {
  const auto html = render_html_report(full_document());
  const auto at = html.find("Loss per epoch, before and after repair");
  ASSERT_NE(at, std::string::npos);
  const auto svg = html.substr(at, html.find("</svg>", at) - at);
  EXPECT_THAT(svg, HasSubstr("before: train"));
  EXPECT_THAT(svg, HasSubstr("round 1: validation"));
  std::size_t lines = 0;
  for (auto p = svg.find("class=\"series\""); p != std::string::npos; p = svg.find("class=\"series\"", p + 1)) ++lines;
  EXPECT_GE(lines, 3u);  // the first run's train loss and the round's two curves (at least)
}

TEST(HtmlReport, EscapesHostileNames) {
  const auto html = render_html_report(full_document());
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
}

TEST(HtmlReport, ReferencesNothingOutside) {
  const auto html = render_html_report(full_document());
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  // no element loads anything (the hostile name's "src=" is escaped text, not an attribute)
  EXPECT_FALSE(std::regex_search(html, std::regex(R"re(<[a-zA-Z][^<>]*\s(src|href|xlink:href)=)re")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
}

TEST(HtmlReport, GroupsConsequencesUnderTheirRootAndMarksAppliedRepairs) {
  const auto html = render_html_report(full_document());
  const auto root = html.find("data.unscaled_features");
  const auto consequence = html.find("train.loss_plateau");
  const auto other_root = html.find("config.learning_rate");
  ASSERT_NE(consequence, std::string::npos);
  EXPECT_LT(root, consequence);
  EXPECT_LT(consequence, other_root);  // nested in the first root, before the next root
  EXPECT_THAT(html, HasSubstr("follows from FC-D108"));
  EXPECT_THAT(html, HasSubstr("Applied by --fix in round 1"));
  EXPECT_THAT(html, HasSubstr("1 error, 1 warning, 1 note."));
  EXPECT_THAT(html, HasSubstr("proposed learning rate: <strong>0.03</strong>"));
}

TEST(HtmlReport, ShowsTheSkippedProbe) {
  json doc = {{"verdict", "fail"},
              {"findings", json::array()},
              {"probe", {{"skipped", "layer <dense> cannot take (None, 3)"}}}};
  const auto html = render_html_report(doc);
  EXPECT_THAT(html, HasSubstr("Probe skipped"));
  EXPECT_THAT(html, HasSubstr("layer &lt;dense&gt; cannot take (None, 3)"));
  EXPECT_TRUE(svgs_of(html).empty());
}

TEST(HtmlReport, HealthyRunWithoutProbeSaysSo) {
  const auto html = render_html_report({{"verdict", "ok"}, {"findings", json::array()}});
  EXPECT_THAT(html, HasSubstr("No problems found."));
  EXPECT_THAT(html, HasSubstr("verdict ok"));
}

}  // namespace
}  // namespace fitcheck::report

namespace fitcheck::report {
namespace {

json column(const std::string& name, double missing, double sd, const std::string& kind = "numeric") {
  return {{"name", name}, {"source_dtype", kind == "numeric" ? "float64" : "string"}, {"kind", kind},
          {"role", kind == "numeric" ? "numeric" : "categorical"}, {"missing", missing}, {"min", 0.0},
          {"max", sd * 4}, {"std", sd}};
}

json data_document() {
  json train = {{"version", "1"}, {"source", "train.csv"}, {"rows", 200},
                {"columns", json::array({column("income", 0, 48000), column(kEvil, 30, 0.5), column("city", 4, 0, "text"),
                                         column("label", 0, 0.4)})},
                {"duplicates", {{"rows", 3}, {"groups", 2}, {"examples", json::array()}}},
                {"label", {{"column", "label"}, {"task", "classification"}, {"imbalance_ratio", 9.0},
                           {"classes", json::array({{{"value", "0"}, {"count", 180}}, {{"value", "1"}, {"count", 20}}})}}}};
  return {{"train", train},
          {"test", {{"source", "test.csv"}, {"rows", 50}, {"columns", json::array()}}},
          {"overlap", {{"test_rows", 50}, {"test_rows_in_train", 10}, {"share", 0.2}}}};
}

TEST(HtmlReport, DataSectionShowsMissingScalesClassesAndOverlap) {
  json doc = {{"version", "1"}, {"verdict", "warn"}, {"findings", json::array()}, {"data", data_document()}};
  const auto html = render_html_report(doc);
  EXPECT_THAT(html, HasSubstr("<section id=\"data\">"));
  EXPECT_THAT(html, HasSubstr("Missing values per column"));
  EXPECT_THAT(html, HasSubstr("Feature scales"));
  EXPECT_THAT(html, HasSubstr("Largest / smallest spread: 9.6e+04"));  // label excluded: 48000 / 0.5
  EXPECT_THAT(html, HasSubstr("Class distribution"));
  EXPECT_THAT(html, HasSubstr("10 of 50 test rows (20.0%) are copies of training rows"));
  EXPECT_THAT(html, HasSubstr("3 rows (1.5%) repeat an earlier row"));
  EXPECT_THAT(html, HasSubstr("30 (15.0%)"));  // the missing cells in the column table
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  for (const auto& svg : svgs_of(html)) EXPECT_THAT(svg, HasSubstr("class=\"bar\""));
}

TEST(HtmlReport, ModelSectionListsLayersAndMemory) {
  json model = {{"name", "mlp"},
                {"layers", json::array({{{"name", "dense"}, {"class_name", "Dense"}, {"output_shape", "(None, 64)"}, {"params", 1984}},
                                        {{"name", kEvil}, {"class_name", "Dense"}, {"output_shape", "(None, 1)"}, {"params", 65}}})},
                {"total_params", 2049}, {"trainable_params", 2049}, {"complete", true},
                {"memory", {{"total_bytes", 3.0e9}, {"weight_bytes", 1.0e6}, {"activation_bytes", 2.0e9},
                            {"data_bytes", 0.999e9}, {"available_bytes", 4.0e9}, {"optimizer_slots", 2}, {"batch_size", 512}}}};
  json doc = {{"version", "1"}, {"verdict", "ok"}, {"findings", json::array()}, {"model", model}};
  const auto html = render_html_report(doc);
  EXPECT_THAT(html, HasSubstr("<section id=\"model\">"));
  EXPECT_THAT(html, HasSubstr("(None, 64)"));
  EXPECT_THAT(html, HasSubstr("1,984"));
  EXPECT_THAT(html, HasSubstr("2,049"));
  EXPECT_THAT(html, HasSubstr("75.0% of the 3.7 GiB available"));
  EXPECT_THAT(html, HasSubstr("Training memory"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(ProfileReport, IsTheDataSectionAsAPage) {
  const auto html = render_profile_report(data_document()["train"]);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("fitcheck profile report"));
  EXPECT_THAT(html, HasSubstr("Data: <code>train.csv</code>, 200 rows"));
  EXPECT_THAT(html, HasSubstr("Feature scales"));
  EXPECT_THAT(html, Not(HasSubstr("<section id=\"findings\">")));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
}

}  // namespace
}  // namespace fitcheck::report
