#include "fitcheck/prep/pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/prep/column_values.hpp"
#include "fitcheck/prep/json_values.hpp"
#include "fitcheck/prep/registry.hpp"

namespace fitcheck::prep {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "fitcheck.pipeline";

std::vector<std::string> column_list(const json& j, const std::string& where) {
  if (j.is_string()) return {j.get<std::string>()};
  if (!j.is_array() || j.empty()) {
    throw core::ConfigError({.where = where, .what = "expected a list of column names", .got = j.dump()});
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) {
      throw core::ConfigError({.where = fmt::format("{}/{}", where, i), .what = "expected a column name", .got = j[i].dump()});
    }
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

void require_known_columns(const core::Table& table, const std::vector<std::string>& columns, const std::string& where) {
  for (const auto& c : columns) {
    if (table.find(c)) continue;
    const auto near = core::nearest_name(c, table.column_names());
    throw core::InputError({.where = where, .what = fmt::format("unknown column \"{}\"", c),
                            .expected = "a column of the training data", .got = c,
                            .hint = near ? fmt::format("Did you mean \"{}\"?", *near)
                                         : fmt::format("The columns are: {}.", fmt::join(table.column_names(), ", "))});
  }
}

AutoKind kind_from_name(const std::string& name, const std::string& where) {
  for (auto k : {AutoKind::Numeric, AutoKind::Boolean, AutoKind::LowCardinality, AutoKind::HighCardinality,
                 AutoKind::Constant, AutoKind::Identifier, AutoKind::Pixels}) {
    if (auto_kind_name(k) == name) return k;
  }
  throw core::InputError({.where = where, .what = fmt::format("unknown decision kind \"{}\"", name)});
}

void write_column(core::Tensor& out, std::int64_t feature, const core::Column& c) {
  const std::int64_t n = out.dim(0), width = out.dim(1);
  float* data = out.data();
  if (c.type == core::ColumnType::Float64 && c.valid.empty()) {
    for (std::int64_t i = 0; i < n; ++i) data[i * width + feature] = static_cast<float>(c.f64[static_cast<std::size_t>(i)]);
    return;
  }
  for (std::int64_t i = 0; i < n; ++i) data[i * width + feature] = static_cast<float>(c.as_double(i));
}

}  // namespace

Pipeline::Pipeline(std::vector<ColumnGroup> groups, Remainder remainder)
    : groups_(std::move(groups)), remainder_(remainder) {}

Pipeline Pipeline::from_json(const json& preprocess, const std::string& where) {
  Pipeline p;
  if (preprocess.is_null() || (preprocess.is_string() && preprocess.get<std::string>() == "none")) return p;
  if (preprocess.is_string() && preprocess.get<std::string>() == "auto") {
    throw core::ConfigError({.where = where, .what = "\"auto\" is planned from the training data",
                             .hint = "Call plan_auto(train) and Pipeline::from_plan()."});
  }
  if (!preprocess.is_array()) {
    throw core::ConfigError({.where = where, .what = "invalid preprocess",
                             .expected = "\"none\", \"auto\" or a list of {\"columns\", \"steps\"} groups",
                             .got = preprocess.dump()});
  }
  for (std::size_t g = 0; g < preprocess.size(); ++g) {
    const auto& item = preprocess[g];
    const auto w = fmt::format("{}/{}", where, g);
    if (item.is_object() && item.contains("resample") && item.size() == 1) {
      p.resample_ = item["resample"];
      continue;
    }
    if (item.is_object() && item.contains("remainder") && item.size() == 1) {
      const auto& r = item["remainder"];
      if (r == "drop") {
        p.remainder_ = Remainder::Drop;
      } else if (r == "passthrough") {
        p.remainder_ = Remainder::Passthrough;
      } else {
        throw core::ConfigError({.where = w + "/remainder", .what = "invalid remainder",
                                 .expected = "\"drop\" or \"passthrough\"", .got = r.dump()});
      }
      continue;
    }
    if (!item.is_object() || !item.contains("columns") || !item.contains("steps")) {
      throw core::ConfigError({.where = w, .what = "invalid preprocess entry",
                               .expected = "{\"columns\": [...], \"steps\": [...]}, {\"resample\": ...} or "
                                           "{\"remainder\": \"drop\"}",
                               .got = item.dump()});
    }
    for (const auto& [key, value] : item.items()) {
      if (key != "columns" && key != "steps") {
        throw core::ConfigError({.where = w + "/" + key, .what = fmt::format("unknown key \"{}\"", key),
                                 .expected = "columns, steps"});
      }
    }
    ColumnGroup group;
    group.columns = column_list(item["columns"], w + "/columns");
    const auto& steps = item["steps"];
    if (!steps.is_array()) {
      throw core::ConfigError({.where = w + "/steps", .what = "expected a list of steps", .got = steps.dump()});
    }
    for (std::size_t s = 0; s < steps.size(); ++s) {
      group.steps.push_back(make_transformer(steps[s], fmt::format("{}/steps/{}", w, s)));
    }
    p.groups_.push_back(std::move(group));
  }
  return p;
}

Pipeline Pipeline::from_plan(const std::vector<AutoDecision>& plan) {
  Pipeline p = from_json(plan_to_preprocess(plan), "auto plan");
  p.decisions_ = plan;
  return p;
}

FittedPipeline Pipeline::fit(const TrainingData& train) const {
  const core::Table& table = train.table();
  if (table.num_columns() == 0) {
    throw core::InputError({.where = table.source().empty() ? std::string("training data") : table.source(),
                            .what = "nothing to fit on", .expected = "at least 1 feature column", .got = "none",
                            .hint = "Check that the data holds more than the target column."});
  }
  if (table.num_rows() == 0) {
    throw core::InputError({.where = table.source().empty() ? std::string("training data") : table.source(),
                            .what = "nothing to fit on", .expected = "at least 1 training row", .got = "0 rows",
                            .hint = "Check the file and the split sizes."});
  }
  FittedPipeline f;
  f.inputs_ = describe_inputs(table);
  f.decisions_ = decisions_;
  f.resample_ = resample_;
  auto group_where = [&](std::size_t g) {
    return fmt::format("preprocess group {} ({})", g, fmt::join(groups_[g].columns, ", "));
  };
  std::set<std::string> used;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    require_known_columns(table, groups_[g].columns, group_where(g));
    used.insert(groups_[g].columns.begin(), groups_[g].columns.end());
  }
  // Groups are independent (each sees only its own columns), so large tables fit them on all
  // cores; the results are put together in group order, and the first group's error wins, as
  // it would one group at a time.
  std::vector<FittedPipeline::FittedGroup> fitted(groups_.size());
  std::vector<std::vector<std::string>> names(groups_.size());
  std::vector<std::exception_ptr> errors(groups_.size());
  auto fit_group = [&](std::size_t g) {
    try {
      const auto& group = groups_[g];
      auto& fg = fitted[g];
      fg.columns = group.columns;
      core::Table data = table.select(group.columns);
      for (std::size_t s = 0; s < group.steps.size(); ++s) {
        auto step = std::shared_ptr<const FittedTransformer>(group.steps[s]->fit(data));
        // The last step's output is only needed for its column types: one row tells them, and a
        // wide one-hot block of the whole training set is never built.
        const bool last = s + 1 == group.steps.size();
        data = step->transform(last && data.num_rows() > 1 ? take_rows(data, {0}) : data);
        fg.steps.push_back(std::move(step));
      }
      for (const auto& c : data.columns()) {
        if (!c.is_numeric()) {
          throw core::ConfigError({.where = group_where(g), .what = fmt::format("column \"{}\" is still text after the steps", c.name),
                                   .expected = "numbers for the model", .got = "a categorical column",
                                   .hint = "Add an {\"onehot\": {}} or {\"ordinal\": {}} step to this group."});
        }
        names[g].push_back(c.name);
      }
    } catch (...) {
      errors[g] = std::current_exception();
    }
  };
  constexpr std::int64_t kValuesPerThread = 1 << 20;  // below this, threads cost more than they save
  const std::int64_t values = table.num_rows() * table.num_columns();
  const auto threads = static_cast<std::size_t>(std::clamp<std::int64_t>(
      std::min<std::int64_t>(values / kValuesPerThread, static_cast<std::int64_t>(groups_.size())), 1,
      std::max(1u, std::thread::hardware_concurrency())));
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t g = next++; g < groups_.size(); g = next++) fit_group(g);
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (errors[g]) std::rethrow_exception(errors[g]);
    f.names_out_.insert(f.names_out_.end(), names[g].begin(), names[g].end());
    f.groups_.push_back(std::move(fitted[g]));
  }
  if (remainder_ == Remainder::Passthrough) {
    for (const auto& c : table.columns()) {
      if (used.count(c.name)) continue;
      if (!c.is_numeric()) {
        throw core::ConfigError({.where = fmt::format("column \"{}\"", c.name),
                                 .what = "text column passed to the model unencoded",
                                 .expected = "numbers", .got = "a categorical (string) column",
                                 .hint = "Use preprocess \"auto\", or add a group with an onehot step for it."});
      }
      f.passthrough_.push_back(c.name);
      f.names_out_.push_back(c.name);
    }
  }
  std::set<std::string> seen;
  for (const auto& n : f.names_out_) {
    if (!seen.insert(n).second) {
      throw core::ConfigError({.where = "preprocess", .what = fmt::format("output feature \"{}\" appears twice", n),
                               .hint = "A column is listed in two groups, or an encoder name clashes with a column."});
    }
  }
  return f;
}

