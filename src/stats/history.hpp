// The run as a time series, one point a second: what the web UI's charts draw, what a reloaded
// page redraws from (/stats/history), and what the HTML report plots. Memory is bounded on long
// runs: when the series is full, its older half is thinned to every other point, so recent data
// keeps 1 s resolution and old data coarsens (2 s, 4 s, ...) instead of being dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stats/aggregate.hpp"

namespace hornet::stats {

/// One sample of the whole run (the Aggregated row and the runner).
struct HistoryPoint {
  double time = 0;        // epoch seconds
  std::string state;      // runner state: "spawning", "running", ...
  int user_count = 0;
  std::uint64_t num_requests = 0;  // cumulative
  std::uint64_t num_failures = 0;  // cumulative
  double current_rps = 0;
  double current_fail_per_sec = 0;
  // Response times in ms. The percentiles are over the current window (Locust's
  // current_response_time_percentile); nullopt before the window has data.
  std::optional<double> p50, p95, p99;
  double avg_response_time = 0;
  double median_response_time = 0;  // cumulative, as /stats/requests reports it
  std::optional<double> min_response_time;
  double max_response_time = 0;
};

/// Samples an Aggregate at `now` (epoch seconds) for the given runner state and user count.
HistoryPoint sample(const Aggregate& aggregate, double now, std::string state, int user_count);

class History {
 public:
  /// `capacity`: points kept before the older half is thinned (at least 4).
  explicit History(std::size_t capacity = 4096);

  void append(HistoryPoint point);
  /// Forgets every point (a new test).
  void clear() noexcept { points_.clear(); }

  const std::vector<HistoryPoint>& points() const noexcept { return points_; }
  std::size_t size() const noexcept { return points_.size(); }
  bool empty() const noexcept { return points_.empty(); }

 private:
  std::size_t capacity_;
  std::vector<HistoryPoint> points_;
};

}  // namespace hornet::stats
