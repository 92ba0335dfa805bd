// What a worker thread's Shard hands to the control thread about once a second: everything
// recorded since the previous hand-over (Locust's get_stripped_report, reference §2.7).
//
// Plain movable values with Locust's per-entry fields (StatsEntryDict, reference §2.1), so that
// the Locust wire encoder can map them one to one. Unlike Locust, response times stay in integer
// microseconds and the response-time dict is a fine Histogram; conversion to Locust's
// milliseconds happens in the views and encoders.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stats/histogram.hpp"
#include "stats/per_second_counts.hpp"

namespace hornet::stats {

/// One stats entry's counters over an interval (or, inside the Aggregate, cumulatively).
struct EntryDelta {
  std::string name;
  std::string method;
  /// Epoch seconds of the last request in the interval; nullopt if there was none.
  std::optional<double> last_request_timestamp;
  /// Epoch seconds at which the interval began (the previous take_delta or reset).
  double start_time = 0;
  std::uint64_t num_requests = 0;       // successes + failures
  std::uint64_t num_none_requests = 0;  // always 0 from Hornet; kept for Locust's schema
  std::uint64_t num_failures = 0;
  Micros total_response_time = 0;
  std::optional<Micros> min_response_time;  // nullopt until a response time was recorded
  Micros max_response_time = 0;
  std::uint64_t total_content_length = 0;  // bytes
  Histogram response_times;
  PerSecondCounts num_reqs_per_sec;
  PerSecondCounts num_fail_per_sec;

  /// Locust's StatsEntry.extend (reference §2.7): last_request_timestamp = max, start_time = min,
  /// counters and totals summed, max = max, min = min (absent-aware), histogram and per-second
  /// counts summed. name and method are left alone.
  void extend(const EntryDelta& other);

  /// True if the interval saw no request and no failure (Locust omits such entries).
  bool idle() const noexcept { return num_requests == 0 && num_failures == 0; }
};

/// One row of the errors table: a failure message for (method, name) and how often it occurred.
struct StatsError {
  std::string method;
  std::string name;
  std::string error;
  std::uint64_t occurrences = 0;
};

/// An exception raised by user code (message and traceback text), and how often.
struct ExceptionDelta {
  std::string message;
  std::string traceback;
  std::uint64_t count = 0;
};

/// Everything a Shard recorded since its previous take_delta().
struct Delta {
  /// Entries with traffic in the interval, in the order the shard first saw them.
  std::vector<EntryDelta> entries;
  /// The sum of `entries` ("Aggregated", method ""); always present, like Locust's stats_total.
  EntryDelta total;
  /// Errors of the interval, keyed by (method, name, error), in order of first occurrence.
  std::vector<StatsError> errors;
  /// Exceptions of the interval, keyed by (message, traceback), in order of first occurrence.
  std::vector<ExceptionDelta> exceptions;

  /// Adds `other`'s interval to this one (several threads' deltas into one worker report):
  /// entries by (name, method), errors by (method, name, error), exceptions by (message,
  /// traceback), each new key appended in order.
  void extend(const Delta& other);
};

}  // namespace hornet::stats
