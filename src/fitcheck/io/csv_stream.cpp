// read_csv_chunks: the file read sequentially in chunks that end at record boundaries; the first
// chunk fixes the column types, later chunks are parsed on all workers and handed to the
// consumer in file order or as they finish.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "fitcheck/core/error.hpp"
#include "fitcheck/io/csv_blocks.hpp"
#include "fitcheck/io/csv_dialect.hpp"
#include "fitcheck/io/csv_file.hpp"
#include "fitcheck/io/csv_notes.hpp"
#include "fitcheck/io/csv_reader.hpp"

namespace fitcheck::io {

namespace {

using detail::Kind;

struct Chunk {
  std::string owned;      // the bytes, when read from a file that cannot be mapped
  std::string_view text;  // the chunk: into the mapping, or `owned`
  std::int64_t first_line = 0;
  std::int64_t lines = 0;  // '\n' in text
  std::int64_t index = 0;
};

// Hands out chunks that end at record boundaries; next() is called under the caller's lock.
// A regular file is memory-mapped and each chunk's pages are given back once parsed (release),
// which saves the copy of read(2); anything else (a pipe) is read sequentially.
class ChunkProducer {
 public:
  ChunkProducer(const std::filesystem::path& path, std::size_t chunk_bytes, const CsvOptions& options)
      : mapped_(path, false), chunk_bytes_(chunk_bytes), options_(options) {
    if (mapped_.is_mapped()) {
      size_ = static_cast<std::int64_t>(mapped_.text().size());
    } else {
      file_.emplace(mapped_.take_unread(), path.string());
      size_ = file_->size();
    }
  }

  // Detects the dialect; the producer then stands at the first data record.
  detail::Dialect start(const std::string& source) {
    if (mapped_.is_mapped()) {
      detail::Dialect d = detail::detect_on_text(mapped_.text(), options_, source);
      pos_ = std::min(d.data_offset, mapped_.text().size());
      return finish_start(std::move(d));
    }
    read_more(std::max<std::size_t>(chunk_bytes_, std::size_t{1} << 20));
    for (;;) {
      auto d = detail::detect_dialect(carry_, eof_, options_, source);
      if (d) {
        carry_.erase(0, std::min(d->data_offset, carry_.size()));
        return finish_start(std::move(*d));
      }
      read_more(std::max<std::size_t>(carry_.size(), 1));
    }
  }

  bool next(Chunk& c) {
    if (mapped_.is_mapped()) {
      const std::string_view rest = mapped_.text().substr(pos_);
      if (rest.empty()) return false;
      // Near the end, smaller chunks (halving, down to 1 MiB) so that the workers finish
      // together rather than one waiting on the other's last 4 MiB. The first chunk, which fixes
      // the column types, always has the full size.
      std::size_t size = chunk_bytes_;
      if (next_index_ > 0 && rest.size() < 2 * chunk_bytes_) {
        size = std::min(chunk_bytes_, std::max(rest.size() / 2, std::size_t{1} << 20));
      }
      const std::string_view window = rest.substr(0, size);
      mapped_.populate(window);
      // Usually one pass: without quotes in the window every '\n' ends a record, so the chunk
      // ends after the window's last one and holds all of its newlines.
      const detail::PlainScan scan = detail::scan_plain(window);
      if (!scan.has_quote) {
        const std::size_t cut = window.size() == rest.size() ? rest.size() : detail::after_last_newline(window);
        if (cut > 0) {  // else a record longer than the window: the general cut below
          c.text = rest.substr(0, cut);
          pos_ += cut;
          return hand_out(c, scan.newlines);
        }
      }
      c.text = rest.substr(0, cut_point(rest, true));
      pos_ += c.text.size();
      return hand_out(c);
    }
    for (;;) {
      if (!eof_ && carry_.size() < chunk_bytes_) read_more(chunk_bytes_ - carry_.size());
      if (carry_.empty() && eof_) return false;
      const std::size_t cut = cut_point(carry_, eof_);
      if (cut == 0) {
        read_more(std::max(chunk_bytes_, carry_.size()));  // a record longer than what is read
        continue;
      }
      c.owned.swap(carry_);
      carry_.assign(c.owned.data() + cut, c.owned.size() - cut);
      c.owned.resize(cut);
      c.text = c.owned;
      return hand_out(c);
    }
  }

