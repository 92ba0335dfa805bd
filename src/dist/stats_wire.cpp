#include "dist/stats_wire.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "dist/control_wire.hpp"
#include "dist/error_key.hpp"
#include "dist/wire_reader.hpp"

namespace hornet::dist {

namespace {

using stats::Histogram;
using stats::Micros;

double to_ms(Micros micros) {
  return static_cast<double>(micros) / 1000.0;
}

Value per_second_to_wire(const stats::PerSecondCounts& counts) {
  Map out;
  out.reserve(counts.size());
  for (const auto& [second, count] : counts.items()) out.emplace_back(second, count);
  return out;
}

Value response_times_to_wire(const Histogram& histogram) {
  const std::vector<stats::RoundedBucket> buckets = histogram.locust_response_times();
  Map out;
  out.reserve(buckets.size());
  for (const auto& bucket : buckets) out.emplace_back(bucket.key_ms, bucket.count);
  return out;
}

Value hornet_entry(const stats::EntryDelta& entry) {
  Array buckets;
  std::uint32_t previous = 0;
  entry.response_times.for_each([&](Micros representative, std::uint64_t count) {
    const std::uint32_t index = Histogram::bucket_index(representative);
    buckets.emplace_back(index - previous);
    buckets.emplace_back(count);
    previous = index;
  });
  return Array{entry.total_response_time,
               entry.min_response_time ? Value(*entry.min_response_time) : Value(),
               entry.max_response_time, std::move(buckets)};
}

Value hornet_extension(const stats::Delta& delta) {
  Array entries;
  for (const auto& entry : delta.entries) {
    if (!entry.idle()) entries.push_back(hornet_entry(entry));
  }
  return Map{{"version", kHornetExtensionVersion},
             {"histogram", Array{Histogram::kSubBucketBits, Histogram::kMaxMagnitude}},
             {"stats", std::move(entries)},
             {"stats_total", hornet_entry(delta.total)}};
}

// Adds `n` to `sum`, recording an error on overflow (only absurd input gets there).
void add_checked(WireReader& r, std::uint64_t& sum, std::uint64_t n, std::string_view what) {
  if (sum > UINT64_MAX - n) {
    r.fail(what, "counts overflow");
    return;
  }
  sum += n;
}

// A {epoch second: count} dict. Items are sorted before insertion so that any key order costs
// O(n log n) (PerSecondCounts inserts out-of-order seconds in linear time).
stats::PerSecondCounts per_second_from_wire(WireReader& r, std::string_view key) {
  std::vector<stats::PerSecondCounts::Item> items;
  const Map& map = r.map(key);
  items.reserve(map.size());
  std::uint64_t sum = 0;
  for (const auto& [second, count] : map) {
    const std::int64_t s = r.second_of(second, key);
    const std::uint64_t c = r.count_of(count, key);
    add_checked(r, sum, c, key);
    if (!r.ok()) return {};
    items.emplace_back(s, c);
  }
  std::sort(items.begin(), items.end());
  stats::PerSecondCounts out;
  for (const auto& [second, count] : items) out.add(second, count);
  return out;
}

// Locust's {rounded ms: count}: each key's count recorded at the key's value.
Histogram response_times_from_wire(WireReader& r) {
  Histogram histogram;
  std::uint64_t sum = 0;
  for (const auto& [key, count] : r.map("response_times")) {
    const Micros micros = r.millis_of(key, "response_times");
    const std::uint64_t c = r.count_of(count, "response_times");
    add_checked(r, sum, c, "response_times");
    if (!r.ok()) return {};
    histogram.record(micros, c);
  }
  return histogram;
}

Result<stats::EntryDelta> entry_from_wire(const Value& data, std::string where) {
  WireReader r(data, std::move(where));
  stats::EntryDelta e;
  e.name = r.string("name");
  e.method = r.string_or_nil("method");
  e.last_request_timestamp = r.number_or_nil("last_request_timestamp");
  e.start_time = r.number("start_time");
  e.num_requests = r.count("num_requests");
  e.num_none_requests = r.count("num_none_requests");
  e.num_failures = r.count("num_failures");
  e.total_response_time = r.millis("total_response_time");
  e.max_response_time = r.millis("max_response_time");
  e.min_response_time = r.millis_or_nil("min_response_time");
  e.total_content_length = r.count("total_content_length");
  e.response_times = response_times_from_wire(r);
  e.num_reqs_per_sec = per_second_from_wire(r, "num_reqs_per_sec");
  e.num_fail_per_sec = per_second_from_wire(r, "num_fail_per_sec");
  if (!r.ok()) return r.error();
  return e;
}

Result<stats::StatsError> error_from_wire(const Value& data, std::string where) {
  WireReader r(data, std::move(where));
  stats::StatsError e;
  e.name = r.string("name");
  e.method = r.string_or_nil("method");
  e.error = r.string("error");
  e.occurrences = r.count("occurrences");
  if (!r.ok()) return r.error();
  return e;
}

// Replaces `entry`'s response-time data by the exact values of one extension item E.
Result<void> apply_hornet_entry(const Value& item, const std::string& where,
                                stats::EntryDelta& entry) {
  const Array* fields = item.as_array();
  if (fields == nullptr || fields->size() != 4) {
    return Error{where + ": expected [total_us, min_us, max_us, buckets]"};
  }
  const auto total = (*fields)[0].as_uint();
  const auto max = (*fields)[2].as_uint();
  const auto min = (*fields)[1].as_uint();
  const Array* buckets = (*fields)[3].as_array();
  if (!total || !max || (!min && !(*fields)[1].is_nil()) || buckets == nullptr) {
    return Error{where + ": expected [total_us, min_us, max_us, buckets] of non-negative ints"};
  }
  if (buckets->size() % 2 != 0) return Error{where + ": odd number of bucket items"};
  Histogram histogram;
  std::uint64_t index = 0;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < buckets->size(); i += 2) {
    const auto gap = (*buckets)[i].as_uint();
    const auto count = (*buckets)[i + 1].as_uint();
    if (!gap || !count || *count == 0 || (i != 0 && *gap == 0)) {
      return Error{where + ": bucket " + std::to_string(i / 2) +
                   ": expected an increasing index and a count >= 1"};
    }
    if (*gap >= Histogram::kBucketCount || index + *gap >= Histogram::kBucketCount) {
      return Error{where + ": bucket index out of range"};
    }
    if (sum > UINT64_MAX - *count) return Error{where + ": counts overflow"};
    index += *gap;
    sum += *count;
    histogram.record(Histogram::bucket_representative(static_cast<std::uint32_t>(index)), *count);
  }
  entry.total_response_time = *total;
  entry.min_response_time = min;
  entry.max_response_time = *max;
  entry.response_times = std::move(histogram);
  return {};
}

// Applies the extension if its version and layout are ours; returns whether it was applied.
Result<bool> apply_hornet_extension(const Value& ext, stats::Delta& delta) {
  const Value* version = ext.find("version");
  const Value* layout = ext.find("histogram");
  if (version == nullptr || version->as_int() != kHornetExtensionVersion || layout == nullptr ||
      *layout != Value(Array{Histogram::kSubBucketBits, Histogram::kMaxMagnitude})) {
    return false;  // another Hornet's format: Locust's fields are still there
  }
  const Value* entries = ext.find("stats");
  const Value* total = ext.find("stats_total");
  if (entries == nullptr || !entries->is_array() || total == nullptr) {
    return Error{"stats: hornet: expected \"stats\" (an array) and \"stats_total\""};
  }
  if (entries->as_array()->size() != delta.entries.size()) {
    return Error{"stats: hornet.stats has " + std::to_string(entries->as_array()->size()) +
                 " items for " + std::to_string(delta.entries.size()) + " entries"};
  }
  for (std::size_t i = 0; i < delta.entries.size(); ++i) {
    Result<void> applied =
        apply_hornet_entry((*entries->as_array())[i],
                           "stats: hornet.stats[" + std::to_string(i) + "]", delta.entries[i]);
    if (!applied) return applied.error();
  }
  Result<void> applied = apply_hornet_entry(*total, "stats: hornet.stats_total", delta.total);
  if (!applied) return applied.error();
  return true;
}

}  // namespace

