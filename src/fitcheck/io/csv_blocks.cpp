#include "fitcheck/io/csv_blocks.hpp"

#include <algorithm>

#include "fitcheck/io/csv_workers.hpp"

namespace fitcheck::io::detail {

namespace {
constexpr std::int64_t kBatchFields = 2048;
}  // namespace

ParsedBlock parse_block(std::string_view text, std::int64_t first_line, const ParseContext& ctx,
                        const std::vector<std::optional<Kind>>* floors, TokenizedBlock& scratch,
                        std::int64_t row_hint, ColumnShare share) {
  scratch.clear();
  scratch.fields.reserve(std::max<std::size_t>(scratch.fields.capacity(), text.size() / 8));
  std::vector<ColumnBuilder> builders;
  builders.reserve(static_cast<std::size_t>(ctx.columns));
  std::vector<int> owned;
  for (int c = share.part; c < ctx.columns; c += share.parts) {
    owned.push_back(c);
    std::optional<Kind> floor;
    if (floors != nullptr) floor = (*floors)[static_cast<std::size_t>(c)];
    builders.emplace_back(scratch, c, ctx.na, floor);
    if (row_hint > 0) builders.back().reserve(row_hint + 1);  // + a last line without '\n'
  }
  // Tokenize a batch of rows, then convert it column by column while its fields and text are
  // still in cache.
  const std::int64_t batch = std::max<std::int64_t>(16, kBatchFields / std::max(ctx.columns, 1));
  TokenizeOptions opt{.delimiter = ctx.delimiter, .expected_fields = ctx.columns, .first_line = first_line};
  std::size_t pos = 0;
  std::int64_t done = 0;
  while (pos < text.size()) {
    opt.max_rows = done + batch;
    pos = tokenize_block(text, opt, ctx.source, scratch, pos);
    opt.first_line = scratch.end_line;
    const std::int64_t rows = scratch.rows();
    for (auto& b : builders) b.consume(done, rows);
    done = rows;
  }
  ParsedBlock out;
  out.rows = scratch.rows();
  out.first_line = first_line;
  out.pieces.resize(static_cast<std::size_t>(ctx.columns));
  for (std::size_t i = 0; i < builders.size(); ++i) out.pieces[static_cast<std::size_t>(owned[i])] = builders[i].finish();
  return out;
}

ParsedBlock parse_block_shared(std::string_view text, std::int64_t first_line, const ParseContext& ctx,
                               std::int64_t row_hint, int workers) {
  const int parts = std::clamp(workers, 1, std::max(ctx.columns, 1));
  std::vector<ParsedBlock> shares(static_cast<std::size_t>(parts));
  run_tasks(shares.size(), parts, [&](std::size_t i, int) {
    TokenizedBlock scratch;
    shares[i] = parse_block(text, first_line, ctx, nullptr, scratch, row_hint,
                            {.part = static_cast<int>(i), .parts = parts});
  });
  ParsedBlock out = std::move(shares[0]);
  for (int c = 0; c < ctx.columns; ++c) {
    const auto k = static_cast<std::size_t>(c);
    if (c % parts != 0) out.pieces[k] = std::move(shares[static_cast<std::size_t>(c % parts)].pieces[k]);
  }
  return out;
}

std::vector<BlockRange> split_blocks(std::string_view data, char delimiter, std::size_t target,
                                     std::int64_t first_line, int workers) {
  std::vector<BlockRange> blocks;
  target = std::max<std::size_t>(target, 1);
  // Quote-free text (the common case): one parallel pass counts each segment's newlines and looks
  // for quotes; every '\n' then ends a record, so each block ends after its segment's last one
  // and holds exactly that segment's newlines.
  const std::size_t segments = (data.size() + target - 1) / target;
  if (segments > 1) {
    std::vector<PlainScan> scans(segments);
    run_tasks(segments, workers, [&](std::size_t i, int) { scans[i] = scan_plain(data.substr(i * target, target)); });
    const bool plain = std::none_of(scans.begin(), scans.end(), [](const PlainScan& s) { return s.has_quote; });
    std::size_t begin = 0;
    std::int64_t line = first_line;
    for (std::size_t i = 0; plain && i < segments; ++i) {
      std::size_t end = data.size();
      if (i + 1 < segments) {
        const std::size_t cut = after_last_newline(data.substr(i * target, target));
        if (cut == 0) break;  // a record longer than a segment: the general way below
        end = i * target + cut;
      }
      blocks.push_back({begin, end, line});
      line += scans[i].newlines;
      begin = end;
    }
    if (plain && begin == data.size()) return blocks;
    blocks.clear();
  }
  std::size_t begin = 0;
  while (begin < data.size()) {
    std::size_t end = data.size();
    if (data.size() - begin > target + target / 2) {
      std::size_t window = target;
      for (;;) {
        if (begin + window >= data.size()) break;
        const std::size_t cut = last_record_end(data.substr(begin, window), delimiter);
        if (cut > 0) {
          end = begin + cut;
          break;
        }
        window *= 2;  // a record longer than the window: look further
      }
    }
    blocks.push_back({begin, end, 0});
    begin = end;
  }
  // Each block's first line: its lines counted in parallel (a whole pass over the file), then
  // summed in order.
  std::vector<std::int64_t> lines(blocks.size());
  run_tasks(blocks.size(), workers, [&](std::size_t i, int) {
    lines[i] = count_newlines(data.substr(blocks[i].begin, blocks[i].end - blocks[i].begin));
  });
  std::int64_t line = first_line;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    blocks[i].first_line = line;
    line += lines[i];
  }
  return blocks;
}

}  // namespace fitcheck::io::detail
