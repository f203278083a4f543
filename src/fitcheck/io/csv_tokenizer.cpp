#include "fitcheck/io/csv_tokenizer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>

#if defined(__SSE2__) || defined(__AVX2__) || defined(__AVX512BW__)
#include <immintrin.h>
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

[[noreturn]] void throw_ragged(const std::string& source, std::int64_t line, int expected, int found) {
  throw core::InputError(
      {.where = core::file_location(source, line),
       .what = fmt::format("expected {} fields, found {}", expected, found),
       .hint = found > expected ? "A field may contain an unquoted delimiter; quote it."
                                : "A field may be missing, or a quoted field may contain a line break."});
}

// Which of 64 bytes at p are the delimiter, '\n', '\r' and '"', one bit per byte.
struct ByteMasks {
  std::uint64_t delimiter = 0, newline = 0, cr = 0, quote = 0;
};

inline ByteMasks byte_masks(const char* p, char delimiter) {
  ByteMasks m;
#if defined(__AVX512BW__)
  const __m512i v = _mm512_loadu_si512(p);
  m.delimiter = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(delimiter));
  m.newline = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
  m.cr = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r'));
  m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
#elif defined(__AVX2__)
  for (int half = 0; half < 2; ++half) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * half));
    const auto bits = [&](char c) {
      const auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(c))));
      return static_cast<std::uint64_t>(mask) << (32 * half);
    };
    m.delimiter |= bits(delimiter);
    m.newline |= bits('\n');
    m.cr |= bits('\r');
    m.quote |= bits('"');
  }
#elif defined(__SSE2__)
  for (int q = 0; q < 4; ++q) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q));
    const auto bits = [&](char c) {
      const auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))));
      return static_cast<std::uint64_t>(mask) << (16 * q);
    };
    m.delimiter |= bits(delimiter);
    m.newline |= bits('\n');
    m.cr |= bits('\r');
    m.quote |= bits('"');
  }
#else
  for (int i = 0; i < 64; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (p[i] == delimiter) m.delimiter |= bit;
    if (p[i] == '\n') m.newline |= bit;
    if (p[i] == '\r') m.cr |= bit;
    if (p[i] == '"') m.quote |= bit;
  }
#endif
  return m;
}

// What the fast path needs of a window: where fields end (the delimiter, '\n', or the '\r' of
// "\r\n", whose '\n' is dropped), which of those end a record, which records end with "\r\n",
// and the bytes only the field-by-field path handles (quotes, and a '\r' not followed by '\n'
// in the window).
struct WindowMasks {
  std::uint64_t ends = 0, records = 0, crlf = 0, special = 0;
};

inline WindowMasks window_masks(const char* p, char delimiter) {
  const ByteMasks m = byte_masks(p, delimiter);
  WindowMasks w;
  w.crlf = m.cr & (m.newline >> 1);
  w.records = (m.newline & ~(w.crlf << 1)) | w.crlf;
  w.ends = m.delimiter | w.records;
  w.special = m.quote | (m.cr & ~w.crlf);
  return w;
}

