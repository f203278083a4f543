#include "fitcheck/io/npy_header.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// Deep enough for any dtype NumPy writes; shallow enough that hostile input cannot exhaust the stack.
constexpr int kMaxNesting = 16;

std::string at_byte(const std::string& source, std::uint64_t offset) {
  return fmt::format("{}: byte {}", source, offset);
}

std::string at_key(const std::string& source, std::string_view key) {
  return fmt::format("{}: header key '{}'", source, key);
}

// Printable rendering of raw bytes for messages ("\x93NUMPY" → "\\x93NUMPY").
std::string printable(std::span<const std::byte> bytes) {
  std::string out;
  for (auto b : bytes) {
    auto c = static_cast<unsigned char>(b);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string printable(std::string_view text) {
  return printable(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

// One Python literal of the header dict.
struct Literal {
  enum class Kind { String, Bool, None, Int, Tuple, List, Dict };
  Kind kind = Kind::None;
  std::string text;               // String: the unquoted content; Dict: unused
  bool boolean = false;
  std::int64_t integer = 0;
  std::vector<Literal> items;     // Tuple, List; Dict: alternating key, value
  std::size_t offset = 0;         // position in the header text
};

std::string_view kind_name(Literal::Kind k) {
  switch (k) {
    case Literal::Kind::String: return "a string";
    case Literal::Kind::Bool: return "a boolean";
    case Literal::Kind::None: return "None";
    case Literal::Kind::Int: return "an integer";
    case Literal::Kind::Tuple: return "a tuple";
    case Literal::Kind::List: return "a list";
    case Literal::Kind::Dict: return "a dict";
  }
  return "a value";
}

class LiteralParser {
 public:
  LiteralParser(std::string_view text, std::size_t base, const std::string& source)
      : text_(text), base_(base), source_(source) {}

  Literal parse_top_level() {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '{') {
      fail("the header is not a Python dict", "'{'", found_here());
    }
    Literal dict = parse_value(0);
    skip_space();
    // NumPy pads with spaces and ends with '\n'; anything else after the dict is not a header.
    if (pos_ < text_.size()) {
      fail("unexpected text after the header dict", "only spaces and a newline", found_here());
    }
    return dict;
  }

 private:
  [[noreturn]] void fail(const std::string& what, const std::string& expected, const std::string& got) const {
    throw core::InputError({.where = at_byte(source_, base_ + pos_), .what = what, .expected = expected,
                            .got = got, .hint = "The file is not a valid .npy file; write it again with numpy.save."});
  }

  std::string found_here() const {
    if (pos_ >= text_.size()) return "the end of the header";
    std::string quoted = "'";
    quoted.append(printable(text_.substr(pos_, 12))).append("'");
    return quoted;
  }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool consume_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    std::size_t end = pos_ + word.size();
    if (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) return false;
    pos_ = end;
    return true;
  }

  Literal parse_value(int depth) {
    if (depth > kMaxNesting) fail("the header nests too deeply", fmt::format("at most {} levels", kMaxNesting), found_here());
    skip_space();
    Literal v;
    v.offset = pos_;
    if (pos_ >= text_.size()) fail("the header ends inside a value", "a value", "the end of the header");
    char c = text_[pos_];
    if (c == '\'' || c == '"') {
      v.kind = Literal::Kind::String;
      v.text = parse_string();
    } else if (c == '(' || c == '[') {
      v.kind = c == '(' ? Literal::Kind::Tuple : Literal::Kind::List;
      parse_sequence(v, c == '(' ? ')' : ']', depth);
    } else if (c == '{') {
      v.kind = Literal::Kind::Dict;
      parse_dict(v, depth);
    } else if (consume_word("True")) {
      v.kind = Literal::Kind::Bool;
      v.boolean = true;
    } else if (consume_word("False")) {
      v.kind = Literal::Kind::Bool;
    } else if (consume_word("None")) {
      v.kind = Literal::Kind::None;
    } else if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c))) {
      v.kind = Literal::Kind::Int;
      v.integer = parse_integer();
    } else {
      fail("unexpected character in the header", "a string, number, True, False, None, tuple, list or dict", found_here());
    }
    return v;
  }

  std::string parse_string() {
    char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;  // keep the escaped character as is
      out += text_[pos_++];
    }
    if (pos_ >= text_.size()) fail("unterminated string in the header", std::string("a closing ") + quote, "the end of the header");
    ++pos_;
    return out;
  }

  std::int64_t parse_integer() {
    bool negative = false;
    if (text_[pos_] == '-' || text_[pos_] == '+') negative = text_[pos_++] == '-';
    if (pos_ >= text_.size() || !std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      fail("malformed number in the header", "digits", found_here());
    }
    std::size_t start = pos_;
    std::uint64_t value = 0;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      auto digit = static_cast<std::uint64_t>(text_[pos_] - '0');
      if (value > (kMax - digit) / 10) {
        pos_ = start;
        fail("integer too large in the header", "a number below 2^63", found_here());
      }
      value = value * 10 + digit;
      ++pos_;
    }
    // Headers written by Python 2 spell long integers as "3L".
    if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l')) ++pos_;
    auto signed_value = static_cast<std::int64_t>(value);
    return negative ? -signed_value : signed_value;
  }

  void parse_sequence(Literal& seq, char close, int depth) {
    ++pos_;  // opening bracket
    if (consume(close)) return;
    while (true) {
      seq.items.push_back(parse_value(depth + 1));
      if (consume(close)) return;
      if (!consume(',')) fail("malformed sequence in the header", fmt::format("',' or '{}'", close), found_here());
      if (consume(close)) return;  // trailing comma, as in "(3,)"
    }
  }

  void parse_dict(Literal& dict, int depth) {
    ++pos_;  // '{'
    if (consume('}')) return;
    while (true) {
      skip_space();
      Literal key = parse_value(depth + 1);
      if (key.kind != Literal::Kind::String) {
        pos_ = key.offset;
        fail("a header dict key is not a string", "a quoted key such as 'descr'", found_here());
      }
      if (!consume(':')) fail("malformed dict in the header", "':' after the key", found_here());
      Literal value = parse_value(depth + 1);
      dict.items.push_back(std::move(key));
      dict.items.push_back(std::move(value));
      if (consume('}')) return;
      if (!consume(',')) fail("malformed dict in the header", "',' or '}'", found_here());
      if (consume('}')) return;
    }
  }

  std::string_view text_;
  std::size_t base_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

