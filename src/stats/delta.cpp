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

void Delta::extend(const Delta& other) {
  // Intervals are short and hold few entries: linear lookups keep first-seen order simply.
  for (const EntryDelta& entry : other.entries) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const EntryDelta& mine) {
      return mine.name == entry.name && mine.method == entry.method;
    });
    if (it == entries.end()) {
      entries.push_back(entry);
    } else {
      it->extend(entry);
    }
  }
  total.extend(other.total);
  for (const StatsError& error : other.errors) {
    auto it = std::find_if(errors.begin(), errors.end(), [&](const StatsError& mine) {
      return mine.method == error.method && mine.name == error.name && mine.error == error.error;
    });
    if (it == errors.end()) {
      errors.push_back(error);
    } else {
      it->occurrences += error.occurrences;
    }
  }
  for (const ExceptionDelta& exception : other.exceptions) {
    auto it = std::find_if(exceptions.begin(), exceptions.end(), [&](const ExceptionDelta& mine) {
      return mine.message == exception.message && mine.traceback == exception.traceback;
    });
    if (it == exceptions.end()) {
      exceptions.push_back(exception);
    } else {
      it->count += exception.count;
    }
  }
}

}  // namespace hornet::stats
