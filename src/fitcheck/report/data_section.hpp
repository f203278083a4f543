#pragma once
// The data section of the HTML reports, drawn from `fitcheck profile --format json` documents:
// each column's type, role and missing values, the missing share per column, the feature scales
// on a log axis (the picture of "unscaled"), the class distribution, and the train-vs-test
// overlap. Used by the doctor's report and by `fitcheck profile --report`.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fitcheck::report {

// `data`: {"train": profile document, "test"?: profile document,
//          "overlap"?: {"test_rows", "test_rows_in_train", "share"}}.
// `subject` names what "train" is ("Training split"; "Data" for `fitcheck profile`).
std::string render_data_section(const nlohmann::json& data, std::string_view subject = "Training split");

}  // namespace fitcheck::report