struct DescrInfo {
  core::DType dtype;
  bool byte_swap;
};

// A plain descr such as '<f4', '|u1', '>i8', '=b1'.
DescrInfo parse_descr(const Literal& descr, const std::string& source) {
  const std::string where = at_key(source, "descr");
  const std::string hint = "Save a numeric array, e.g. numpy.save(path, arr.astype('float32')).";
  if (descr.kind == Literal::Kind::List) {
    throw core::InputError({.where = where, .what = "structured (record) arrays are not supported",
                            .expected = "a numeric dtype such as '<f4'", .got = "a list of fields", .hint = hint});
  }
  if (descr.kind != Literal::Kind::String) {
    throw core::InputError({.where = where, .what = "unsupported dtype description",
                            .expected = "a numeric dtype string such as '<f4'", .got = std::string(kind_name(descr.kind)),
                            .hint = hint});
  }
  std::string_view d = descr.text;
  char order = '=';
  if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
    order = d[0];
    d.remove_prefix(1);
  }
  struct Code {
    std::string_view code;
    core::DType dtype;
  };
  static constexpr Code kCodes[] = {
      {"b1", core::DType::Bool},     {"i1", core::DType::Int8},     {"i2", core::DType::Int16},
      {"i4", core::DType::Int32},    {"i8", core::DType::Int64},    {"u1", core::DType::UInt8},
      {"u2", core::DType::UInt16},   {"u4", core::DType::UInt32},   {"u8", core::DType::UInt64},
      {"f2", core::DType::Float16},  {"f4", core::DType::Float32},  {"f8", core::DType::Float64},
      {"?", core::DType::Bool},
  };
  for (const auto& c : kCodes) {
    if (d != c.code) continue;
    bool stored_little = order == '<' || (order != '>' && std::endian::native == std::endian::little);
    bool native_little = std::endian::native == std::endian::little;
    bool swap = core::dtype_size(c.dtype) > 1 && stored_little != native_little;
    return {c.dtype, swap};
  }
  std::string what = "unsupported dtype";
  if (!d.empty()) {
    switch (d[0]) {
      case 'O': what = "object arrays are not supported (they hold Python objects, not numbers)"; break;
      case 'U': case 'S': case 'a': what = "string arrays are not supported"; break;
      case 'V': what = "void / structured arrays are not supported"; break;
      case 'c': what = "complex arrays are not supported"; break;
      case 'M': case 'm': what = "datetime / timedelta arrays are not supported"; break;
      default: break;
    }
  }
  throw core::InputError({.where = where, .what = what,
                          .expected = "one of b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8 with byte order < > | =",
                          .got = "'" + printable(descr.text) + "'", .hint = hint});
}

}  // namespace

