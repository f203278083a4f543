#include "fitcheck/run/saved_model.hpp"

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/json_file.hpp"
#include "fitcheck/io/npy.hpp"

namespace fitcheck::run {

namespace {

namespace fs = std::filesystem;

constexpr const char* kRewrite = "The weights and model.json come from different saves; save the model again.";

fs::path weight_file(const fs::path& dir, std::size_t i) { return dir / "weights" / fmt::format("{:03d}.npy", i); }

void require_model_file(const fs::path& path, const fs::path& dir) {
  if (fs::is_regular_file(path)) return;
  throw core::InputError({.where = path.string(),
                          .what = fs::is_directory(dir) ? "no such file in the model directory"
                                                        : "the model directory does not exist",
                          .expected = "a directory with model.json and weights/ (written by `fitcheck fit --out` "
                                      "or ModelCheckpoint)"});
}

}  // namespace

void save_model(const fs::path& dir, const nn::Sequential& model) {
  save_weights(dir, model);
  io::write_file_atomically(dir / "model.json", model.to_config().dump(1) + "\n");
}

void save_weights(const fs::path& dir, const nn::Sequential& model) {
  fs::create_directories(dir / "weights");
  const auto weights = model.get_weights();
  for (std::size_t i = 0; i < weights.size(); ++i) io::write_npy(weight_file(dir, i), weights[i]);
  // Files of an earlier, larger model in the same directory would be read back with this one.
  for (std::size_t i = weights.size(); fs::exists(weight_file(dir, i)); ++i) fs::remove(weight_file(dir, i));
}

nn::Sequential load_model(const fs::path& dir) {
  const fs::path model_path = dir / "model.json";
  require_model_file(model_path, dir);
  auto model = nn::Sequential::from_config(io::read_json_file(model_path), model_path.string());
  if (!model.built()) {
    throw core::InputError({.where = model_path.string(), .what = "the model declares no input shape",
                            .expected = "\"build_input_shape\", as save_model and `fitcheck fit --out` write it"});
  }
  const auto expected = model.get_weights();
  std::vector<core::Tensor> weights;
  weights.reserve(expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const fs::path path = weight_file(dir, i);
    require_model_file(path, dir);
    core::Tensor w = io::read_npy(path).to_tensor();
    if (w.shape() != expected[i].shape()) {
      throw core::InputError({.where = path.string(), .what = fmt::format("weight {} does not fit model.json", i),
                              .expected = expected[i].shape().str(), .got = w.shape().str(), .hint = kRewrite});
    }
    weights.push_back(std::move(w));
  }
  if (fs::exists(weight_file(dir, expected.size()))) {
    throw core::InputError({.where = weight_file(dir, expected.size()).string(),
                            .what = "more weight files than model.json has weights",
                            .expected = fmt::format("{} files, 000.npy to {:03d}.npy", expected.size(),
                                                    expected.empty() ? 0 : expected.size() - 1),
                            .hint = kRewrite});
  }
  model.set_weights(weights);
  return model;
}

}  // namespace fitcheck::run
