// An Aggregate whose views reproduce the numbers of the verbatim Locust run in reference §6 (and
// the matching rows of §2.10), for the renderer tests.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "stats/aggregate.hpp"

namespace hornet::stats::testing {

inline constexpr double kVerbatimStart = 1000.0;
// total_rps of "GET /" in the run is 101 / span = 16.942828288249814.
inline const double kVerbatimLast = kVerbatimStart + 101 / 16.942828288249814;

struct VerbatimRow {
  const char* method;
  const char* name;
  std::uint64_t requests;
  std::uint64_t failures;
  double avg_ms;
  double min_ms;
  double max_ms;
  std::array<int, 11> percentiles_ms;  // Locust's printed PERCENTILES_TO_REPORT
};

// N samples whose Locust percentile walk gives `targets` (truncated to whole ms): the sorted
// sample at index min(int(N * p), N - 1) is target + 0.5 ms, and every other sample takes the
// value of the next constrained index.
inline Histogram histogram_with_percentiles(std::uint64_t n, const std::array<int, 11>& targets) {
  std::array<std::uint64_t, 11> index{};
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = std::min(
        static_cast<std::uint64_t>(static_cast<double>(n) * kPercentilesToReport[i]), n - 1);
  }
  Histogram h;
  for (std::uint64_t j = 0; j < n; ++j) {
    int ms = targets.back();
    for (std::size_t i = 0; i < index.size(); ++i) {
      if (index[i] >= j) {
        ms = targets[i];
        break;
      }
    }
    h.record(static_cast<Micros>(ms) * 1000 + 500);
  }
  return h;
}

inline EntryDelta verbatim_entry(const VerbatimRow& row) {
  EntryDelta d;
  d.name = row.name;
  d.method = row.method;
  d.start_time = kVerbatimStart;
  d.last_request_timestamp = kVerbatimLast;
  d.num_requests = row.requests;
  d.num_failures = row.failures;
  d.total_response_time =
      static_cast<Micros>(std::llround(row.avg_ms * 1000 * static_cast<double>(row.requests)));
  d.min_response_time = static_cast<Micros>(std::llround(row.min_ms * 1000));
  d.max_response_time = static_cast<Micros>(std::llround(row.max_ms * 1000));
  d.total_content_length = 120 * row.requests;
  d.response_times = histogram_with_percentiles(row.requests, row.percentiles_ms);
  return d;
}

inline Aggregate verbatim_run() {
  const VerbatimRow rows[] = {
      {"GET",
       "/",
       101,
       0,
       7.10882926732733,
       2.056074999984503,
       51.558346000035726,
       {5, 7, 8, 9, 11, 13, 42, 46, 52, 52, 52}},
      {"POST", "/", 26, 26, 5.5, 2.1, 10.6, {5, 6, 7, 7, 8, 10, 11, 11, 11, 11, 11}},
      {"GET", "/missing", 37, 37, 8.5, 2.2, 45.3, {5, 7, 9, 11, 16, 42, 45, 45, 45, 45, 45}},
      {"GET",
       "/slow",
       34,
       0,
       158.08791594116994,
       155.3,
       166.75678499996138,
       {160, 160, 160, 160, 160, 170, 170, 170, 170, 170, 170}},
  };
  const VerbatimRow total = {"",
                             "Aggregated",
                             198,
                             63,
                             33.09342102525245,
                             2.056074999984503,
                             166.75678499996138,
                             {6, 8, 12, 24, 160, 160, 160, 170, 170, 170, 170}};

  Delta delta;
  // Insertion order differs from the sorted order on purpose.
  for (const VerbatimRow& row : {rows[3], rows[2], rows[0], rows[1]}) {
    delta.entries.push_back(verbatim_entry(row));
  }
  delta.total = verbatim_entry(total);
  delta.errors = {
      {"GET", "/missing",
       "HTTPError('404 Client Error: Not Found for url: http://127.0.0.1:18080/missing')", 37},
      {"POST", "/", "CatchResponseError('Got wrong response')", 26},
  };
  Aggregate aggregate(kVerbatimStart);
  aggregate.merge(delta, kVerbatimLast);
  return aggregate;
}

}  // namespace hornet::stats::testing
