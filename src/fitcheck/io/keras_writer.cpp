#include "fitcheck/io/keras_writer.hpp"

#include <chrono>
#include <ctime>
#include <string_view>

#include <fmt/format.h>

#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/io/hdf5_writer.hpp"
#include "fitcheck/io/zip_writer.hpp"

namespace fitcheck::io {
namespace {

// Keras' date_saved: local time, datetime.now().strftime("%Y-%m-%d@%H:%M:%S").
std::string date_saved() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%d@%H:%M:%S", &local);
  return std::string(text, n);
}

std::span<const std::byte> as_bytes(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

}  // namespace

std::vector<std::byte> build_keras_archive(const KerasArchiveContent& content, const std::string& target) {
  detail::Hdf5Writer h5(target + "[model.weights.h5]");
  for (const auto& g : content.groups) h5.create_group(g);
  for (const auto& [path, value] : content.datasets) h5.write_dataset(path, value);
  const std::vector<std::byte> weights = h5.finish();
  // json.dumps' form: one line; nlohmann writes non-ASCII as UTF-8, which json.loads reads alike.
  const std::string metadata =
      nlohmann::json{{"keras_version", content.keras_version}, {"date_saved", date_saved()}}.dump();
  const std::string config = content.config.dump();
  return detail::build_zip({{"metadata.json", as_bytes(metadata)},
                            {"config.json", as_bytes(config)},
                            {"model.weights.h5", std::span<const std::byte>(weights)}},
                           target);
}

void write_keras_archive(const std::filesystem::path& path, const KerasArchiveContent& content) {
  const std::vector<std::byte> bytes = build_keras_archive(content, path.string());
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace fitcheck::io
