#include "stats/history.hpp"

#include <algorithm>

namespace hornet::stats {

HistoryPoint sample(const Aggregate& aggregate, double now, std::string state, int user_count) {
  const StatsEntry& total = aggregate.total();
  HistoryPoint point;
  point.time = now;
  point.state = std::move(state);
  point.user_count = user_count;
  point.num_requests = total.num_requests();
  point.num_failures = total.num_failures();
  point.current_rps = total.current_rps();
  point.current_fail_per_sec = total.current_fail_per_sec();
  static constexpr double kPercentiles[] = {0.5, 0.95, 0.99};
  if (auto window = total.current_response_time_percentiles(kPercentiles, now)) {
    point.p50 = (*window)[0];
    point.p95 = (*window)[1];
    point.p99 = (*window)[2];
  }
  point.avg_response_time = total.avg_response_time();
  point.median_response_time = total.median_response_time();
  point.min_response_time = total.min_response_time();
  point.max_response_time = total.max_response_time();
  return point;
}

History::History(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 4)) {
  points_.reserve(std::min<std::size_t>(capacity_, 1024));
}

void History::append(HistoryPoint point) {
  if (points_.size() >= capacity_) {
    // Keep every other point of the older half; the newer half stays at full resolution.
    const std::size_t half = points_.size() / 2;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < half; i += 2) points_[kept++] = std::move(points_[i]);
    for (std::size_t i = half; i < points_.size(); ++i) points_[kept++] = std::move(points_[i]);
    points_.resize(kept);
  }
  points_.push_back(std::move(point));
}

}  // namespace hornet::stats
