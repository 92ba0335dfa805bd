// Locust's console tables (reference §6), byte for byte. Pure functions of an Aggregate.
#pragma once

#include <optional>
#include <string>

#include "stats/aggregate.hpp"

namespace hornet::stats {

/// Locust's STATS_TYPE_WIDTH.
inline constexpr int kStatsTypeWidth = 8;

/// Which rates the stats table shows: the periodic table shows current_rps/current_fail_per_sec,
/// the final summary total_rps/total_fail_per_sec.
enum class RateColumns { kCurrent, kTotal };

/// Locust's STATS_NAME_WIDTH: 80 when stdout is not a terminal (`terminal_columns` nullopt),
/// else max(min(columns - 80, 80), 0).
int stats_name_width(std::optional<int> terminal_columns) noexcept;

/// The width of the terminal on stdout, or nullopt if stdout is not a terminal.
std::optional<int> stdout_terminal_columns() noexcept;

/// The stats table: header, separator, one row per entry sorted by (name, method), separator,
/// the Aggregated row, then an empty line. Every line ends with '\n'. `name_width` is
/// STATS_NAME_WIDTH (see stats_name_width()).
std::string stats_table(const Aggregate& aggregate, RateColumns rates, int name_width);

/// "Response time percentiles (approximated)": header, separator, rows of entries with a
/// non-empty histogram, separator, the Aggregated row if its histogram is non-empty, an empty
/// line.
std::string percentiles_table(const Aggregate& aggregate, int name_width);

/// "Error report" with one row per error ("METHOD NAME: error"), ending with an empty line; the
/// empty string when there are no errors (Locust prints nothing then).
std::string error_report(const Aggregate& aggregate, int name_width);

}  // namespace hornet::stats
