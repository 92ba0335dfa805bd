// Locust's timespan syntax ("20", "20s", "3m", "2h", "1h20m", "3h30m10s"), used by -t/--run-time
// and -s/--stop-timeout.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "hornet/result.hpp"

namespace hornet::cli {

/// The longest timespan accepted: what fits in a std::chrono::nanoseconds (about 292 years), so a
/// parsed span can be added to any standard clock's time_point without overflow.
inline constexpr std::chrono::seconds kMaxTimespan =
    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::nanoseconds::max());

/// Parses a timespan into whole seconds, as Locust's `parse_timespan` does:
/// - only ASCII digits ("20"): that many seconds;
/// - otherwise hours, minutes and seconds components, each optional but in that order and at
///   least one present: "20s", "3m", "2h", "1h20m", "3h30m10s", "90m" (no carry limit).
/// Unlike Locust, anything after the last component ("1h20x", "10s ") is an error rather than
/// ignored. Also an error: empty text, signs, spaces, upper-case units, and a total above
/// kMaxTimespan. The error message quotes the text and lists the valid formats.
[[nodiscard]] Result<std::chrono::seconds> parse_timespan(std::string_view text);

/// Formats a span for log lines in the syntax parse_timespan reads, largest units first with
/// zero components left out: 4800s -> "1h20m", 12610s -> "3h30m10s", 20s -> "20s", 0s -> "0s".
/// A negative span gets a leading '-' (which parse_timespan does not accept).
std::string format_timespan(std::chrono::seconds span);

}  // namespace hornet::cli
