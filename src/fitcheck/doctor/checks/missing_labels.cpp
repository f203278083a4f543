// data.missing_labels: NaN or empty labels. The loss of a sample with a NaN target is NaN, and
// one NaN in a batch makes the mean loss and every gradient NaN: any count above zero is an
// error. No preprocessing fixes it (labels are not imputed): those rows must go.
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"

namespace fitcheck::doctor {

void check_missing_labels(const CheckContext& ctx, std::vector<Finding>& out) {
  for (const auto* split : {ctx.train ? &*ctx.train : nullptr, ctx.test ? &*ctx.test : nullptr}) {
    if (!split || !split->labels || split->labels->missing == 0) continue;
    const auto& y = *split->labels;
    const std::int64_t rows = y.rows;
    Finding f;
    f.severity = Severity::Error;
    f.likelihood = 0.95;
    f.where = {{"split", split->data.split}, {"labels", y.source}};
    if (!split->data.target.empty()) f.where["column"] = split->data.target;
    f.evidence = {{"missing_labels", y.missing}, {"rows", rows},
                  {"share", rows ? static_cast<double>(y.missing) / static_cast<double>(rows) : 0.0}};
    f.title = fmt::format("{} of {} {} labels are missing ({:.1f}%)", y.missing, rows, split->data.split,
                          rows ? 100.0 * static_cast<double>(y.missing) / static_cast<double>(rows) : 0.0);
    f.explanation = "A sample without a target has a NaN loss; one in a batch makes the batch loss and every "
                    "gradient NaN, and the weights are lost.";
    f.fix = "Drop the rows whose label is missing (df.dropna(subset=[target])) before training; do not impute labels.";
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