NpyPreamble parse_npy_preamble(std::span<const std::byte> first_bytes, std::uint64_t file_size,
                               const std::string& source) {
  if (first_bytes.size() < kMagicSize ||
      std::memcmp(first_bytes.data(), kMagic, kMagicSize) != 0) {
    throw core::InputError({.where = at_byte(source, 0), .what = "not a NumPy .npy file",
                            .expected = "the magic string \\x93NUMPY",
                            .got = first_bytes.empty() ? std::string("an empty file")
                                                       : "'" + printable(first_bytes.first(std::min<std::size_t>(first_bytes.size(), kMagicSize))) + "'",
                            .hint = "Write the array with numpy.save."});
  }
  if (first_bytes.size() < 8) {
    throw core::InputError({.where = at_byte(source, first_bytes.size()), .what = "the file ends inside the .npy preamble",
                            .expected = "2 version bytes", .got = "the end of the file"});
  }
  NpyPreamble p;
  p.major = static_cast<int>(first_bytes[6]);
  p.minor = static_cast<int>(first_bytes[7]);
  if (p.major < 1 || p.major > 3 || p.minor != 0) {
    throw core::InputError({.where = at_byte(source, 6), .what = "unknown .npy format version",
                            .expected = "1.0, 2.0 or 3.0", .got = fmt::format("{}.{}", p.major, p.minor),
                            .hint = "Write the array with numpy.save."});
  }
  std::size_t len_size = p.major == 1 ? 2 : 4;
  if (first_bytes.size() < 8 + len_size) {
    throw core::InputError({.where = at_byte(source, first_bytes.size()), .what = "the file ends inside the .npy preamble",
                            .expected = fmt::format("a {}-byte header length", len_size), .got = "the end of the file"});
  }
  std::uint64_t len = 0;
  for (std::size_t i = 0; i < len_size; ++i) {
    len |= static_cast<std::uint64_t>(static_cast<unsigned char>(first_bytes[8 + i])) << (8 * i);
  }
  p.header_offset = 8 + len_size;
  if (len > file_size - p.header_offset) {
    throw core::InputError({.where = at_byte(source, 8), .what = "the header length runs past the end of the file",
                            .expected = fmt::format("at most {} header bytes", file_size - p.header_offset),
                            .got = std::to_string(len), .hint = "The file is truncated or not a .npy file."});
  }
  p.header_length = static_cast<std::size_t>(len);
  return p;
}

