#include "fitcheck/io/hdf5_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {

// Owns one HDF5 identifier and closes it with the matching H5?close. Not in the anonymous
// namespace: Hdf5File::Impl holds one (GCC warns about such a member in unity builds).
class Hdf5Handle {
 public:
  Hdf5Handle() = default;
  Hdf5Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Hdf5Handle() { reset(); }
  Hdf5Handle(Hdf5Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  Hdf5Handle& operator=(Hdf5Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  void reset() {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

namespace {

// HDF5 prints its error stack to stderr by default; fitcheck reports errors itself.
void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string object_path(const std::string& path) {
  if (path.empty() || path == "/") return "/";
  return path;
}

constexpr int kMaxRank = 32;

}  // namespace

struct Hdf5File::Impl {
  std::vector<std::byte> image;  // until HDF5 has copied it
  Hdf5Handle file;
  std::uint64_t file_size = 0;
};

Hdf5File::Hdf5File(const std::filesystem::path& path) : source_(path.string()), impl_(std::make_unique<Impl>()) {
  silence_hdf5_errors();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw core::InputError({.where = source_, .what = "cannot open the file: no such regular file", .hint = "Check the path."});
  }
  impl_->file_size = std::filesystem::file_size(path, ec);
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw core::InputError({.where = source_, .what = "not an HDF5 file", .expected = "an HDF5 file (Keras model.save('m.h5'))",
                            .got = "a file without the HDF5 signature"});
  }
  impl_->file = Hdf5Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!impl_->file.valid()) {
    throw core::InputError({.where = source_, .what = "the HDF5 library cannot open the file (damaged or truncated?)"});
  }
}

Hdf5File::Hdf5File(std::vector<std::byte> image, std::string source)
    : source_(std::move(source)), impl_(std::make_unique<Impl>()) {
  silence_hdf5_errors();
  impl_->image = std::move(image);
  impl_->file_size = impl_->image.size();
  static constexpr char kSignature[] = "\x89HDF\r\n\x1a\n";
  if (impl_->image.size() < 8 || std::memcmp(impl_->image.data(), kSignature, 8) != 0) {
    throw core::InputError({.where = source_, .what = "not an HDF5 file", .expected = "an HDF5 weights file",
                            .got = "a file without the HDF5 signature"});
  }
  // The core (in-memory) driver with the image as the file's initial content. HDF5 copies the
  // image, so ours is released right after; H5LTopen_file_image would avoid the copy but leaks
  // its callback state in HDF5 1.10.
  Hdf5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 16, false) < 0 ||
      H5Pset_file_image(fapl.get(), impl_->image.data(), impl_->image.size()) < 0) {
    throw core::InputError({.where = source_, .what = "the HDF5 library cannot take the in-memory image"});
  }
  impl_->file = Hdf5Handle(H5Fopen(source_.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
  std::vector<std::byte>().swap(impl_->image);
  if (!impl_->file.valid()) {
    throw core::InputError({.where = source_, .what = "the HDF5 library cannot open the file (damaged or truncated?)"});
  }
}

Hdf5File::~Hdf5File() = default;

namespace {

// True when every link along `path` exists (H5Lexists fails on a missing intermediate group).
bool links_exist(hid_t file, const std::string& path) {
  if (path.empty() || path == "/") return true;
  std::size_t pos = 0;
  while (true) {
    std::size_t next = path.find('/', pos);
    std::string prefix = path.substr(0, next);
    if (!prefix.empty() && H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (next == std::string::npos) return true;
    pos = next + 1;
  }
}

H5I_type_t object_type(hid_t file, const std::string& path) {
  if (!links_exist(file, path)) return H5I_BADID;
  Hdf5Handle obj(H5Oopen(file, object_path(path).c_str(), H5P_DEFAULT), H5Oclose);
  if (!obj.valid()) return H5I_BADID;
  return H5Iget_type(obj.get());
}

}  // namespace

bool Hdf5File::is_group(const std::string& path) const { return object_type(impl_->file.get(), path) == H5I_GROUP; }
bool Hdf5File::is_dataset(const std::string& path) const { return object_type(impl_->file.get(), path) == H5I_DATASET; }

std::vector<std::string> Hdf5File::children(const std::string& group) const {
  std::vector<std::string> names;
  if (!is_group(group)) return names;
  Hdf5Handle g(H5Gopen2(impl_->file.get(), object_path(group).c_str(), H5P_DEFAULT), H5Gclose);
  H5G_info_t info;
  if (!g.valid() || H5Gget_info(g.get(), &info) < 0) return names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t len = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) continue;
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(len));
    names.push_back(std::move(name));
  }
  return names;
}