void FittedPipeline::check_columns(const core::Table& x) const {
  std::vector<std::string> problems;
  for (const auto& in : inputs_) {
    if (!x.find(in.name)) problems.push_back(fmt::format("missing column \"{}\"", in.name));
  }
  for (const auto& c : x.columns()) {
    const bool known = std::any_of(inputs_.begin(), inputs_.end(), [&](const InputColumn& in) { return in.name == c.name; });
    if (!known) problems.push_back(fmt::format("extra column \"{}\"", c.name));
  }
  if (problems.empty()) {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      const auto& c = x.column(static_cast<int>(i));
      if (c.name != inputs_[i].name) {
        problems.push_back(fmt::format("position {} holds \"{}\", the fit had \"{}\"", i, c.name, inputs_[i].name));
      } else if (c.is_numeric() != inputs_[i].numeric) {
        problems.push_back(fmt::format("column \"{}\" is {} but was {} in the fit", c.name,
                                       c.is_numeric() ? "numeric" : "text", inputs_[i].numeric ? "numeric" : "text"));
      }
    }
  }
  if (!problems.empty()) {
    throw core::InputError({.where = x.source().empty() ? std::string("data") : x.source(),
                            .what = fmt::format("the columns differ from the training data the pipeline was fitted on: {}",
                                                fmt::join(problems, "; ")),
                            .hint = "Give the same columns, in the same order and with the same types, as at fit time."});
  }
}

