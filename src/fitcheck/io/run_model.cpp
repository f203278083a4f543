#include "fitcheck/io/run_model.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/keras_file.hpp"

namespace fitcheck::io {

ModelSpec load_run_model(const RunSpec& run) {
  const std::string run_name = run.path.empty() ? std::string("run file") : run.path.filename().string();
  if (!run.model_path) return parse_keras_model(run.model_inline, run_name + ": /model");
  const auto& path = *run.model_path;
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".keras" || ext == ".h5" || ext == ".hdf5") {
    // The architecture and the stored compile settings; the weights are the engine's business.
    auto file = read_keras_file(path);
    auto spec = parse_keras_model(file.model_config, path.filename().string());
    if (!spec.compile_config && file.training_config) spec.compile_config = normalise_keras_object(*file.training_config);
    return spec;
  }
  return load_keras_model_json(path);
}

}  // namespace fitcheck::io
