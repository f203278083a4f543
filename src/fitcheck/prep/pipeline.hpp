#pragma once
// The leakage-safe pipeline. A Pipeline is a plan (column groups with their steps); fit() takes a
// TrainingData, which only a split (or an explicit `TrainingData::whole`) can make, and returns
// a FittedPipeline, which is immutable: transform() is const, never refits, and applies the same
// fitted state to training, validation, test and new data alike. So the leaky order
// (fit on all rows, then split) cannot be written by accident.
//
// Output: a float32 Tensor (rows x features) plus the feature names. Groups are output in their
// order; columns no group names are passed through after them (numeric only) unless the run
// file says {"remainder": "drop"}.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitcheck/core/table.hpp"
#include "fitcheck/core/tensor.hpp"
#include "fitcheck/prep/auto_plan.hpp"
#include "fitcheck/prep/split.hpp"
#include "fitcheck/prep/transformer.hpp"

namespace fitcheck::prep {

inline constexpr int kPipelineFormatVersion = 1;

struct ColumnGroup {
  std::vector<std::string> columns;
  std::vector<std::shared_ptr<const Transformer>> steps;
};

enum class Remainder { Passthrough, Drop };

struct PreparedData {
  core::Tensor x;                          // float32, (rows, features)
  std::vector<std::string> feature_names;  // one per column of x
};

class FittedPipeline;

class Pipeline {
 public:
  Pipeline() = default;
  Pipeline(std::vector<ColumnGroup> groups, Remainder remainder = Remainder::Passthrough);

  // The run file's "preprocess": "none", "auto" (needs the training data: use from_plan), or the
  // explicit list. `where` is the JSON path for messages ("run.json: /preprocess").
  // "auto" throws ConfigError here; call plan_auto(train) and from_plan() instead.
  static Pipeline from_json(const nlohmann::json& preprocess, const std::string& where);
  static Pipeline from_plan(const std::vector<AutoDecision>& plan);

  // Learns every step from the training rows only.
  FittedPipeline fit(const TrainingData& train) const;

  const std::vector<ColumnGroup>& groups() const { return groups_; }
  Remainder remainder() const { return remainder_; }
  // The {"resample": ...} step of the run file, if any (applied by the caller to training data).
  const nlohmann::json& resample() const { return resample_; }

 private:
  std::vector<ColumnGroup> groups_;
  Remainder remainder_ = Remainder::Passthrough;
  nlohmann::json resample_;
  std::vector<AutoDecision> decisions_;
  friend class FittedPipeline;
};

class FittedPipeline {
 public:
  // Applies the fitted steps. Throws InputError when `x`'s columns differ from the training
  // columns (missing, extra, re-ordered, numeric vs categorical), listing every difference.
  PreparedData transform(const core::Table& x) const;

  const std::vector<std::string>& feature_names_out() const { return names_out_; }
  const std::vector<InputColumn>& feature_names_in() const { return inputs_; }
  // The auto plan the pipeline came from (empty for an explicit list).
  const std::vector<AutoDecision>& decisions() const { return decisions_; }
  const nlohmann::json& resample() const { return resample_; }

  // Versioned JSON; doubles round-trip exactly, so a reloaded pipeline's output is bit-identical.
  nlohmann::json to_json() const;
  static FittedPipeline from_json(const nlohmann::json& j, const std::string& source);
  void save(const std::filesystem::path& path) const;  // atomic write
  static FittedPipeline load(const std::filesystem::path& path);

  // Free-form metadata the caller wants saved along (the run file's target column, ...).
  nlohmann::json metadata = nlohmann::json::object();

 private:
  FittedPipeline() = default;
  friend class Pipeline;

  struct FittedGroup {
    std::vector<std::string> columns;
    std::vector<std::shared_ptr<const FittedTransformer>> steps;
  };
  void check_columns(const core::Table& x) const;
  static FittedPipeline from_json_checked(const nlohmann::json& j, const std::string& source);

  std::vector<InputColumn> inputs_;
  std::vector<FittedGroup> groups_;
  std::vector<std::string> passthrough_;
  std::vector<std::string> names_out_;
  std::vector<AutoDecision> decisions_;
  nlohmann::json resample_;
};

}  // namespace fitcheck::prep
