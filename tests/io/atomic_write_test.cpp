#include "fitcheck/io/atomic_write.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "support/temp_dir.hpp"

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(AtomicWrite, ReplacesTheTargetAndLeavesNoTemporaryFile) {
  fitcheck::test::TempDir dir;
  auto target = dir.write("out.txt", "old");
  fitcheck::io::write_file_atomically(target, "new content");
  EXPECT_EQ(slurp(target), "new content");
  int files = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(AtomicWrite, AFailingWriterLeavesTheOldFileIntact) {
  fitcheck::test::TempDir dir;
  auto target = dir.write("out.txt", "old");
  EXPECT_THROW(fitcheck::io::write_atomically(target, [](std::ostream& out) {
                 out << "partial";
                 throw std::runtime_error("disk full");
               }),
               std::runtime_error);
  EXPECT_EQ(slurp(target), "old");
  int files = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(AtomicWrite, MissingDirectoryIsAnInputErrorNamingThePath) {
  fitcheck::test::TempDir dir;
  auto target = dir.path() / "no" / "such" / "out.txt";
  try {
    fitcheck::io::write_file_atomically(target, "x");
    FAIL();
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("out.txt"), std::string::npos);
  }
}
