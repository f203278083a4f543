// data.non_finite: +-inf in features or labels. An infinite input or target makes the loss
// infinite and its gradient NaN at the first batch that holds it, whatever the preprocessing
// (scalers propagate inf), so any count above zero is an error.
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"

namespace fitcheck::doctor {

void check_non_finite(const CheckContext& ctx, std::vector<Finding>& out) {
  for (const auto* split : {ctx.train ? &*ctx.train : nullptr, ctx.test ? &*ctx.test : nullptr}) {
    if (!split) continue;
    std::vector<std::string> names;
    std::int64_t total = 0;
    for (const auto& c : split->features.columns()) {
      if (c.non_finite() > 0) {
        names.push_back(c.name());
        total += c.non_finite();
      }
    }
    const std::int64_t label_inf = split->labels ? split->labels->non_finite : 0;
    if (total == 0 && label_inf == 0) continue;
    Finding f;
    f.severity = Severity::Error;
    f.likelihood = 0.95;
    f.where = {{"split", split->data.split}, {"columns", names}};
    if (label_inf > 0) f.where["labels"] = split->labels->source;
    f.evidence = {{"non_finite_features", total}, {"non_finite_labels", label_inf}};
    std::string what;
    if (total > 0) what = fmt::format("{} infinite feature value{} in {}", total, total == 1 ? "" : "s", name_columns(names));
    if (label_inf > 0) what += fmt::format("{}{} infinite label{}", what.empty() ? "" : " and ", label_inf, label_inf == 1 ? "" : "s");
    f.title = fmt::format("{} in the {} split", what, split->data.split);
    f.explanation = "An infinite value makes the loss infinite and its gradient NaN: the weights become NaN at the "
                    "first batch that holds one. Infinities usually come from a division by zero or a log of 0 "
                    "when the features were computed.";
    f.fix = "Find where the infinities come from (a ratio with a zero denominator, log(0)) and replace them, or "
            "drop those rows; clip extreme values before scaling.";
    out.push_back(std::move(f));
  }
}

}  // namespace fitcheck::doctor