  // The chunk's text is no longer needed.
  void release(const Chunk& c) const { mapped_.release(c.text); }

 private:
  detail::Dialect finish_start(detail::Dialect d) {
    consumed_ = static_cast<std::int64_t>(d.data_offset);
    line_ = d.data_first_line;
    delimiter_ = d.delimiter;
    return d;
  }

  // The last record boundary within chunk_bytes, or further when a record is longer; with
  // `is_end`, `text` runs to the end of the file and may be taken whole. 0: none found.
  std::size_t cut_point(std::string_view text, bool is_end) const {
    for (std::size_t window = chunk_bytes_;; window *= 2) {
      if (window >= text.size()) return is_end ? text.size() : detail::last_record_end(text, delimiter_);
      const std::size_t cut = detail::last_record_end(text.substr(0, window), delimiter_);
      if (cut > 0) return cut;
    }
  }

  // `lines`: the '\n' in c.text when already counted.
  bool hand_out(Chunk& c, std::int64_t lines = -1) {
    c.first_line = line_;
    c.index = next_index_++;
    c.lines = lines >= 0 ? lines : detail::count_newlines(c.text);
    line_ += c.lines;
    consumed_ += static_cast<std::int64_t>(c.text.size());
    if (options_.progress) options_.progress(consumed_, size_);
    return true;
  }

  void read_more(std::size_t n) {
    const std::size_t old = carry_.size();
    carry_.resize(old + n);
    const std::size_t got = file_->read(carry_.data() + old, n);
    carry_.resize(old + got);
    if (got < n) eof_ = true;
  }