NpyHeader parse_npy_header(std::string_view header_text, const NpyPreamble& preamble, const std::string& source) {
  LiteralParser parser(header_text, preamble.header_offset, source);
  Literal dict = parser.parse_top_level();

  const Literal* descr = nullptr;
  const Literal* fortran = nullptr;
  const Literal* shape = nullptr;
  for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2) {
    const std::string& key = dict.items[i].text;
    const Literal* value = &dict.items[i + 1];
    const Literal** slot = key == "descr" ? &descr : key == "fortran_order" ? &fortran : key == "shape" ? &shape : nullptr;
    if (slot == nullptr) {
      throw core::InputError({.where = at_key(source, printable(key)), .what = "unknown key in the .npy header",
                              .expected = "only 'descr', 'fortran_order' and 'shape'", .got = "'" + printable(key) + "'"});
    }
    if (*slot != nullptr) {
      throw core::InputError({.where = at_key(source, key), .what = "the key appears twice in the .npy header"});
    }
    *slot = value;
  }
  for (auto [slot, name] : {std::pair{descr, "descr"}, {fortran, "fortran_order"}, {shape, "shape"}}) {
    if (slot == nullptr) {
      throw core::InputError({.where = at_key(source, name), .what = "missing key in the .npy header",
                              .expected = "the keys 'descr', 'fortran_order' and 'shape'",
                              .hint = "Write the array with numpy.save."});
    }
  }

  NpyHeader h;
  DescrInfo info = parse_descr(*descr, source);
  h.dtype = info.dtype;
  h.byte_swap = info.byte_swap;

  if (fortran->kind != Literal::Kind::Bool) {
    throw core::InputError({.where = at_key(source, "fortran_order"), .what = "invalid value",
                            .expected = "True or False", .got = std::string(kind_name(fortran->kind))});
  }
  h.fortran_order = fortran->boolean;

  if (shape->kind != Literal::Kind::Tuple) {
    throw core::InputError({.where = at_key(source, "shape"), .what = "invalid shape",
                            .expected = "a tuple of non-negative integers", .got = std::string(kind_name(shape->kind))});
  }
  std::vector<std::int64_t> dims;
  dims.reserve(shape->items.size());
  bool has_zero = false;
  for (const auto& d : shape->items) {
    if (d.kind != Literal::Kind::Int || d.integer < 0) {
      throw core::InputError({.where = at_key(source, "shape"), .what = "invalid shape",
                              .expected = "a tuple of non-negative integers",
                              .got = d.kind == Literal::Kind::Int ? std::to_string(d.integer) : std::string(kind_name(d.kind))});
    }
    dims.push_back(d.integer);
    has_zero = has_zero || d.integer == 0;
  }
  // The product must fit even when another axis is 0: to_table() turns trailing axes into columns.
  const auto item = static_cast<std::uint64_t>(core::dtype_size(h.dtype));
  std::uint64_t product = 1;
  constexpr auto kLimit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (auto d : dims) {
    auto ud = static_cast<std::uint64_t>(d == 0 ? 1 : d);
    if (product > kLimit / ud || product * ud > kLimit / item) {
      throw core::InputError({.where = at_key(source, "shape"), .what = "absurd shape: the array would hold more bytes than any file can",
                              .got = core::Shape(dims).str(), .hint = "The header is corrupt; write the array again with numpy.save."});
    }
    product *= ud;
  }
  h.num_elements = has_zero ? 0 : static_cast<std::int64_t>(product);
  h.data_bytes = static_cast<std::uint64_t>(h.num_elements) * item;
  h.shape = core::Shape(std::move(dims));
  h.data_offset = preamble.header_offset + preamble.header_length;
  return h;
}

double half_to_double(std::uint16_t bits) {
  const bool negative = (bits & 0x8000u) != 0;
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<double>(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<double>(mantissa | 0x400), exponent - 25);
  }
  return negative ? -magnitude : magnitude;
}

}  // namespace fitcheck::io::detail
