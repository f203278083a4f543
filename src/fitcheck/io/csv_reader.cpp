// read_csv / parse_csv: the whole file in memory (memory-mapped), cut into blocks at record
// boundaries, blocks parsed on all workers, then each column's pieces unified by widening and
// concatenated.
#include "fitcheck/io/csv_reader.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_blocks.hpp"
#include "fitcheck/io/csv_dialect.hpp"
#include "fitcheck/io/csv_dictionary.hpp"
#include "fitcheck/io/csv_file.hpp"
#include "fitcheck/io/csv_notes.hpp"
#include "fitcheck/io/csv_workers.hpp"

namespace fitcheck::io {

const std::vector<std::string>& default_na_values() {
  static const std::vector<std::string> values = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"};
  return values;
}

int csv_worker_count(const CsvOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

namespace detail {

namespace {

// Block size for the in-memory path: one block for small inputs (the type rule then sees the
// whole column), otherwise 4 MiB blocks. The size does not depend on the number of workers, so
// the types read from a file do not either.
std::size_t block_target(std::size_t bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (bytes <= 8 * kMiB) return std::max<std::size_t>(bytes, 1);
  return 4 * kMiB;
}

template <typename T>
void append(std::vector<T>& dst, const std::vector<T>& src) {
  dst.insert(dst.end(), src.begin(), src.end());
}

// Concatenates the pieces of column `col` (unified to their widest kind) into one Column.
core::Column concatenate_column(int col, std::vector<ParsedBlock>& parsed, const std::vector<BlockRange>& blocks,
                                std::string_view data, const ParseContext& ctx, const std::string& name,
                                NoteCollector& notes) {
  const auto c = static_cast<std::size_t>(col);
  Kind kind = Kind::Empty;
  std::int64_t rows = 0;
  bool any_missing = false;
  for (const auto& p : parsed) {
    kind = widen(kind, p.pieces[c].kind);
    rows += p.rows;
  }
  for (std::size_t b = 0; b < parsed.size(); ++b) {
    ColumnPiece& piece = parsed[b].pieces[c];
    if (piece.kind != kind && kind == Kind::Text && piece.kind != Kind::Empty) {
      TokenizedBlock scratch;
      const auto& r = blocks[b];
      scratch = {};
      tokenize_block(data.substr(r.begin, r.end - r.begin),
                     {.delimiter = ctx.delimiter, .expected_fields = ctx.columns, .first_line = r.first_line},
                     ctx.source, scratch);
      piece = build_column(scratch, col, ctx.na, Kind::Text);
    } else {
      widen_piece(piece, kind);
    }
    any_missing = any_missing || !piece.column.valid.empty();
  }

  core::Column out;
  out.name = name;
  out.type = column_type_of(kind);
  out.source_dtype = source_dtype_of(kind);
  if (kind == Kind::Empty) return piece_to_column(ColumnPiece{.kind = Kind::Empty, .rows = rows}, name);
  const auto n = static_cast<std::size_t>(rows);
  if (any_missing) out.valid.reserve(n);
  DictionaryEncoder dictionary;
  std::vector<std::int32_t> remap;
  switch (kind) {
    case Kind::Bool: out.b.reserve(n); break;
    case Kind::Int: out.i64.reserve(n); break;
    case Kind::Float: out.f64.reserve(n); break;
    case Kind::Text: out.codes.reserve(n); break;
    case Kind::Empty: break;
  }
  for (auto& p : parsed) {
    ColumnPiece piece = std::move(p.pieces[c]);
    if (kind == Kind::Text) {
      notes.numeric_but_text(col, piece.numeric, piece.non_missing, piece.non_numeric);
    } else {
      notes.strays_as_missing(col, kind, piece.strays_as_missing);
      notes.int_overflow(col, piece.overflow);
    }
    core::Column& src = piece.column;
    if (any_missing) {
      if (src.valid.empty()) {
        out.valid.insert(out.valid.end(), static_cast<std::size_t>(piece.rows), 1);
      } else {
        append(out.valid, src.valid);
      }
    }
    switch (kind) {
      case Kind::Bool: append(out.b, src.b); break;
      case Kind::Int: append(out.i64, src.i64); break;
      case Kind::Float: append(out.f64, src.f64); break;
      case Kind::Text:
        remap.resize(src.dictionary.size());
        for (std::size_t k = 0; k < src.dictionary.size(); ++k) remap[k] = dictionary.encode(src.dictionary[k]);
        for (const std::int32_t code : src.codes) out.codes.push_back(code < 0 ? -1 : remap[static_cast<std::size_t>(code)]);
        break;
      case Kind::Empty: break;
    }
  }
  if (kind == Kind::Text) out.dictionary = dictionary.take_dictionary();
  return out;
}

}  // namespace

// `file`, when the text is a mapped file: each block's pages are given back once parsed, so the
// file does not stay resident beside the table built from it (432 MB of a 1M x 30 CSV).
CsvResult read_text(std::string_view text, const std::string& source, const CsvOptions& options,
                    const MappedFile* file) {
  Dialect dialect = detect_on_text(text, options, source);
  ParseContext ctx{.source = source,
                   .delimiter = dialect.delimiter,
                   .columns = static_cast<int>(dialect.names.size()),
                   .na = NaMatcher(options.na_values)};
  const std::string_view data = text.substr(std::min(dialect.data_offset, text.size()));
  const int workers = csv_worker_count(options);
  const auto blocks = split_blocks(data, ctx.delimiter, block_target(data.size()), dialect.data_first_line, workers);

  std::vector<ParsedBlock> parsed(blocks.size());
  std::vector<TokenizedBlock> scratch(static_cast<std::size_t>(workers));
  std::mutex progress_mutex;
  std::int64_t done = static_cast<std::int64_t>(dialect.data_offset);
  run_tasks(blocks.size(), workers, [&](std::size_t i, int worker) {
    const auto& r = blocks[i];
    const std::int64_t lines = i + 1 < blocks.size() ? blocks[i + 1].first_line - r.first_line : 0;
    parsed[i] = parse_block(data.substr(r.begin, r.end - r.begin), r.first_line, ctx, nullptr,
                            scratch[static_cast<std::size_t>(worker)], lines);
    if (file != nullptr) file->release(data.substr(r.begin, r.end - r.begin));
    if (options.progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      done += static_cast<std::int64_t>(r.end - r.begin);
      options.progress(done, static_cast<std::int64_t>(text.size()));
    }
  });
  scratch.clear();

  CsvResult result;
  result.delimiter = dialect.delimiter;
  result.header = dialect.header;
  result.notes = dialect.notes;
  std::vector<core::Column> columns(static_cast<std::size_t>(ctx.columns));
  std::vector<NoteCollector> notes(static_cast<std::size_t>(ctx.columns));
  run_tasks(columns.size(), workers, [&](std::size_t c, int) {
    columns[c] = concatenate_column(static_cast<int>(c), parsed, blocks, data, ctx, dialect.names[c], notes[c]);
  });
  NoteCollector all;
  for (const auto& n : notes) all.merge(n);
  const auto column_notes = all.notes(dialect.names);
  result.notes.insert(result.notes.end(), column_notes.begin(), column_notes.end());

  result.table.set_source(source);
  for (auto& col : columns) result.table.add_column(std::move(col));
  return result;
}

}  // namespace detail

CsvResult read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  detail::MappedFile file(path);
  return detail::read_text(file.text(), path.string(), options, &file);
}

CsvResult parse_csv(std::string_view text, const std::string& source_name, const CsvOptions& options) {
  return detail::read_text(text, source_name, options, nullptr);
}

}  // namespace fitcheck::io
