#pragma once
// Writing an HDF5 file in memory through the HDF5 C library (the core driver without a backing
// store): groups and float32 datasets with h5py's defaults (file format "earliest", contiguous
// datasets, no compression, little-endian IEEE floats), returned as the bytes of the file. Internal
// to io; HDF5's headers stay in the .cpp.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fitcheck/core/tensor.hpp"

namespace fitcheck::io::detail {

class Hdf5Writer {
 public:
  // `target` names the file in messages ("m.keras[model.weights.h5]").
  explicit Hdf5Writer(std::string target);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  // Creates the group and any missing parents ("layers/lstm/cell/vars"); an existing group is kept.
  void create_group(const std::string& path);
  // A float32 dataset with the tensor's shape (rank 0 = scalar dataspace); parents are created.
  void write_dataset(const std::string& path, const core::Tensor& value);
  // Closes the file and returns its bytes; the writer cannot be used afterwards.
  std::vector<std::byte> finish();

 private:
  struct Impl;
  std::string target_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fitcheck::io::detail
