#pragma once
// Read-only access to an HDF5 file (a file on disk or an image in memory) through the HDF5 C
// library: groups, string attributes and numeric datasets as NdArray. Internal to io; HDF5's
// own headers stay in the .cpp. Every failure is an InputError naming the file and the object.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fitcheck/io/npy.hpp"

namespace fitcheck::io::detail {

class Hdf5File {
 public:
  // Throws InputError naming the file when it is missing or not HDF5.
  explicit Hdf5File(const std::filesystem::path& path);
  // Opens an image held in memory; `source` names it in messages (e.g. "m.keras[model.weights.h5]").
  Hdf5File(std::vector<std::byte> image, std::string source);
  ~Hdf5File();
  Hdf5File(const Hdf5File&) = delete;
  Hdf5File& operator=(const Hdf5File&) = delete;

  const std::string& source() const { return source_; }

  // Object paths are relative to the root: "model_weights/dense". "" or "/" is the root.
  bool is_group(const std::string& path) const;
  bool is_dataset(const std::string& path) const;
  // Names of the links in a group, in HDF5's name order.
  std::vector<std::string> children(const std::string& group) const;

  bool has_attribute(const std::string& object, const std::string& name) const;
  // A scalar string attribute (fixed or variable length); nullopt when absent.
  std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
  // A 1-D string array attribute; an empty array of any type is an empty list; nullopt when absent.
  std::optional<std::vector<std::string>> string_list_attribute(const std::string& object, const std::string& name) const;

  // A numeric dataset (integers, IEEE floats incl. half, h5py's bool enum) in C order.
  NdArray read_dataset(const std::string& path) const;

 private:
  struct Impl;
  std::string source_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fitcheck::io::detail
