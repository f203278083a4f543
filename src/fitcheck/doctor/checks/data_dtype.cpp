// data.dtype: inputs that are not float32, and labels whose dtype the loss cannot take.
//
// Keras feeds a model float32 (the InputLayer's dtype) and converts what it is given. That
// conversion is harmless for float64 (precision is lost, nothing else: info). Integer arrays are
// converted too, but integers in a feature matrix are nearly always codes, counts or raw pixel
// intensities that were never scaled — the cause of the failures around them (warning). Text
// cannot be converted at all (error, reported as data.categorical_unencoded for features; here
// for labels under a numeric loss). Only data that goes to the model as it is ("preprocess":
// "none") is judged: fitcheck's preprocessing outputs float32.
#include <fmt/format.h>

#include "fitcheck/doctor/check.hpp"
#include "fitcheck/doctor/check_support.hpp"
#include "fitcheck/doctor/keras_names.hpp"
#include "fitcheck/doctor/numeric_text.hpp"

namespace fitcheck::doctor {

namespace {

void feature_dtype(const CheckContext& ctx, const SplitView& split, std::vector<Finding>& out) {
  const auto& x = split.data.x;
  Finding f;
  f.where = {{"split", split.data.split}, {"source", x.source}};
  if (x.kind == io::DataBlock::Kind::Array) {
    const auto dt = x.array.dtype;
    if (dt == core::DType::Float32) return;
    f.evidence = {{"dtype", core::dtype_name(dt)}, {"shape", x.array.shape.str()}};
    if (core::dtype_is_float(dt)) {
      f.severity = Severity::Info;
      f.title = fmt::format("The features are {}; Keras converts them to float32", core::dtype_name(dt));
      f.explanation = "The conversion costs memory and time on every epoch but does not change training.";
      f.fix = "Save the array as float32 (x.astype('float32')).";
      f.likelihood = 0.1;
    } else if (dt == core::DType::Bool) {
      f.severity = Severity::Info;
      f.title = "The features are booleans; Keras reads them as 0.0 / 1.0";
      f.explanation = "Booleans train fine as 0/1 inputs.";
      f.fix = "Nothing needed; x.astype('float32') makes it explicit.";
      f.likelihood = 0.1;
    } else {
      f.severity = Severity::Warning;
      f.title = fmt::format("The features are {} integers, not float32", core::dtype_name(dt));
      f.explanation = dt == core::DType::UInt8
          ? "uint8 features are raw byte values (usually pixel intensities 0-255). Keras converts them to float32 "
            "but does not scale them, so the first layer sees inputs hundreds of times larger than its "
            "initialisation assumes."
          : "Integer features are usually counts, codes or identifiers. Keras converts them to float32 as "
            "quantities: codes become arbitrary magnitudes and counts are left unscaled.";
      f.fix = "Convert to float32 and scale (x.astype('float32') / 255 for pixels, standardization for counts); "
              "one-hot encode integer codes that name categories.";
      f.repair = auto_preprocess_repair();
      f.likelihood = 0.6;
    }
    out.push_back(std::move(f));
    return;
  }
  // A table becomes one array: text anywhere makes it an object array (categorical_unencoded),
  // floats anywhere make it float64, all-integer columns make it int64.
  std::vector<std::string> ints;
  bool any_float = false, any_text = false;
  for (const auto& c : x.table.columns()) {
    if (c.type == core::ColumnType::Int64) ints.push_back(c.name);
    if (c.type == core::ColumnType::Float64) any_float = true;
    if (c.type == core::ColumnType::Categorical) any_text = true;
  }
  if (any_text || ints.empty()) return;
  f.where["columns"] = ints;
  f.evidence = {{"integer_columns", ints.size()}, {"columns", x.table.num_columns()}};
  f.severity = any_float ? Severity::Info : Severity::Warning;
  f.title = any_float ? fmt::format("{} integer column{} ({}) go to the model as numbers", ints.size(),
                                    ints.size() == 1 ? "" : "s", name_columns(ints))
                      : "Every feature is an integer column: the model gets an int64 matrix";
  f.explanation = "Integer columns are counts, codes or identifiers; Keras converts them to float32 as quantities, "
                  "so codes become arbitrary magnitudes and counts are left unscaled.";
  f.fix = "Standardize counts, one-hot encode codes that name categories, drop identifiers.";
  f.repair = auto_preprocess_repair();
  f.likelihood = any_float ? 0.1 : 0.5;
  out.push_back(std::move(f));
  (void)ctx;
}

// Text columns that hold numbers ("1,288", "$12.50"): Keras cannot convert them, and a
// preprocessing that takes them for categories loses their magnitude. Judged whatever the run's
// preprocessing: fitcheck's auto mode would encode them as categories too.
void numbers_as_text(const CheckContext& ctx, const SplitView& split, std::vector<Finding>& out) {
  const auto& x = split.data.x;
  if (x.kind != io::DataBlock::Kind::Table) return;
  std::vector<std::string> names;
  std::optional<NumericText> first;
  nlohmann::json formats = nlohmann::json::object();
  for (const auto& c : x.table.columns()) {
    const auto found = numbers_written_as_text(c);
    if (!found) continue;
    names.push_back(c.name);
    formats[c.name] = {{"written_with", found->format}, {"example", found->example}, {"numeric_share", found->share}};
    if (!first) first = found;
  }
  if (names.empty()) return;
  Finding f;
  f.severity = ctx.raw_input() ? Severity::Error : Severity::Warning;
  f.likelihood = 1.0;
  f.title = fmt::format("{} numbers written as text, with {} (\"{}\")",
                        names.size() == 1 ? fmt::format("Column \"{}\" holds", names[0])
                                          : fmt::format("{} columns ({}) hold", names.size(), name_columns(names)),
                        first->format, first->example);
  f.where = {{"split", split.data.split}, {"source", x.source}, {"columns", names}};
  f.evidence = {{"columns", formats}};
  f.explanation = ctx.raw_input()
      ? "Read without the file's number format (pandas' read_csv defaults), these columns are strings: Keras "
        "cannot convert them to a float tensor and fit stops (\"could not convert string to float\")."
      : "As text, the preprocessing takes them for categories: one level per distinct value, the order and "
        "magnitude of the numbers lost.";
  f.fix = first->format == "a decimal comma"
      ? "Read the file with its decimal comma (pandas.read_csv(path, sep=';', decimal=',')), or convert the "
        "columns (s.str.replace(',', '.').astype(float)) before scaling."
      : "Remove the separators and symbols and convert the columns to numbers (pandas.read_csv(..., "
        "thousands=',') or pd.to_numeric(s.str.replace(r'[^0-9.eE-]', '', regex=True))) before scaling.";
  out.push_back(std::move(f));
}

void label_dtype(const CheckContext& ctx, const SplitView& split, std::vector<Finding>& out) {
  if (!split.labels || !ctx.run || ctx.run->loss.is_null()) return;
  const auto& y = *split.labels;
  if (y.encoding != LabelEncoding::Text) return;
  const auto loss = resolve_loss(ctx.run->loss);
  Finding f;
  f.severity = Severity::Error;
  f.where = {{"split", split.data.split}, {"source", y.source}};
  f.evidence = {{"label_dtype", "string"}, {"loss", loss.name}};
  if (y.implied_classes) f.evidence["classes"] = *y.implied_classes;
  f.title = fmt::format("The labels are text; {} needs numbers", loss.name.empty() ? "the loss" : loss.name);
  f.explanation = "Keras cannot convert strings to tensors for the loss; fit stops with a conversion error.";
  f.fix = "Encode the labels as class ids 0..K-1 (sklearn's LabelEncoder) and use "
          "sparse_categorical_crossentropy, or as 0/1 for binary_crossentropy.";
  f.likelihood = 1.0;
  out.push_back(std::move(f));
}

}  // namespace

void check_data_dtype(const CheckContext& ctx, std::vector<Finding>& out) {
  for (const auto* split : {ctx.train ? &*ctx.train : nullptr, ctx.test ? &*ctx.test : nullptr}) {
    if (!split) continue;
    // Integer ids are what an Embedding takes.
    if (ctx.raw_input() && !feeds_embedding(ctx)) feature_dtype(ctx, *split, out);
    numbers_as_text(ctx, *split, out);
    label_dtype(ctx, *split, out);
    if (split == &*ctx.train && !out.empty()) break;  // the test split repeats the training split's story
  }
}

}  // namespace fitcheck::doctor