PreparedData FittedPipeline::transform(const core::Table& x) const {
  check_columns(x);
  PreparedData out;
  out.feature_names = names_out_;
  out.x = core::Tensor(core::Shape({x.num_rows(), static_cast<std::int64_t>(names_out_.size())}));
  std::int64_t at = 0;
  const std::int64_t width = out.x.dim(1);
  for (const auto& g : groups_) {
    core::Table data = x.select(g.columns);
    data.set_source(x.source());
    if (g.steps.empty()) {
      for (const auto& c : data.columns()) write_column(out.x, at++, c);
      continue;
    }
    for (std::size_t s = 0; s + 1 < g.steps.size(); ++s) data = g.steps[s]->transform(data);
    // The last step writes straight into the output (a wide one-hot block stays float32 0/1).
    g.steps.back()->transform_into(data, out.x.data(), width, at);
    at += static_cast<std::int64_t>(g.steps.back()->feature_names_out().size());
  }
  for (const auto& name : passthrough_) write_column(out.x, at++, x.column(*x.find(name)));
  FITCHECK_CHECK(at == static_cast<std::int64_t>(names_out_.size()), "output width differs from the fitted names");
  return out;
}

json FittedPipeline::to_json() const {
  json inputs = json::array();
  for (const auto& in : inputs_) inputs.push_back({{"name", in.name}, {"numeric", in.numeric}});
  json groups = json::array();
  for (const auto& g : groups_) {
    json steps = json::array();
    for (const auto& s : g.steps) steps.push_back(s->to_json());
    groups.push_back({{"columns", g.columns}, {"steps", steps}});
  }
  return {{"format", kFormat},
          {"version", kPipelineFormatVersion},
          {"inputs", inputs},
          {"groups", groups},
          {"passthrough", passthrough_},
          {"feature_names_out", names_out_},
          {"decisions", plan_to_json(decisions_)},
          {"resample", resample_},
          {"metadata", metadata}};
}