// The fast path for rows without quotes or '\r': fields end at the bits of 64-byte windows.
// Starts at a record boundary `p` and consumes whole rows while each lies in windows free of
// '"' and '\r' before its end and at least 64 bytes remain; returns where it stopped (a record
// boundary, from where the field-by-field path goes on). `line` is updated.
const char* tokenize_plain_rows(const char* p, const char* e, const char* b, const TokenizeOptions& options,
                                const std::string& source, TokenizedBlock& out, std::int64_t& line) {
  const char delimiter = options.delimiter;
  const char* row_start = p;
  const char* field_start = p;
  std::size_t fields_before = out.fields.size();
  std::int64_t rows = out.rows();
  const char* w = p;
  while (e - w >= 64) {
    __builtin_prefetch(w + 1024);  // the chunk streams from memory: ask ahead
    const WindowMasks m = window_masks(w, delimiter);
    // Ends before the first special byte are safe; one at or after it stops the fast path.
    const std::uint64_t safe = m.special == 0 ? ~std::uint64_t{0} : (m.special & (0 - m.special)) - 1;
    std::uint64_t ends = m.ends & safe;
    // (A '\r' at bit 63 is special, so a record never ends past this window: field_start <= w + 64.)
    while (ends != 0) {
      const int at = std::countr_zero(ends);
      ends &= ends - 1;
      const char* f = w + at;
      const bool record_end = ((m.records >> at) & 1U) != 0;
      const char* next = f + 1 + ((m.crlf >> at) & 1U);
      if (record_end && f == row_start) {  // a blank line
        ++line;
        row_start = field_start = next;
        continue;
      }
      out.fields.push_back(FieldRef::in_text(static_cast<std::uint32_t>(field_start - b),
                                             static_cast<std::uint32_t>(f - field_start)));
      field_start = next;
      if (record_end) {
        const auto found = static_cast<int>(out.fields.size() - fields_before);
        if (options.expected_fields > 0 && found != options.expected_fields) {
          throw_ragged(source, line, options.expected_fields, found);
        }
        out.row_begin.push_back(static_cast<std::uint32_t>(out.fields.size()));
        out.row_line.push_back(line);
        ++line;
        ++rows;
        row_start = field_start;
        fields_before = out.fields.size();
        if (options.max_rows >= 0 && rows >= options.max_rows) return row_start;
      }
    }
    if (safe != ~std::uint64_t{0}) break;
    w += 64;
  }
  out.fields.resize(fields_before);  // the unfinished row is read again by the caller
  return row_start;
}

}  // namespace

// Popcounts of 64-byte compare masks (std::count widened every byte to 64 bits: 4x slower); the
// quote test that comes with it costs one compare per 64 bytes.
std::int64_t count_newlines(std::string_view text) { return scan_plain(text).newlines; }

std::size_t after_last_newline(std::string_view text) {
  const auto* last = static_cast<const char*>(memrchr(text.data(), '\n', text.size()));
  return last == nullptr ? 0 : static_cast<std::size_t>(last - text.data()) + 1;
}

PlainScan scan_plain(std::string_view text) {
  const char* p = text.data();
  const char* const e = p + text.size();
  PlainScan out;
  std::uint64_t quotes = 0;
  for (; e - p >= 64; p += 64) {
    // The scan is the first read of a chunk's bytes, from memory; the hardware prefetcher stops
    // at each 4 KiB page, a software prefetch two pages ahead does not (38 vs 45-67 ms for 413 MB,
    // measured). A prefetch past the end of the mapping is dropped, not a fault.
    __builtin_prefetch(p + 8192);
    const ByteMasks m = byte_masks(p, '"');  // the quote as "delimiter": one compare fewer
    out.newlines += std::popcount(m.newline);
    quotes |= m.delimiter;
  }
  for (; p < e; ++p) {
    out.newlines += *p == '\n' ? 1 : 0;
    quotes |= *p == '"' ? 1U : 0U;
  }
  out.has_quote = quotes != 0;
  return out;
}

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
    out.fields.push_back(FieldRef::in_text(static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len)));
  };

  // Rows are read by the fast path while it can, otherwise field by field; after a row the fast
  // path could not take, a few rows go field by field before it is tried again (a file of
  // quoted fields would otherwise have every row started twice).
  const bool fast_ok = options.window_path && text.size() <= kMaxOffset;
  int slow_rows = 0;
  while (p < e) {
    if (options.max_rows >= 0 && out.rows() >= options.max_rows) break;
    if (fast_ok && slow_rows == 0 && e - p >= 64) {
      const char* q = tokenize_plain_rows(p, e, b, options, source, out, line);
      if (q != p) {
        p = q;
        continue;
      }
      slow_rows = 16;
    }
    if (slow_rows > 0) --slow_rows;
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
          out.fields.push_back(FieldRef::in_unescaped(static_cast<std::uint32_t>(side_start), static_cast<std::uint32_t>(len)));
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
      throw_ragged(source, row_line, options.expected_fields, found);
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