  detail::MappedFile mapped_;
  std::optional<detail::SequentialFile> file_;
  std::size_t chunk_bytes_;
  const CsvOptions& options_;
  std::int64_t size_ = 0;
  std::size_t pos_ = 0;  // mapped: where the next chunk starts
  std::string carry_;    // sequential: bytes read but not handed out
  bool eof_ = false;
  char delimiter_ = ',';
  std::int64_t line_ = 1;
  std::int64_t consumed_ = 0;
  std::int64_t next_index_ = 0;
};

core::Table make_table(detail::ParsedBlock& parsed, const std::vector<std::string>& names, const std::string& source) {
  core::Table t;
  t.set_source(source);
  for (std::size_t c = 0; c < names.size(); ++c) {
    t.add_column(detail::piece_to_column(std::move(parsed.pieces[c]), names[c]));
  }
  return t;
}

void collect_notes(const detail::ParsedBlock& parsed, const std::vector<std::optional<Kind>>* floors,
                   detail::NoteCollector& notes) {
  for (std::size_t c = 0; c < parsed.pieces.size(); ++c) {
    const auto& p = parsed.pieces[c];
    const int col = static_cast<int>(c);
    if (p.kind == Kind::Text) {
      notes.numeric_but_text(col, p.numeric, p.non_missing, p.non_numeric);
    } else {
      notes.strays_as_missing(col, p.kind, p.strays_as_missing);
      notes.int_overflow(col, p.overflow);
    }
    if (floors != nullptr && (*floors)[c] && *(*floors)[c] != p.kind) {
      notes.widened(col, *(*floors)[c], p.kind, parsed.first_line);
    }
  }
}

}  // namespace

CsvStreamResult read_csv_chunks(const std::filesystem::path& path, std::int64_t chunk_bytes,
                                const std::function<void(const CsvChunk&)>& on_chunk, const CsvOptions& options,
                                ChunkOrder order) {
  const std::string source = path.string();
  ChunkProducer producer(path, static_cast<std::size_t>(std::max<std::int64_t>(chunk_bytes, 1)), options);
  detail::Dialect dialect = producer.start(source);
  const detail::ParseContext ctx{.source = source,
                                 .delimiter = dialect.delimiter,
                                 .columns = static_cast<int>(dialect.names.size()),
                                 .na = detail::NaMatcher(options.na_values)};
  CsvStreamResult result;
  result.column_names = dialect.names;
  result.delimiter = dialect.delimiter;
  result.header = dialect.header;

  // The first chunk alone decides the column types.
  detail::NoteCollector notes;
  std::vector<std::optional<Kind>> floors(static_cast<std::size_t>(ctx.columns));
  std::atomic<std::int64_t> rows{0};
  // The first chunk is handed to the consumer by worker 0 while the others parse on.
  core::Table first_table;
  std::int64_t first_line = 0;
  {
    Chunk first;
    if (!producer.next(first)) {
      result.notes = dialect.notes;
      return result;
    }
    // Nothing else can start before it: its columns are shared among the workers.
    detail::ParsedBlock parsed =
        detail::parse_block_shared(first.text, first.first_line, ctx, first.lines, csv_worker_count(options));
    producer.release(first);
    for (std::size_t c = 0; c < floors.size(); ++c) {
      if (parsed.pieces[c].kind != Kind::Empty) floors[c] = parsed.pieces[c].kind;
    }
    collect_notes(parsed, nullptr, notes);
    rows += parsed.rows;
    first_table = make_table(parsed, dialect.names, source);
    first_line = first.first_line;
  }

  const int workers = csv_worker_count(options);
  std::mutex read_mutex;
  std::mutex emit_mutex;
  std::condition_variable emitted;
  std::int64_t next_emit = 0;
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::int64_t error_index = INT64_MAX;
  std::vector<detail::NoteCollector> worker_notes(static_cast<std::size_t>(workers));

  auto fail = [&](std::int64_t index) {
    {
      std::lock_guard<std::mutex> lock(emit_mutex);
      if (index < error_index) {
        error_index = index;
        error = std::current_exception();
      }
      stop = true;
    }
    emitted.notify_all();
  };

  // Hands a parsed chunk to the consumer, in file order when asked; false once stopped.
  auto emit = [&](const CsvChunk& view) {
    if (order == ChunkOrder::FileOrder) {
      std::unique_lock<std::mutex> lock(emit_mutex);
      emitted.wait(lock, [&] { return stop || next_emit == view.index; });
      if (stop) return false;
      lock.unlock();
      on_chunk(view);
      lock.lock();
      ++next_emit;
      lock.unlock();
      emitted.notify_all();
    } else {
      on_chunk(view);
    }
    return true;
  };

  auto work = [&](int worker) {
    if (worker == 0) {
      try {
        if (!emit(CsvChunk{.table = first_table, .first_line = first_line, .index = 0, .worker = 0})) return;
      } catch (...) {
        fail(0);
        return;
      }
      first_table = core::Table();
    }
    detail::TokenizedBlock scratch;
    Chunk chunk;
    for (;;) {
      if (stop) return;
      try {
        std::lock_guard<std::mutex> lock(read_mutex);
        if (stop || !producer.next(chunk)) return;
      } catch (...) {
        fail(INT64_MAX - 1);
        return;
      }
      try {
        detail::ParsedBlock parsed = detail::parse_block(chunk.text, chunk.first_line, ctx, &floors, scratch, chunk.lines);
        producer.release(chunk);
        collect_notes(parsed, &floors, worker_notes[static_cast<std::size_t>(worker)]);
        rows += parsed.rows;
        const core::Table table = make_table(parsed, dialect.names, source);
        if (!emit(CsvChunk{.table = table, .first_line = chunk.first_line, .index = chunk.index, .worker = worker})) return;
      } catch (...) {
        fail(chunk.index);
        return;
      }
    }
  };

  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);

  for (const auto& n : worker_notes) notes.merge(n);
  result.notes = dialect.notes;
  const auto column_notes = notes.notes(dialect.names);
  result.notes.insert(result.notes.end(), column_notes.begin(), column_notes.end());
  result.rows = rows;
  return result;
}

}  // namespace fitcheck::io
