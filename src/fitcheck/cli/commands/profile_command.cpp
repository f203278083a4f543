// fitcheck profile DATA [--target COL] [--format text|json] [--max-memory SIZE] [--report FILE]: what is in a
// CSV, .npy or .npz file — per-column statistics, duplicate rows and, with a target, the label.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fitcheck/cli/commands/command.hpp"
#include "fitcheck/cli/commands/memory_size.hpp"
#include "fitcheck/core/error.hpp"
#include "fitcheck/io/atomic_write.hpp"
#include "fitcheck/profile/profile_json.hpp"
#include "fitcheck/profile/profile_text.hpp"
#include "fitcheck/profile/table_profile.hpp"
#include "fitcheck/report/html_report.hpp"

namespace fitcheck::cli {
namespace {

struct ProfileCommandOptions {
  std::string path;
  std::string target;
  std::string format = "text";
  std::string max_memory;
  std::vector<std::string> npz_keys;
  int threads = 0;
  std::string report;
};

constexpr std::int64_t kProgressThreshold = 50LL << 20;  // progress bar for files above 50 MB
constexpr std::int64_t kBaseMemory = 24LL << 20;          // the process itself: code, libraries, stacks

// Columns and bytes per row from the file's first 64 KiB, to size the chunks before reading.
struct CsvShape {
  int columns = 1;
  double bytes_per_row = 64.0;
};

CsvShape sample_csv_shape(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string sample(64 * 1024, '\0');
  in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
  sample.resize(static_cast<std::size_t>(in.gcount()));
  CsvShape shape;
  const std::size_t first_end = std::min(sample.find('\n'), sample.size());
  for (char d : {',', ';', '\t', '|'}) {
    shape.columns = std::max(shape.columns, 1 + static_cast<int>(std::count(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(first_end), d)));
  }
  const auto lines = std::count(sample.begin(), sample.end(), '\n');
  if (lines > 0) shape.bytes_per_row = static_cast<double>(sample.size()) / static_cast<double>(lines);
  return shape;
}

// Splits a memory cap between the fixed costs (process, row hashes, per-worker statistics) and the
// CSV blocks in flight. Each worker holds its block's text and its parsed table (~1x more) and
// the reader keeps a block ahead, hence 3 blocks per worker plus 2.
void fit_in_memory(std::int64_t cap, const std::filesystem::path& path, profile::FileProfileOptions& options) {
  const std::int64_t file_size = static_cast<std::int64_t>(std::filesystem::file_size(path));
  const CsvShape shape = sample_csv_shape(path);
  const std::int64_t workers = std::max(1, io::csv_worker_count(options.csv));
  const auto rows = static_cast<std::int64_t>(static_cast<double>(file_size) / shape.bytes_per_row) + 1;
  // 16 bytes per row (in blocks: no growth slack), plus the estimate's slack.
  const std::int64_t row_hashes = 20 * rows;
  const std::int64_t fixed = kBaseMemory + row_hashes;
  const std::int64_t for_stats = (cap - fixed) / 5;
  // Exact value counts cost ~24 bytes per distinct value, per column and worker.
  const std::int64_t per_column = std::max<std::int64_t>(1, shape.columns * workers);
  const std::int64_t limit = std::clamp<std::int64_t>(for_stats / (per_column * 24) - 1024, 256, 65536);
  options.profile.columns.exact_distinct_limit = static_cast<std::size_t>(limit);
  const std::int64_t sketches = per_column * (64 << 10) + per_column * limit * 24;
  const std::int64_t for_blocks = cap - fixed - sketches;
  const std::int64_t chunk = for_blocks / (3 * workers + 2);
  constexpr std::int64_t kMinChunk = 256 << 10;
  if (chunk < kMinChunk) {
    const std::int64_t need = fixed + sketches + kMinChunk * (3 * workers + 2);
    throw core::InputError({.where = "--max-memory",
                            .what = fmt::format("{} MB is too little to profile {} ({} MB, about {} rows)", cap >> 20,
                                                path.string(), file_size >> 20, rows),
                            .expected = fmt::format("at least {} MB", (need >> 20) + 1),
                            .got = fmt::format("{} MB", cap >> 20)});
  }
  options.chunk_bytes = chunk;
}

class ProgressBar {
 public:
  void update(std::int64_t done, std::int64_t total) {
    std::lock_guard lock(mutex_);
    if (total <= 0) return;
    const int percent = static_cast<int>(100 * std::min(done, total) / total);
    if (percent == last_) return;
    last_ = percent;
    constexpr int kWidth = 40;
    const int filled = percent * kWidth / 100;
    fmt::print(stderr, "\r[{}{}] {:3d}%  {} / {} MB", std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(kWidth - filled), ' '), percent, done >> 20, total >> 20);
    std::fflush(stderr);
  }
  void clear() {
    std::lock_guard lock(mutex_);
    if (last_ >= 0) fmt::print(stderr, "\r\x1b[K");
  }

