// .npz archives: a zip of .npy members (numpy.savez stores them, numpy.savez_compressed deflates
// them); the key of a member is its name without ".npy".
#include <fmt/format.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/core/table.hpp"
#include "fitcheck/io/npy.hpp"
#include "fitcheck/io/zip_archive.hpp"

namespace fitcheck::io {
namespace {

const detail::ZipKind kNpzKind{"not an .npz archive", "a zip archive of .npy files",
                               "Write it with numpy.savez or numpy.savez_compressed."};

struct Member {
  std::string key;
  std::size_t index;
};

// The .npy members in archive order; anything else in the archive is not an array.
std::vector<Member> npy_members(const detail::ZipArchive& zip) {
  std::vector<Member> members;
  for (std::size_t i = 0; i < zip.names().size(); ++i) {
    std::string_view n = zip.names()[i];
    if (n.size() <= 4 || n.substr(n.size() - 4) != ".npy") continue;
    members.push_back({std::string(n.substr(0, n.size() - 4)), i});
  }
  return members;
}

NdArray read_member(const detail::ZipArchive& zip, const Member& m) {
  const std::string member_source = fmt::format("{}[{}]", zip.source(), m.key);
  return parse_npy(zip.read(m.index, member_source), member_source);
}

std::map<std::string, NdArray> read_all(const detail::ZipArchive& zip) {
  std::map<std::string, NdArray> arrays;
  for (const auto& m : npy_members(zip)) {
    if (!arrays.contains(m.key)) arrays.emplace(m.key, read_member(zip, m));
  }
  return arrays;
}

NdArray read_one(const detail::ZipArchive& zip, const std::string& key) {
  auto members = npy_members(zip);
  for (const auto& m : members) {
    if (m.key == key) return read_member(zip, m);
  }
  std::vector<std::string> keys;
  std::string list;
  for (const auto& m : members) {
    keys.push_back(m.key);
    list += (list.empty() ? "'" : ", '") + m.key + "'";
  }
  auto near = core::nearest_name(key, keys);
  throw core::InputError({.where = zip.source(), .what = fmt::format("no array named '{}' in the archive", key),
                          .expected = keys.empty() ? std::string("a key, but the archive holds no .npy arrays") : "one of " + list,
                          .hint = near ? fmt::format("Did you mean '{}'?", *near) : std::string()});
}

}  // namespace

std::map<std::string, NdArray> read_npz(const std::filesystem::path& path) {
  return read_all(detail::ZipArchive(path, kNpzKind));
}

NdArray read_npz_array(const std::filesystem::path& path, const std::string& key) {
  return read_one(detail::ZipArchive(path, kNpzKind), key);
}

std::vector<std::string> npz_keys(const std::filesystem::path& path) {
  std::vector<std::string> keys;
  for (const auto& m : npy_members(detail::ZipArchive(path, kNpzKind))) keys.push_back(m.key);
  return keys;
}

std::map<std::string, NdArray> parse_npz(std::span<const std::byte> content, const std::string& source_name) {
  return read_all(detail::ZipArchive(content, source_name, kNpzKind));
}

NdArray parse_npz_array(std::span<const std::byte> content, const std::string& source_name, const std::string& key) {
  return read_one(detail::ZipArchive(content, source_name, kNpzKind), key);
}

}  // namespace fitcheck::io
