// Every refusal of the .npy/.npz readers: an InputError naming the file (and archive member),
// the byte offset or header key, and what was expected.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/npy.hpp"
#include "npy_builder.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

namespace {

using fitcheck::test::as_bytes;
using fitcheck::test::make_npy;
using ::testing::AllOf;
using ::testing::HasSubstr;

// The message of the InputError that parsing `content` throws ("" if it does not throw).
std::string parse_error(const std::string& content, const std::string& name = "bad.npy") {
  try {
    (void)fitcheck::io::parse_npy(as_bytes(content), name);
  } catch (const fitcheck::core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << name;
  return "";
}

std::string read_error(const std::filesystem::path& path) {
  try {
    (void)fitcheck::io::read_npy(path);
  } catch (const fitcheck::core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

using fitcheck::test::npy_fixture_path;

const std::string kGoodDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

TEST(NpyErrors, BadMagic) {
  EXPECT_THAT(parse_error("x,y\n1,2\n"), AllOf(HasSubstr("bad.npy: byte 0"), HasSubstr("not a NumPy .npy file"),
                                                HasSubstr("\\x93NUMPY"), HasSubstr("'x,y\\x0a1,")));
  EXPECT_THAT(parse_error(""), HasSubstr("an empty file"));
}

TEST(NpyErrors, UnknownVersion) {
  std::string content = make_npy(kGoodDict, std::string(8, '\0'));
  content[6] = 4;
  EXPECT_THAT(parse_error(content), AllOf(HasSubstr("byte 6"), HasSubstr("expected 1.0, 2.0 or 3.0, got 4.0")));
  content[6] = 1;
  content[7] = 1;
  EXPECT_THAT(parse_error(content), HasSubstr("got 1.1"));
}

TEST(NpyErrors, FileEndsInsideThePreamble) {
  EXPECT_THAT(parse_error(std::string("\x93NUMPY\x01", 7)), HasSubstr("ends inside the .npy preamble"));
  EXPECT_THAT(parse_error(std::string("\x93NUMPY\x02\x00\x10\x00", 10)), AllOf(HasSubstr("byte 10"), HasSubstr("4-byte header length")));
}

TEST(NpyErrors, HeaderLengthPastTheEnd) {
  std::string content = make_npy(kGoodDict, "");
  content[8] = '\xff';
  content[9] = '\xff';
  EXPECT_THAT(parse_error(content), AllOf(HasSubstr("byte 8"), HasSubstr("header length runs past the end")));
}

TEST(NpyErrors, HeaderIsNotADict) {
  EXPECT_THAT(parse_error(make_npy("[1, 2]", "")), AllOf(HasSubstr("byte 10"), HasSubstr("not a Python dict")));
  EXPECT_THAT(parse_error(make_npy("", "")), HasSubstr("not a Python dict"));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4' 'shape': ()}", "")), HasSubstr("expected ',' or '}'"));
  EXPECT_THAT(parse_error(make_npy("{'descr: '<f4'}", "")), HasSubstr("':' after the key"));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4}", "")), HasSubstr("unterminated string"));
  EXPECT_THAT(parse_error(make_npy("{1: 2}", "")), AllOf(HasSubstr("byte 11"), HasSubstr("key is not a string")));
  EXPECT_THAT(parse_error(make_npy(kGoodDict + " junk", std::string(8, '\0'))), HasSubstr("unexpected text after the header dict"));
  EXPECT_THAT(parse_error(make_npy("{'descr': __import__('os')}", "")), HasSubstr("unexpected character"));
}

TEST(NpyErrors, MissingUnknownAndDuplicateKeys) {
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': False}", "")),
              AllOf(HasSubstr("bad.npy: header key 'shape'"), HasSubstr("missing key")));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}", "")),
              AllOf(HasSubstr("header key 'extra'"), HasSubstr("unknown key"), HasSubstr("'descr', 'fortran_order' and 'shape'")));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': ()}", "")),
              HasSubstr("appears twice"));
}

TEST(NpyErrors, InvalidValuesOfKnownKeys) {
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", "")),
              AllOf(HasSubstr("header key 'fortran_order'"), HasSubstr("expected True or False")));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "")),
              AllOf(HasSubstr("header key 'shape'"), HasSubstr("a tuple of non-negative integers"), HasSubstr("got a list")));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}", "")), HasSubstr("got -1"));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", "")), HasSubstr("got a string"));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "")),
              HasSubstr("integer too large"));
  EXPECT_THAT(parse_error(make_npy("{'descr': '<x4', 'fortran_order': False, 'shape': ()}", "")),
              AllOf(HasSubstr("header key 'descr'"), HasSubstr("unsupported dtype"), HasSubstr("got '<x4'")));
}

