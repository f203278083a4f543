#include "fitcheck/prep/nearest_neighbors.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <thread>
#include <utility>

namespace fitcheck::prep {

double detail::squared_distance(const float* a, const float* b, std::int64_t d) {
  double s = 0.0;
  for (std::int64_t j = 0; j < d; ++j) {
    const double t = static_cast<double>(a[j]) - static_cast<double>(b[j]);
    s += t * t;
  }
  return s;
}

namespace {

using detail::squared_distance;

using Candidate = std::pair<double, std::int64_t>;  // (squared distance, index); lexicographic order

// Keeps the k best candidates in a max-heap (worst on top).
class BestK {
 public:
  explicit BestK(std::int64_t k) : k_(static_cast<std::size_t>(k)) { heap_.reserve(k_ + 1); }
  void offer(const Candidate& c) {
    if (heap_.size() < k_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end());
    } else if (c < heap_.front()) {
      std::pop_heap(heap_.begin(), heap_.end());
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end());
    }
  }
  bool full() const { return heap_.size() == k_; }
  double worst() const { return heap_.front().first; }
  std::vector<Candidate>& sorted() {
    std::sort_heap(heap_.begin(), heap_.end());
    return heap_;
  }

 private:
  std::size_t k_;
  std::vector<Candidate> heap_;
};

constexpr std::int64_t kLeafSize = 24;

// The KD-tree prunes well in very few dimensions; from 5 it visits most leaves anyway, and the
// blocked brute force is faster at any size measured (n = 1,000..50,000 normal rows, one thread:
// 5 x at d = 6 and n = 50,000, 20 x at d = 8 and n = 20,000). At d = 4 the tree wins from about
// 30,000 rows. In 1-3 dimensions it stays: neighbours there are often far closer than the rows'
// norms, where the blocked search's float32 values cannot separate them and it falls back to
// exact passes.
bool use_tree(std::int64_t n, std::int64_t d) { return d <= 3 || (d == 4 && n >= 30000); }

class KdTree {
 public:
  KdTree(const float* x, std::int64_t n, std::int64_t d) : x_(x), d_(d), order_(static_cast<std::size_t>(n)) {
    std::iota(order_.begin(), order_.end(), 0);
    nodes_.reserve(static_cast<std::size_t>(2 * n / kLeafSize + 2));
    build(0, n);
  }

  void query(const float* q, BestK& best) const { search(0, q, best); }

 private:
  struct Node {
    std::int64_t begin, end;       // rows order_[begin, end)
    std::int64_t dim = -1;         // -1: leaf
    double split = 0.0;
    std::int32_t left = -1, right = -1;
  };

  std::int32_t build(std::int64_t begin, std::int64_t end) {
    const auto id = static_cast<std::int32_t>(nodes_.size());
    nodes_.push_back({begin, end});
    if (end - begin <= kLeafSize) return id;
    // Split on the dimension with the widest spread, at the median.
    std::int64_t best_dim = 0;
    double best_spread = -1.0;
    for (std::int64_t j = 0; j < d_; ++j) {
      float lo = x_[order_[static_cast<std::size_t>(begin)] * d_ + j], hi = lo;
      for (std::int64_t i = begin; i < end; ++i) {
        const float v = x_[order_[static_cast<std::size_t>(i)] * d_ + j];
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (static_cast<double>(hi) - static_cast<double>(lo) > best_spread) {
        best_spread = static_cast<double>(hi) - static_cast<double>(lo);
        best_dim = j;
      }
    }
    if (best_spread <= 0.0) return id;  // all points equal: keep as a leaf
    const std::int64_t mid = begin + (end - begin) / 2;
    std::nth_element(order_.begin() + begin, order_.begin() + mid, order_.begin() + end,
                     [&](std::int64_t a, std::int64_t b) { return x_[a * d_ + best_dim] < x_[b * d_ + best_dim]; });
    const double split = x_[order_[static_cast<std::size_t>(mid)] * d_ + best_dim];
    nodes_[static_cast<std::size_t>(id)].dim = best_dim;
    nodes_[static_cast<std::size_t>(id)].split = split;
    const auto left = build(begin, mid);
    const auto right = build(mid, end);
    nodes_[static_cast<std::size_t>(id)].left = left;
    nodes_[static_cast<std::size_t>(id)].right = right;
    return id;
  }

  void search(std::int32_t id, const float* q, BestK& best) const {
    const Node& node = nodes_[static_cast<std::size_t>(id)];
    if (node.dim < 0) {
      for (std::int64_t i = node.begin; i < node.end; ++i) {
        const auto row = order_[static_cast<std::size_t>(i)];
        best.offer({squared_distance(q, x_ + row * d_, d_), row});
      }
      return;
    }
    const double diff = static_cast<double>(q[node.dim]) - node.split;
    const auto near = diff < 0 ? node.left : node.right;
    const auto far = diff < 0 ? node.right : node.left;
    search(near, q, best);
    // Points on the far side are at least |diff| away; equal distance may still win on index.
    if (!best.full() || diff * diff <= best.worst()) search(far, q, best);
  }

  const float* x_;
  std::int64_t d_;
  std::vector<std::int64_t> order_;
  std::vector<Node> nodes_;
};

void run_parallel(std::int64_t n, int threads, const std::function<void(std::int64_t, std::int64_t)>& body) {
  if (threads <= 1 || n < 2048) {
    body(0, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::int64_t chunk = (n + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    const std::int64_t b = t * chunk, e = std::min(n, b + chunk);
    if (b < e) pool.emplace_back(body, b, e);
  }
  for (auto& th : pool) th.join();
}

}  // namespace

std::vector<std::int64_t> k_nearest_rows_brute(const float* x, std::int64_t n, std::int64_t d, std::int64_t k) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(n * k));
  for (std::int64_t i = 0; i < n; ++i) {
    BestK best(k);
    for (std::int64_t r = 0; r < n; ++r) best.offer({squared_distance(x + i * d, x + r * d, d), r});
    const auto& s = best.sorted();
    for (std::int64_t c = 0; c < k; ++c) out[static_cast<std::size_t>(i * k + c)] = s[static_cast<std::size_t>(c)].second;
  }
  return out;
}

std::vector<std::int64_t> k_nearest_rows(const float* x, std::int64_t n, std::int64_t d, std::int64_t k, int threads) {
  if (n <= 4 * kLeafSize) return k_nearest_rows_brute(x, n, d, k);
  if (!use_tree(n, d)) return k_nearest_rows_blocked(x, n, d, k, threads);
  const KdTree tree(x, n, d);
  std::vector<std::int64_t> out(static_cast<std::size_t>(n * k));
  run_parallel(n, threads, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      BestK best(k);
      tree.query(x + i * d, best);
      const auto& s = best.sorted();
      for (std::int64_t c = 0; c < k; ++c) out[static_cast<std::size_t>(i * k + c)] = s[static_cast<std::size_t>(c)].second;
    }
  });
  return out;
}

}  // namespace fitcheck::prep
