// Locust's CSV reports (reference §2.10), byte for byte: Python csv.writer defaults (',' and '"',
// minimal quoting, doubled quotes, "\r\n" line ends) and Python str() for numbers. Pure functions
// of an Aggregate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "stats/aggregate.hpp"

namespace hornet::stats {

/// Rows of the stats history file: the Aggregated row only, with cumulative percentiles (the
/// default), or one row per entry (sorted) then Aggregated, with current-window percentiles
/// (Locust's --csv-full-history).
enum class HistoryRows { kAggregatedOnly, kFullHistory };

/// One CSV field as Python's csv.writer writes it: quoted (with '"' doubled) only if it holds
/// ',', '"', '\r' or '\n'.
std::string csv_field(std::string_view field);

/// The fields joined by ',' and terminated by "\r\n".
std::string csv_row(std::span<const std::string> fields);

/// The header lines (with "\r\n") of the requests, failures and exceptions files.
std::string requests_csv_header();
std::string failures_csv_header();
std::string exceptions_csv_header();

/// {prefix}_stats.csv: header, one row per entry sorted by (name, method), the Aggregated row.
std::string requests_csv(const Aggregate& aggregate);

/// {prefix}_failures.csv: header, one row per error in order of first occurrence.
std::string failures_csv(const Aggregate& aggregate);

/// {prefix}_exceptions.csv: header, one row per exception (nodes joined by ", ").
std::string exceptions_csv(const Aggregate& aggregate);

/// The header line of {prefix}_stats_history.csv.
std::string stats_history_csv_header();

/// The rows appended to {prefix}_stats_history.csv at `now` (epoch seconds) with `user_count`
/// users running.
std::string stats_history_csv_rows(const Aggregate& aggregate, double now, std::uint64_t user_count,
                                   HistoryRows rows);

}  // namespace hornet::stats