FittedPipeline FittedPipeline::from_json(const json& j, const std::string& source) {
  // A hand-edited file can hold any JSON; type errors deep inside become located InputErrors.
  try {
    return from_json_checked(j, source);
  } catch (const json::exception& e) {
    throw core::InputError({.where = source, .what = fmt::format("malformed pipeline file: {}", e.what()),
                            .hint = "Refit the pipeline with `fitcheck prep fit`."});
  }
}

FittedPipeline FittedPipeline::from_json_checked(const json& j, const std::string& source) {
  const std::string& w = source;
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    throw core::InputError({.where = w, .what = "not a fitcheck pipeline", .expected = fmt::format("\"format\": \"{}\"", kFormat),
                            .got = j.is_object() && j.contains("format") ? j["format"].dump() : "no format key",
                            .hint = "Write it with `fitcheck prep fit RUN.json -o pipeline.json`."});
  }
  const auto version = integer_from_json(member(j, "version", w), w + ": /version");
  if (version != kPipelineFormatVersion) {
    throw core::InputError({.where = w + ": /version", .what = "unsupported pipeline format version",
                            .expected = fmt::format("{}", kPipelineFormatVersion), .got = fmt::format("{}", version),
                            .hint = "Refit the pipeline with this version of fitcheck."});
  }
  FittedPipeline f;
  f.inputs_ = inputs_from_json(j, w + ": ");
  const auto& groups = member(j, "groups", w);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto gw = fmt::format("{}: /groups/{}", w, g);
    FittedGroup fg;
    fg.columns = strings_from_json(member(groups[g], "columns", gw), gw + "/columns");
    const auto& steps = member(groups[g], "steps", gw);
    for (std::size_t s = 0; s < steps.size(); ++s) {
      fg.steps.push_back(load_fitted_transformer(steps[s], fmt::format("{}/steps/{}", gw, s)));
    }
    f.groups_.push_back(std::move(fg));
  }
  f.passthrough_ = strings_from_json(member(j, "passthrough", w), w + ": /passthrough");
  for (const auto& name : f.passthrough_) {
    const bool known = std::any_of(f.inputs_.begin(), f.inputs_.end(), [&](const InputColumn& in) { return in.name == name; });
    if (!known) {
      throw core::InputError({.where = w + ": /passthrough", .what = fmt::format("\"{}\" is not an input column", name),
                              .hint = "The file was edited; refit the pipeline."});
    }
  }
  f.names_out_ = strings_from_json(member(j, "feature_names_out", w), w + ": /feature_names_out");
  // The stored names must be what the steps produce; otherwise the file was edited inconsistently.
  std::vector<std::string> names;
  for (const auto& g : f.groups_) {
    if (g.steps.empty()) {
      names.insert(names.end(), g.columns.begin(), g.columns.end());
    } else {
      const auto n = g.steps.back()->feature_names_out();
      names.insert(names.end(), n.begin(), n.end());
    }
  }
  names.insert(names.end(), f.passthrough_.begin(), f.passthrough_.end());
  if (names != f.names_out_) {
    throw core::InputError({.where = w + ": /feature_names_out", .what = "does not match the fitted steps",
                            .hint = "The file was edited; refit the pipeline."});
  }
  if (j.contains("decisions") && j["decisions"].is_array()) {
    for (std::size_t k = 0; k < j["decisions"].size(); ++k) {
      const auto& d = j["decisions"][k];
      const auto dw = fmt::format("{}: /decisions/{}", w, k);
      f.decisions_.push_back({.column = string_member(d, "column", dw),
                              .kind = kind_from_name(string_member(d, "kind", dw), dw + "/kind"),
                              .steps = member(d, "steps", dw),
                              .drop = bool_member(d, "drop", dw),
                              .reason = string_member(d, "reason", dw)});
    }
  }
  if (j.contains("resample")) f.resample_ = j["resample"];
  if (j.contains("metadata")) f.metadata = j["metadata"];
  return f;
}

void FittedPipeline::save(const std::filesystem::path& path) const {
  io::write_file_atomically(path, to_json().dump(1) + "\n");
}

FittedPipeline FittedPipeline::load(const std::filesystem::path& path) {
  return from_json(io::read_json_file(path), path.string());
}

}  // namespace fitcheck::prep