bool Hdf5File::has_attribute(const std::string& object, const std::string& name) const {
  if (!links_exist(impl_->file.get(), object)) return false;
  return H5Aexists_by_name(impl_->file.get(), object_path(object).c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

namespace {

// Reads all strings of a string attribute (scalar or 1-D). `limit` bounds what a forged size may
// make us allocate (attributes are stored uncompressed, so they cannot exceed the file).
std::vector<std::string> read_strings(hid_t attr, const std::string& where, std::uint64_t limit) {
  Hdf5Handle type(H5Aget_type(attr), H5Tclose);
  Hdf5Handle space(H5Aget_space(attr), H5Sclose);
  if (!type.valid() || !space.valid()) throw core::InputError({.where = where, .what = "unreadable attribute"});
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) throw core::InputError({.where = where, .what = "unreadable attribute"});
  if (points == 0) return {};
  if (H5Tget_class(type.get()) != H5T_STRING) {
    throw core::InputError({.where = where, .what = "attribute of the wrong type", .expected = "text", .got = "a non-string value"});
  }
  const auto n = static_cast<std::size_t>(points);
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.get()) > 0) {
    if (n > limit / sizeof(char*)) throw core::InputError({.where = where, .what = "attribute larger than the file"});
    Hdf5Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    std::vector<char*> ptrs(n, nullptr);
    if (H5Aread(attr, mem.get(), ptrs.data()) < 0) throw core::InputError({.where = where, .what = "unreadable attribute"});
    for (char* p : ptrs) out.emplace_back(p == nullptr ? "" : p);
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
#else
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
#endif
  } else {
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || n > limit / size) throw core::InputError({.where = where, .what = "attribute larger than the file"});
    Hdf5Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), size);
    H5Tset_strpad(mem.get(), H5T_STR_NULLPAD);
    std::vector<char> buf(n * size);
    if (H5Aread(attr, mem.get(), buf.data()) < 0) throw core::InputError({.where = where, .what = "unreadable attribute"});
    for (std::size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * size;
      out.emplace_back(s, strnlen(s, size));
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> Hdf5File::string_attribute(const std::string& object, const std::string& name) const {
  auto list = string_list_attribute(object, name);
  if (!list) return std::nullopt;
  const std::string where = fmt::format("{}: {}attribute '{}'", source_, object.empty() ? "" : object + ": ", name);
  if (list->size() != 1) {
    throw core::InputError({.where = where, .what = "attribute of the wrong shape", .expected = "one string",
                            .got = fmt::format("{} strings", list->size())});
  }
  return std::move(list->front());
}

std::optional<std::vector<std::string>> Hdf5File::string_list_attribute(const std::string& object, const std::string& name) const {
  if (!has_attribute(object, name)) return std::nullopt;
  const std::string where = fmt::format("{}: {}attribute '{}'", source_, object.empty() ? "" : object + ": ", name);
  Hdf5Handle attr(H5Aopen_by_name(impl_->file.get(), object_path(object).c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) throw core::InputError({.where = where, .what = "unreadable attribute"});
  return read_strings(attr.get(), where, impl_->file_size + 4096);
}

NdArray Hdf5File::read_dataset(const std::string& path) const {
  const std::string where = fmt::format("{}[{}]", source_, path);
  if (!is_dataset(path)) throw core::InputError({.where = where, .what = "no such dataset"});
  Hdf5Handle ds(H5Dopen2(impl_->file.get(), path.c_str(), H5P_DEFAULT), H5Dclose);
  Hdf5Handle type(ds.valid() ? H5Dget_type(ds.get()) : H5I_INVALID_HID, H5Tclose);
  Hdf5Handle space(ds.valid() ? H5Dget_space(ds.get()) : H5I_INVALID_HID, H5Sclose);
  if (!ds.valid() || !type.valid() || !space.valid()) throw core::InputError({.where = where, .what = "unreadable dataset"});

  const H5T_class_t cls = H5Tget_class(type.get());
  const std::size_t size = H5Tget_size(type.get());
  core::DType dtype{};
  Hdf5Handle mem;
  hid_t mem_type = H5I_INVALID_HID;
  if (cls == H5T_INTEGER && (size == 1 || size == 2 || size == 4 || size == 8)) {
    const bool is_signed = H5Tget_sign(type.get()) == H5T_SGN_2;
    static constexpr core::DType kSigned[] = {core::DType::Int8, core::DType::Int16, core::DType::Int32, core::DType::Int64};
    static constexpr core::DType kUnsigned[] = {core::DType::UInt8, core::DType::UInt16, core::DType::UInt32, core::DType::UInt64};
    const int k = std::countr_zero(size);
    dtype = is_signed ? kSigned[k] : kUnsigned[k];
    static const hid_t kNativeSigned[] = {H5T_NATIVE_INT8, H5T_NATIVE_INT16, H5T_NATIVE_INT32, H5T_NATIVE_INT64};
    static const hid_t kNativeUnsigned[] = {H5T_NATIVE_UINT8, H5T_NATIVE_UINT16, H5T_NATIVE_UINT32, H5T_NATIVE_UINT64};
    mem_type = is_signed ? kNativeSigned[k] : kNativeUnsigned[k];
  } else if (cls == H5T_FLOAT && size == 4) {
    dtype = core::DType::Float32;
    mem_type = H5T_NATIVE_FLOAT;
  } else if (cls == H5T_FLOAT && size == 8) {
    dtype = core::DType::Float64;
    mem_type = H5T_NATIVE_DOUBLE;
  } else if (cls == H5T_FLOAT && size == 2) {
    // No native half type: the stored half format in this machine's byte order.
    dtype = core::DType::Float16;
    mem = Hdf5Handle(H5Tcopy(type.get()), H5Tclose);
    H5Tset_order(mem.get(), std::endian::native == std::endian::little ? H5T_ORDER_LE : H5T_ORDER_BE);
    mem_type = mem.get();
  } else if (cls == H5T_ENUM && size == 1) {
    // h5py stores numpy bools as an int8 enum {FALSE: 0, TRUE: 1}.
    dtype = core::DType::Bool;
    mem = Hdf5Handle(H5Tcopy(type.get()), H5Tclose);
    mem_type = mem.get();
  } else {
    throw core::InputError({.where = where, .what = "unsupported dataset type",
                            .expected = "integers or IEEE floats (float16/32/64)",
                            .got = fmt::format("HDF5 type class {} of {} bytes", static_cast<int>(cls), size),
                            .hint = "Keras stores weights as float32; re-save the model with float32 weights."});
  }

  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > kMaxRank) throw core::InputError({.where = where, .what = "unreadable dataset shape"});
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::vector<std::int64_t> shape;
  std::uint64_t elements = 1;
  constexpr auto kLimit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (auto d : dims) {
    if (d > 0 && elements > kLimit / 8 / d) throw core::InputError({.where = where, .what = "absurd dataset shape"});
    elements *= d;
    shape.push_back(static_cast<std::int64_t>(d));
  }
  const std::uint64_t bytes = elements * core::dtype_size(dtype);
  // Stored data can be compressed, but not beyond deflate's ratio; a dataset with no storage
  // reads as fill values, which we allow only for small ones.
  const std::uint64_t stored = std::min<std::uint64_t>(H5Dget_storage_size(ds.get()), impl_->file_size);
  if (bytes > stored * 1032 + (1u << 20)) {
    throw core::InputError({.where = where, .what = "dataset larger than its stored data can hold",
                            .expected = fmt::format("at most {} bytes", stored * 1032 + (1u << 20)),
                            .got = fmt::format("{} bytes for shape {}", bytes, core::Shape(shape).str())});
  }
  NdArray a;
  a.dtype = dtype;
  a.shape = core::Shape(std::move(shape));
  a.bytes.resize(static_cast<std::size_t>(bytes));
  a.source = where;
  if (bytes > 0 && H5Dread(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.bytes.data()) < 0) {
    throw core::InputError({.where = where, .what = "the dataset cannot be read (damaged file or unsupported filter)"});
  }
  if (dtype == core::DType::Bool) {
    for (auto& b : a.bytes) b = b != std::byte{0} ? std::byte{1} : std::byte{0};
  }
  return a;
}

}  // namespace fitcheck::io::detail
