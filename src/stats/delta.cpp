#include "stats/delta.hpp"

#include <algorithm>

namespace hornet::stats {

void EntryDelta::extend(const EntryDelta& other) {
  if (other.last_request_timestamp &&
      (!last_request_timestamp || *other.last_request_timestamp > *last_request_timestamp)) {
    last_request_timestamp = other.last_request_timestamp;
  }
  start_time = std::min(start_time, other.start_time);
  num_requests += other.num_requests;
  num_none_requests += other.num_none_requests;
  num_failures += other.num_failures;
  total_response_time += other.total_response_time;
  max_response_time = std::max(max_response_time, other.max_response_time);
  if (other.min_response_time &&
      (!min_response_time || *other.min_response_time < *min_response_time)) {
    min_response_time = other.min_response_time;
  }
  total_content_length += other.total_content_length;
  response_times.merge(other.response_times);
  num_reqs_per_sec.merge(other.num_reqs_per_sec);
  num_fail_per_sec.merge(other.num_fail_per_sec);
}

}  // namespace hornet::stats
