// Times fitcheck's CSV reading of one file: read_csv (whole table, all workers) and
// read_csv_chunks (streaming, AnyOrder, the way the profiler reads). Prints one line per mode:
//   <mode> <seconds> <MB/s> <rows> <cpu seconds of the process>
// CPU seconds tell per-core speed even when other processes share the machine.
// Run by csv_parse_bench.py, which times pandas on the same file and prints the ratio.
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include "fitcheck/io/csv_reader.hpp"

namespace {

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.csv [chunk_bytes] [threads] [both|read_csv|read_csv_chunks]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path path = argv[1];
  const std::int64_t chunk_bytes = argc > 2 ? std::atoll(argv[2]) : (std::int64_t{4} << 20);
  fitcheck::io::CsvOptions options;
  options.threads = argc > 3 ? std::atoi(argv[3]) : 0;
  const std::string mode = argc > 4 ? argv[4] : "both";
  try {
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    if (mode != "read_csv_chunks") {
      const double c0 = cpu_seconds();
      const auto t0 = std::chrono::steady_clock::now();
      const auto result = fitcheck::io::read_csv(path, options);
      const double s = seconds_since(t0);
      std::printf("read_csv %.4f %.1f %lld %.4f\n", s, mb / s, static_cast<long long>(result.table.num_rows()),
                  cpu_seconds() - c0);
    }
    if (mode != "read_csv") {
      const double c0 = cpu_seconds();
      const auto t0 = std::chrono::steady_clock::now();
      std::int64_t cells = 0;
      const auto result = fitcheck::io::read_csv_chunks(
          path, chunk_bytes,
          [&](const fitcheck::io::CsvChunk& chunk) {
            // A consumer that touches nothing: this times the reader alone.
            if (chunk.table.num_columns() < 0) ++cells;
          },
          options, fitcheck::io::ChunkOrder::AnyOrder);
      const double s = seconds_since(t0);
      std::printf("read_csv_chunks %.4f %.1f %lld %.4f\n", s, mb / s, static_cast<long long>(result.rows + cells),
                  cpu_seconds() - c0);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