TEST(NpyErrors, ObjectStructuredStringAndComplexArraysAsNumpyWritesThem) {
  EXPECT_THAT(read_error(npy_fixture_path("object.npy")),
              AllOf(HasSubstr("object.npy: header key 'descr'"), HasSubstr("object arrays are not supported"),
                    HasSubstr("astype('float32')")));
  EXPECT_THAT(read_error(npy_fixture_path("structured.npy")), AllOf(HasSubstr("structured"), HasSubstr("astype('float32')")));
  EXPECT_THAT(read_error(npy_fixture_path("unicode.npy")), AllOf(HasSubstr("string arrays"), HasSubstr("got '<U3'")));
  EXPECT_THAT(read_error(npy_fixture_path("complex.npy")), HasSubstr("complex arrays"));
}

TEST(NpyErrors, TruncatedData) {
  // Three float32 values declared, two present.
  std::string content = make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", std::string(8, '\0'));
  EXPECT_THAT(parse_error(content), AllOf(HasSubstr("bad.npy: byte 128"), HasSubstr("truncated data"),
                                         HasSubstr("expected 12 bytes of data, got 8 bytes")));
  fitcheck::test::TempDir dir;
  EXPECT_THAT(read_error(dir.write("cut.npy", content)), AllOf(HasSubstr("cut.npy: byte 128"), HasSubstr("expected 12 bytes")));
}

TEST(NpyErrors, AbsurdShapesAreRefusedBeforeAllocating) {
  // The product overflows 64 bits.
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", "")),
              AllOf(HasSubstr("header key 'shape'"), HasSubstr("absurd shape")));
  // Fits in 64 bits only as elements, not as bytes.
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}", "")),
              HasSubstr("absurd shape"));
  // Overflowing axes next to a zero axis are still refused (to_table would make columns of them).
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296)}", "")),
              HasSubstr("absurd shape"));
  // Plausible in memory but far more than the file holds: 8 GB declared in a 64-byte file.
  EXPECT_THAT(parse_error(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,)}", "")),
              HasSubstr("expected 8000000000 bytes of data, got 0 bytes"));
  fitcheck::test::TempDir dir;
  auto path = dir.write("huge.npy", make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000)}", ""));
  EXPECT_THAT(read_error(path), HasSubstr("expected 8000000000000 bytes of data"));
}

TEST(NpyErrors, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep = "{'descr': " + std::string(5000, '[') + "}";
  EXPECT_THAT(parse_error(make_npy(deep, "")), HasSubstr("nests too deeply"));
}

TEST(NpyErrors, MissingFile) {
  EXPECT_THAT(read_error("/nonexistent/x.npy"), AllOf(HasSubstr("/nonexistent/x.npy"), HasSubstr("cannot open")));
}

std::string npz_error(const std::filesystem::path& path, const std::string& key) {
  try {
    if (key.empty()) {
      (void)fitcheck::io::read_npz(path);
    } else {
      (void)fitcheck::io::read_npz_array(path, key);
    }
  } catch (const fitcheck::core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

TEST(NpzErrors, NotAZip) {
  EXPECT_THAT(npz_error(npy_fixture_path("not_a_zip.npz"), ""),
              AllOf(HasSubstr("not_a_zip.npz"), HasSubstr("not an .npz archive"), HasSubstr("a zip archive of .npy files")));
  EXPECT_THAT(npz_error(npy_fixture_path("not_a_zip.npz"), "x"), HasSubstr("not an .npz archive"));
  try {
    (void)fitcheck::io::parse_npz(as_bytes(std::string("PK\x03\x04 garbage")), "mem.npz");
    ADD_FAILURE();
  } catch (const fitcheck::core::InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("mem.npz"));
  }
}

TEST(NpzErrors, UnknownKeyListsTheKeys) {
  EXPECT_THAT(npz_error(npy_fixture_path("stored.npz"), "x_tran"),
              AllOf(HasSubstr("stored.npz"), HasSubstr("no array named 'x_tran'"), HasSubstr("one of 'x_train', 'y_train'"),
                    HasSubstr("Did you mean 'x_train'?")));
}

TEST(NpzErrors, BadMemberIsNamed) {
  EXPECT_THAT(npz_error(npy_fixture_path("truncated_member.npz"), ""),
              AllOf(HasSubstr("truncated_member.npz[cut]: byte 128"), HasSubstr("expected 800 bytes of data, got 790 bytes")));
  // The good member next to it still reads.
  EXPECT_EQ(fitcheck::io::read_npz_array(npy_fixture_path("truncated_member.npz"), "good").size(), 3);
}

TEST(NpzErrors, MissingFile) {
  EXPECT_THAT(npz_error("/nonexistent/d.npz", ""), AllOf(HasSubstr("/nonexistent/d.npz"), HasSubstr("cannot open")));
}

}  // namespace

namespace {

// Inputs the fuzzers found (tests/data/npy/regress); each must be refused cleanly.
TEST(NpzErrors, FuzzRegressionForgedCompressedSizeIsRefusedBeforeAllocating) {
  // A member whose central directory claims ~4 MB compressed (so 4 GB uncompressed) in a 1 KB archive.
  EXPECT_THAT(npz_error(fitcheck::test::test_data_path("npy/regress/npz_forged_compressed_size.npz"), ""),
              HasSubstr("x_train]"));
}

}  // namespace
