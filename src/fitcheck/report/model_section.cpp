#include "fitcheck/report/model_section.hpp"

#include <fmt/format.h>

#include <cmath>

#include "fitcheck/core/quantity_text.hpp"
#include "fitcheck/report/html_parts.hpp"
#include "fitcheck/report/svg_chart.hpp"

namespace fitcheck::report {

namespace {

using nlohmann::json;
using namespace html;

// "?" for a count the document does not have.
std::string count_text(double v) {
  return std::isfinite(v) ? core::with_thousands(static_cast<std::int64_t>(std::llround(v))) : "?";
}

std::string layer_table(const json& m) {
  std::string out =
      "<div class=\"table-wrap\"><table><thead><tr><th>layer (type)</th><th>output shape</th><th>params</th></tr>"
      "</thead><tbody>";
  for (const auto& l : m.at("layers")) {
    out += fmt::format("<tr><td>{} ({})</td><td><code>{}</code></td><td>{}</td></tr>", esc(str(l, "name")),
                       esc(str(l, "class_name")), esc(str(l, "output_shape")),
                       esc(count_text(number(l, "params").value_or(NAN))));
  }
  const double total = number(m, "total_params").value_or(NAN), trainable = number(m, "trainable_params").value_or(NAN);
  out += fmt::format("</tbody><tfoot><tr><th>total</th><th></th><th>{}</th></tr>", esc(count_text(total)));
  if (trainable != total) {
    out += fmt::format("<tr><th>trainable</th><th></th><th>{}</th></tr>", esc(count_text(trainable)));
  }
  return out + "</tfoot></table></div>";
}

std::string memory_part(const json& mem) {
  const double total = number(mem, "total_bytes").value_or(NAN);
  const double available = number(mem, "available_bytes").value_or(0);
  std::string out = fmt::format(
      "<p>Training memory, estimated as Keras trains in float32: about <strong>{}</strong> — weights, gradients and "
      "{} optimizer slot(s) {}, activations kept for backpropagation at batch size {} {}, the data {}",
      esc(core::binary_bytes(total)), esc(str(mem, "optimizer_slots")), esc(core::binary_bytes(number(mem, "weight_bytes").value_or(0))),
      esc(str(mem, "batch_size")), esc(core::binary_bytes(number(mem, "activation_bytes").value_or(0))),
      esc(core::binary_bytes(number(mem, "data_bytes").value_or(0))));
  if (available > 0) {
    const double share = 100.0 * total / available;
    out += fmt::format("; {} of the {} available.</p>", share < 0.1 ? std::string("under 0.1%") : fmt::format("{:.1f}%", share),
                       esc(core::binary_bytes(available)));
  } else {
    out += ".</p>";
  }
  RowChart c{.title = "Training memory", .x = {.label = "bytes", .scale = AxisScale::Log}};
  c.rows = {"weights + gradients + optimizer", "activations (one batch)", "data (float32)", "total"};
  c.values = {number(mem, "weight_bytes").value_or(NAN), number(mem, "activation_bytes").value_or(NAN),
              number(mem, "data_bytes").value_or(NAN), total};
  if (available > 0) c.references.push_back({.vertical = true, .at = available, .label = "available"});
  return out + "<div class=\"charts\">" +
         figure(c.title, render_row_chart(c),
                "The total should stay well left of the dashed line (the memory available); activations grow with "
                "the batch size, the data with the rows.") +
         "</div>";
}

}  // namespace

std::string render_model_section(const json& m) {
  if (!m.is_object()) return "";
  std::string out = "<section id=\"model\"><h2>Model</h2>";
  if (m.contains("name")) out += fmt::format("<p>Model <code>{}</code>.</p>", esc(str(m, "name")));
  if (m.contains("note")) out += fmt::format("<p class=\"meta\">{}</p>", esc(str(m, "note")));
  if (m.contains("layers") && m.at("layers").is_array() && !m.at("layers").empty()) out += layer_table(m);
  if (m.contains("problem")) {
    out += fmt::format("<p class=\"notice\"><strong>Shapes stop here:</strong> {}</p>", esc(str(m, "problem")));
  }
  if (m.contains("unknown_layers")) {
    out += fmt::format("<p class=\"meta\">Layers whose shapes fitcheck does not infer: {}.</p>",
                       esc(plain(m.at("unknown_layers"))));
  }
  if (m.contains("memory") && m.at("memory").is_object()) out += memory_part(m.at("memory"));
  return out + "</section>\n";
}

}  // namespace fitcheck::report