 private:
  std::mutex mutex_;
  int last_ = -1;
};

bool colour_on_stdout() { return isatty(fileno(stdout)) != 0 && std::getenv("NO_COLOR") == nullptr; }

int run_profile(const ProfileCommandOptions& opt) {
  const std::filesystem::path path(opt.path);
  profile::FileProfileOptions options;
  options.npz_keys = opt.npz_keys;
  options.csv.threads = opt.threads;
  const bool is_csv = path.extension() != ".npy" && path.extension() != ".npz";
  if (!opt.max_memory.empty()) {
    const std::int64_t cap = parse_memory_size(opt.max_memory, "--max-memory");
    if (is_csv) fit_in_memory(cap, path, options);
  }
  ProgressBar bar;
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  if (is_csv && !ec && size > kProgressThreshold && isatty(fileno(stderr)) != 0) {
    options.csv.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
  }
  profile::TableProfile result = profile::profile_file(path, options);
  bar.clear();
  std::optional<profile::LabelProfile> label;
  if (!opt.target.empty()) label = profile::profile_label(result, opt.target);
  // The JSON document, built once: printed with --format json, drawn by --report.
  nlohmann::ordered_json document;
  if (opt.format == "json" || !opt.report.empty()) document = profile::profile_to_json(result, label);
  if (!opt.report.empty()) {
    io::write_file_atomically(opt.report, report::render_profile_report(document));
    if (opt.format != "json") std::fprintf(stderr, "fitcheck: wrote the report to %s\n", opt.report.c_str());
  }
  if (opt.format == "json") {
    fmt::print("{}\n", document.dump(2));
  } else {
    fmt::print("{}", profile::profile_to_text(result, label, {.colour = colour_on_stdout()}));
  }
  return 0;
}

}  // namespace

void register_profile_command(CLI::App& app, CommandAction& action) {
  auto opt = std::make_shared<ProfileCommandOptions>();
  auto* cmd = app.add_subcommand("profile", "What is in the data: per-column statistics, duplicates, the label.");
  cmd->add_option("data", opt->path, "A CSV, .npy or .npz file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--target", opt->target, "The label column: adds the label profile");
  cmd->add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--report", opt->report, "Also write a self-contained HTML report with charts to this file");
  cmd->add_option("--max-memory", opt->max_memory,
                  "Stay within this much memory, e.g. 512M or 2G (CSV is streamed in blocks sized to fit)");
  cmd->add_option("--npz-keys", opt->npz_keys, "The .npz arrays to profile together (all by default)")->delimiter(',');
  cmd->add_option("--threads", opt->threads,
                  "Worker threads for CSV (0: all cores; 1 gives bit-identical output from run to run)")
      ->check(CLI::Range(0, 256));
  cmd->callback([opt, &action] { action = [opt] { return run_profile(*opt); }; });
}

}  // namespace fitcheck::cli