Value entry_to_wire(const stats::EntryDelta& entry) {
  // Locust's shape before the first response time: min None, total and max the int 0.
  const bool timed = entry.min_response_time.has_value() || entry.total_response_time != 0 ||
                     entry.max_response_time != 0;
  return Map{
      {"name", entry.name},
      {"method", entry.method},
      {"last_request_timestamp",
       entry.last_request_timestamp ? Value(*entry.last_request_timestamp) : Value()},
      {"start_time", entry.start_time},
      {"num_requests", entry.num_requests},
      {"num_none_requests", entry.num_none_requests},
      {"num_failures", entry.num_failures},
      {"total_response_time", timed ? Value(to_ms(entry.total_response_time)) : Value(0)},
      {"max_response_time", timed ? Value(to_ms(entry.max_response_time)) : Value(0)},
      {"min_response_time",
       entry.min_response_time ? Value(to_ms(*entry.min_response_time)) : Value()},
      {"total_content_length", entry.total_content_length},
      {"response_times", response_times_to_wire(entry.response_times)},
      {"num_reqs_per_sec", per_second_to_wire(entry.num_reqs_per_sec)},
      {"num_fail_per_sec", per_second_to_wire(entry.num_fail_per_sec)},
  };
}

Value report_to_wire(const stats::Delta& delta,
                     const std::map<std::string, int>& user_classes_count, int user_count,
                     HornetHistograms histograms) {
  Array entries;
  entries.reserve(delta.entries.size());
  for (const auto& entry : delta.entries) {
    if (!entry.idle()) entries.push_back(entry_to_wire(entry));
  }
  Map errors;
  errors.reserve(delta.errors.size());
  for (const auto& error : delta.errors) {
    errors.emplace_back(locust_error_key(error.method, error.name, error.error),
                        Map{{"name", error.name},
                            {"method", error.method},
                            {"error", error.error},
                            {"occurrences", error.occurrences}});
  }
  Map report{{"stats", std::move(entries)},
             {"stats_total", entry_to_wire(delta.total)},
             {"errors", std::move(errors)},
             {"user_classes_count", class_counts_to_wire(user_classes_count)},
             {"user_count", user_count}};
  if (histograms == HornetHistograms::kInclude) {
    report.emplace_back(kHornetKey, hornet_extension(delta));
  }
  return report;
}

