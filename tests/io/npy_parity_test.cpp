// Parity with numpy at test time (label "parity"): numpy writes random arrays of every dtype,
// byte order, layout and format version; fitcheck must read every element bit for bit. And numpy
// must read what write_npy writes. Skipped, with a message, without /usr/bin/python3 + numpy.
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "fitcheck/io/npy.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::test::kPython;

bool numpy_available() {
  static const bool ok = std::system((std::string(kPython) + " -c 'import numpy' >/dev/null 2>&1").c_str()) == 0;
  return ok;
}

std::string peer_script() { return fitcheck::test::test_data_path("npy/parity_gen.py").string(); }

int run_peer(const std::string& args) {
  return std::system((std::string(kPython) + " " + peer_script() + " " + args).c_str());
}

std::vector<std::byte> slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto b = std::as_bytes(std::span<const char>(c));
  return {b.begin(), b.end()};
}

struct Expected {
  std::string name;
  std::string dtype;
  std::vector<std::int64_t> dims;
};

std::vector<Expected> read_manifest(const std::filesystem::path& path) {
  std::vector<Expected> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Expected e;
    fields >> e.name >> e.dtype;
    for (std::int64_t d; fields >> d;) e.dims.push_back(d);
    out.push_back(std::move(e));
  }
  return out;
}

void expect_same(const fitcheck::io::NdArray& a, const Expected& e, const std::vector<std::byte>& want) {
  SCOPED_TRACE(a.source);
  EXPECT_EQ(fitcheck::core::dtype_name(a.dtype), e.dtype);
  EXPECT_EQ(a.shape.dims(), e.dims);
  ASSERT_EQ(a.bytes.size(), want.size());
  const std::size_t item = fitcheck::core::dtype_size(a.dtype);
  for (std::size_t i = 0; i < want.size(); i += item) {
    if (!std::equal(want.begin() + static_cast<std::ptrdiff_t>(i), want.begin() + static_cast<std::ptrdiff_t>(i + item),
                    a.bytes.begin() + static_cast<std::ptrdiff_t>(i))) {
      ADD_FAILURE() << "element " << i / item << " differs";
      return;
    }
  }
}

TEST(NpyParity, EveryElementOfRandomNumpyArraysMatches) {
  if (!numpy_available()) GTEST_SKIP() << kPython << " with numpy is needed for this parity test";
  fitcheck::test::TempDir dir;
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (rerun: parity_gen.py write DIR " + std::to_string(seed) + ")");
  ASSERT_EQ(run_peer("write " + dir.path().string() + " " + std::to_string(seed)), 0);
  auto manifest = read_manifest(dir.path() / "manifest.txt");
  ASSERT_EQ(manifest.size(), 12u * 3 * 2);
  auto stored = fitcheck::io::read_npz(dir.path() / "all_stored.npz");
  auto deflated = fitcheck::io::read_npz(dir.path() / "all_deflated.npz");
  for (const auto& e : manifest) {
    auto want = slurp(dir.path() / (e.name + ".bin"));
    expect_same(fitcheck::io::read_npy(dir.path() / (e.name + ".npy")), e, want);
    ASSERT_TRUE(stored.contains(e.name)) << e.name;
    expect_same(stored.at(e.name), e, want);
    ASSERT_TRUE(deflated.contains(e.name)) << e.name;
    expect_same(deflated.at(e.name), e, want);
  }
}

TEST(NpyParity, NumpyReadsWhatWriteNpyWrites) {
  if (!numpy_available()) GTEST_SKIP() << kPython << " with numpy is needed for this parity test";
  fitcheck::test::TempDir dir;
  std::mt19937 rng(12345);
  std::normal_distribution<float> normal(0.0f, 100.0f);
  for (const auto& shape : {fitcheck::core::Shape{}, fitcheck::core::Shape{7}, fitcheck::core::Shape{3, 5},
                            fitcheck::core::Shape{0, 4}, fitcheck::core::Shape{2, 3, 4, 1}}) {
    SCOPED_TRACE(shape.str());
    fitcheck::core::Tensor t(shape);
    for (auto& v : t.values()) v = normal(rng);
    if (t.size() > 2) {
      t[0] = std::numeric_limits<float>::infinity();
      t[1] = std::numeric_limits<float>::quiet_NaN();
    }
    fitcheck::io::write_npy(dir.path() / "w.npy", t);
    {
      std::ofstream raw(dir.path() / "w.raw", std::ios::binary);
      raw.write(reinterpret_cast<const char*>(t.data()), static_cast<std::streamsize>(t.size() * sizeof(float)));
    }
    std::string dims;
    for (auto d : shape.dims()) dims.append(" ").append(std::to_string(d));
    EXPECT_EQ(run_peer("check " + (dir.path() / "w.npy").string() + " " + (dir.path() / "w.raw").string() + dims), 0);
  }
}

}  // namespace
