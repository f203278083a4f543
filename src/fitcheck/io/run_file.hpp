#pragma once
// The run file (design.md): one JSON document that describes a training run the way a Keras
// script does — data, preprocessing, model, compile and fit settings. Paths inside it are
// relative to the run file. Validation errors name the file and the JSON path:
//   run.json: /fit/batch_size: expected a positive integer, got "32".
// Names of Keras objects (losses, optimizers, metrics, layers) are kept as written; the
// registries that resolve them report unknown names with the same JSON path.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fitcheck::io {

// Where one split's data comes from.
struct DataSource {
  enum class Kind { Csv, Npy, Npz };
  Kind kind = Kind::Csv;
  std::string where;                 // JSON path of the entry: "/data/train"
  std::filesystem::path csv;         // Csv
  std::string target;                // Csv: the label column
  std::vector<std::string> features; // Csv: selected feature columns (empty = all but target)
  std::filesystem::path x, y;        // Npy: feature and label arrays (y may be empty for test)
  std::filesystem::path npz;         // Npz: the archive
  std::string x_key = "x", y_key = "y";  // Npz: member names
  // Npy / Npz: reshape each sample of x to this shape before use ("reshape": [28, 28, 1]; one
  // axis may be -1). An extension of design.md's run file, written by `doctor --fix` repairs.
  std::vector<std::int64_t> reshape;
  // Test split only: leave out the rows that are copies of training rows ("drop_train_copies":
  // true; an extension of design.md's run file, written by `doctor --fix` for data.leakage_overlap).
  bool drop_train_copies = false;
};

struct FitSpec {
  std::int64_t epochs = 1;
  std::int64_t batch_size = 32;
  double validation_split = 0.0;
  bool shuffle = true;
  std::uint32_t seed = 0;
  bool seed_given = false;
  std::int64_t initial_epoch = 0;
  std::int64_t verbose = 1;
  // "balanced", or a map class → weight (keys as strings, as JSON keeps them); null when absent.
  nlohmann::json class_weight;
};

struct RunSpec {
  std::filesystem::path path;      // the run file itself (empty for an in-memory document)
  std::filesystem::path base_dir;  // where relative paths start
  std::string description;
  DataSource train;
  std::optional<DataSource> test;
  // "none" (default), "auto", or the explicit list of column groups / resample steps.
  nlohmann::json preprocess = "none";
  // The model: a file (Keras .json / .keras / .h5) or the same JSON inline.
  std::optional<std::filesystem::path> model_path;
  nlohmann::json model_inline;
  // compile: as Keras serialises them — a name or {"class_name", "config"}.
  nlohmann::json optimizer = "rmsprop";  // Keras' compile() default
  nlohmann::json loss;                   // null when absent (an error later if training)
  std::vector<nlohmann::json> metrics;
  FitSpec fit;
  nlohmann::json document;  // the whole document as read, for repairs (patches) and re-writing
};

// Reads and validates a run file. Throws ConfigError (invalid content, JSON path in the
// message) or InputError (unreadable file, invalid JSON with line:column).
RunSpec load_run_file(const std::filesystem::path& path);
// Validates a document; `source_name` is used in messages, `base_dir` resolves relative paths.
RunSpec parse_run_spec(const nlohmann::json& document, const std::string& source_name,
                       const std::filesystem::path& base_dir);

}  // namespace fitcheck::io