Result<WireReport> report_from_wire(const Value& data) {
  WireReader r(data, "stats");
  WireReport report;
  const Array& entries = r.array("stats");
  const Value* total = r.required("stats_total");
  const Map& errors = r.map("errors");
  report.user_classes_count = r.class_counts("user_classes_count");
  report.user_count = r.small_count("user_count");
  if (!r.ok()) return r.error();

  report.delta.entries.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Result<stats::EntryDelta> entry =
        entry_from_wire(entries[i], "stats: stats[" + std::to_string(i) + "]");
    if (!entry) return entry.error();
    report.delta.entries.push_back(std::move(entry).value());
  }
  Result<stats::EntryDelta> total_entry = entry_from_wire(*total, "stats: stats_total");
  if (!total_entry) return total_entry.error();
  report.delta.total = std::move(total_entry).value();

  report.delta.errors.reserve(errors.size());
  for (const auto& [key, value] : errors) {
    const std::string* k = key.as_string();
    Result<stats::StatsError> error =
        error_from_wire(value, "stats: errors[" + (k != nullptr ? *k : std::string("?")) + "]");
    if (!error) return error.error();
    report.delta.errors.push_back(std::move(error).value());
  }

  if (const Value* ext = r.optional(kHornetKey); ext != nullptr) {
    if (!ext->is_map()) return Error{"stats: hornet: expected a map"};
    Result<bool> applied = apply_hornet_extension(*ext, report.delta);
    if (!applied) return applied.error();
    report.exact = *applied;
  }
  return report;
}

}  // namespace hornet::dist
