// Locust's `stats` report (worker → master, every 3 s; reference §2.7 and §3.4) to and from
// Hornet's statistics deltas (stats/delta.hpp).
//
// Locust's form: {"stats": [entry...], "stats_total": entry, "errors": {key: error},
// "user_classes_count": {class: n}, "user_count": n}, where each entry is the 14-key
// StatsEntryDict (name, method, last_request_timestamp, start_time, num_requests,
// num_none_requests, num_failures, total_response_time, max_response_time, min_response_time,
// total_content_length, response_times, num_reqs_per_sec, num_fail_per_sec) with response times
// in float milliseconds and `response_times` Locust's rounded-millisecond histogram
// {key_ms: count} (reference §2.3), and errors keyed by locust_error_key().
//
// Hornet extension (kHornetKey, added only with HornetHistograms::kInclude): Locust's rounded
// dict loses up to 5% at each magnitude and its float sums drift, so a Hornet worker talking to a
// Hornet master also sends its exact data under one more top-level key, which Locust's master
// ignores (its worker_report listeners read only the five keys above):
//
//   "hornet": {"version": 1,
//              "histogram": [sub_bucket_bits, max_magnitude],   // stats::Histogram's layout
//              "stats": [E, ...],        // one per item of "stats", same order
//              "stats_total": E}
//   E = [total_response_time_us, min_response_time_us or nil, max_response_time_us, buckets]
//   buckets = [index_0, count_0, gap_1, count_1, gap_2, count_2, ...]   (a flat int array)
//
// `buckets` lists the non-empty buckets of the entry's stats::Histogram in ascending index
// order: the first pair holds the bucket index itself, each later pair the difference to the
// previous pair's index (>= 1); counts are >= 1. msgpack's variable-width ints make this compact
// (a typical bucket costs 2-6 bytes) and it stays plain msgpack, easy to inspect. A reader with
// another version or histogram layout ignores the extension and falls back to Locust's fields.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "dist/msgpack.hpp"
#include "hornet/result.hpp"
#include "stats/delta.hpp"

namespace hornet::dist {

/// Top-level key of the Hornet extension in a stats report, and its version.
inline constexpr std::string_view kHornetKey = "hornet";
inline constexpr int kHornetExtensionVersion = 1;

/// Whether report_to_wire adds the Hornet extension (only useful when the master is Hornet; a
/// Locust master ignores it, so including it is harmless but costs bytes).
enum class HornetHistograms { kOmit, kInclude };

/// A decoded stats report.
struct WireReport {
  /// The worker's delta. `exceptions` is always empty: exceptions travel as `exception`
  /// messages (control_wire.hpp), not in the report.
  stats::Delta delta;
  std::map<std::string, int> user_classes_count;
  int user_count = 0;
  /// True if the report carried a usable Hornet extension: histograms and response-time
  /// totals are then exact; otherwise they were rebuilt from Locust's rounded milliseconds.
  bool exact = false;
};

/// One StatsEntryDict (the 14 keys in Locust's order). Before any response time was recorded
/// (min_response_time absent), total and max are the int 0, as Locust sends them.
Value entry_to_wire(const stats::EntryDelta& entry);

/// The report a Locust worker would send for `delta`. Entries without traffic are omitted (as
/// Locust omits them); `stats_total` is always present. `delta.exceptions` is not part of the
/// report.
Value report_to_wire(const stats::Delta& delta,
                     const std::map<std::string, int>& user_classes_count, int user_count,
                     HornetHistograms histograms);

/// Parses a report from a Locust or Hornet worker. Keys other than the five above and the
/// extension are ignored (user listeners may add some). Counts must be non-negative ints,
/// times non-negative finite numbers, keys present with Locust's types (method and
/// min_response_time may be nil); anything else is an error naming the field. From Locust's
/// rounded dict each key's count is recorded at the key's value (key_ms * 1000 µs).
Result<WireReport> report_from_wire(const Value& data);

}  // namespace hornet::dist
