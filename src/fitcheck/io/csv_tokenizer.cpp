#include "fitcheck/io/csv_tokenizer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "fitcheck/core/error.hpp"

namespace fitcheck::io::detail {

void TokenizedBlock::clear() {
  text = {};
  unescaped.clear();
  fields.clear();
  row_begin.clear();
  row_line.clear();
  end_line = 0;
}

std::int64_t count_newlines(std::string_view text) {
  // std::count over bytes vectorises well; memchr loops are slower when lines are short.
  return static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n'));
}

namespace {

constexpr std::size_t kMaxOffset = (std::size_t{1} << 31) - 1;

// Bytes that end an unquoted field: the delimiter, '\n' and '\r' (a '\r' ends it only before '\n').
struct StopTable {
  std::array<std::uint8_t, 256> stop{};
  char delimiter;
  explicit StopTable(char d) : delimiter(d) {
    stop[static_cast<unsigned char>(delimiter)] = 1;
    stop[static_cast<unsigned char>('\n')] = 1;
    stop[static_cast<unsigned char>('\r')] = 1;
  }
};

// The first delimiter, '\n' or '\r' at or after p, or e. Sixteen bytes per step where the
// buffer allows (fields are short, so one step usually finds the end).
inline const char* find_stop(const char* p, const char* e, const StopTable& t) {
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(t.delimiter);
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (e - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, nl)), _mm_cmpeq_epi8(v, cr));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p < e && !t.stop[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// Advances from p to the first delimiter, '\n', "\r\n" or e.
inline const char* scan_unquoted(const char* p, const char* e, const StopTable& t) {
  for (;;) {
    p = find_stop(p, e, t);
    if (p < e && *p == '\r' && !(p + 1 < e && p[1] == '\n')) {
      ++p;  // a lone '\r' is data
      continue;
    }
    return p;
  }
}

[[noreturn]] void throw_too_large(const std::string& source, std::int64_t line) {
  throw core::InputError({.where = core::file_location(source, line),
                          .what = "a record or field longer than 2 GiB",
                          .hint = "Check for an unbalanced quote before this line."});
}

}  // namespace

std::size_t tokenize_block(std::string_view text, const TokenizeOptions& options,
                           const std::string& source, TokenizedBlock& out, std::size_t start) {
  out.text = text;
  const StopTable table(options.delimiter);
  const char delim = options.delimiter;
  const char* const b = text.data();
  const char* const e = b + text.size();
  const char* p = b + std::min(start, text.size());
  std::int64_t line = options.first_line;
  if (out.row_begin.empty()) out.row_begin.push_back(static_cast<std::uint32_t>(out.fields.size()));

  auto add_field = [&](const char* s, const char* f) {
    const auto off = static_cast<std::size_t>(s - b);
    const auto len = static_cast<std::size_t>(f - s);
    if (off > std::numeric_limits<std::uint32_t>::max() || len > kMaxOffset) throw_too_large(source, line);
    FieldRef ref;
    ref.offset = static_cast<std::uint32_t>(off);
    ref.length = static_cast<std::uint32_t>(len) & 0x7fffffffu;
    out.fields.push_back(ref);
  };

  while (p < e) {
    if (options.max_rows >= 0 && out.rows() >= options.max_rows) break;
    // Blank lines are skipped, as pandas does.
    if (*p == '\n') {
      ++line;
      ++p;
      continue;
    }
    if (*p == '\r' && p + 1 < e && p[1] == '\n') {
      ++line;
      p += 2;
      continue;
    }
    const char* const row_start = p;
    const std::int64_t row_line = line;
    const std::size_t fields_before = out.fields.size();
    const std::size_t side_before = out.unescaped.size();
    bool row_done = false;
    while (!row_done) {
      if (p < e && *p == '"') {
        const char* const open = p;
        const char* s = p + 1;
        const char* close = nullptr;
        bool escaped = false;
        for (;;) {
          close = static_cast<const char*>(std::memchr(s, '"', static_cast<std::size_t>(e - s)));
          if (close == nullptr) break;
          if (close + 1 < e && close[1] == '"') {
            escaped = true;
            s = close + 2;
            continue;
          }
          break;
        }
        if (close == nullptr) {
          if (options.lenient_end) {
            out.fields.resize(fields_before);
            out.unescaped.resize(side_before);
            out.end_line = row_line;
            return static_cast<std::size_t>(row_start - b);
          }
          throw core::InputError(
              {.where = core::file_location(source, line),
               .what = "a quoted field opened on this line is never closed",
               .expected = "a closing '\"'",
               .got = "the end of the file",
               .hint = "Double every quote inside a quoted field (\"\") or close the quote."});
        }
        line += count_newlines(std::string_view(open + 1, static_cast<std::size_t>(close - open - 1)));
        const char* after = close + 1;
        const char* stop = scan_unquoted(after, e, table);
        if (!escaped && stop == after) {
          add_field(open + 1, close);
        } else {
          // Unescape "" and append any text that follows the closing quote.
          const std::size_t side_start = out.unescaped.size();
          for (const char* q = open + 1; q < close; ++q) {
            out.unescaped.push_back(*q);
            if (*q == '"') ++q;  // the second quote of a pair
          }
          out.unescaped.append(after, static_cast<std::size_t>(stop - after));
          const std::size_t len = out.unescaped.size() - side_start;
          if (side_start > std::numeric_limits<std::uint32_t>::max() || len > kMaxOffset) throw_too_large(source, line);
          FieldRef ref;
          ref.offset = static_cast<std::uint32_t>(side_start);
          ref.length = static_cast<std::uint32_t>(len) & 0x7fffffffu;
          ref.in_side = 1;
          out.fields.push_back(ref);
        }
        p = stop;
      } else {
        const char* s = p;
        p = scan_unquoted(p, e, table);
        add_field(s, p);
      }
      if (p == e) {
        row_done = true;
      } else if (*p == delim) {
        ++p;
      } else if (*p == '\n') {
        ++p;
        ++line;
        row_done = true;
      } else {  // "\r\n"
        p += 2;
        ++line;
        row_done = true;
      }
    }
    const auto found = static_cast<int>(out.fields.size() - fields_before);
    if (options.expected_fields > 0 && found != options.expected_fields) {
      throw core::InputError(
          {.where = core::file_location(source, row_line),
           .what = fmt::format("expected {} fields, found {}", options.expected_fields, found),
           .hint = found > options.expected_fields
                       ? "A field may contain an unquoted delimiter; quote it."
                       : "A field may be missing, or a quoted field may contain a line break."});
    }
    if (out.fields.size() > std::numeric_limits<std::uint32_t>::max()) throw_too_large(source, row_line);
    out.row_begin.push_back(static_cast<std::uint32_t>(out.fields.size()));
    out.row_line.push_back(row_line);
  }
  out.end_line = line;
  return static_cast<std::size_t>(p - b);
}

std::size_t last_record_end(std::string_view text, char delimiter) {
  const char* const b = text.data();
  const char* const e = b + text.size();
  const char* p = b;
  const char* last_newline = nullptr;
  while (p < e) {
    const auto* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
    const char* region_end = quote != nullptr ? quote : e;
    if (region_end > p) {
      const auto* nl = static_cast<const char*>(memrchr(p, '\n', static_cast<std::size_t>(region_end - p)));
      if (nl != nullptr) last_newline = nl;
    }
    if (quote == nullptr) break;
    // Only a quote at the start of a field opens a quoted field (the tokenizer's rule).
    const bool opens = quote == b || quote[-1] == delimiter || quote[-1] == '\n';
    if (!opens) {
      p = quote + 1;
      continue;
    }
    const char* s = quote + 1;
    for (;;) {
      const auto* close = static_cast<const char*>(std::memchr(s, '"', static_cast<std::size_t>(e - s)));
      // Unclosed here, or closed by the last byte (which may be half of a "" pair): stop.
      if (close == nullptr || close + 1 == e) {
        return last_newline != nullptr ? static_cast<std::size_t>(last_newline - b + 1) : 0;
      }
      if (close[1] == '"') {
        s = close + 2;
        continue;
      }
      p = close + 1;
      break;
    }
  }
  return last_newline != nullptr ? static_cast<std::size_t>(last_newline - b + 1) : 0;
}

}  // namespace fitcheck::io::detail
