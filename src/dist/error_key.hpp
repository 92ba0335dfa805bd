// The key Locust gives a row of its errors table (reference §2.6), so that a Locust master can
// merge a Hornet worker's error rows with its Python workers' rows for the same failure.
#pragma once

#include <string>
#include <string_view>

namespace hornet::dist {

/// Python's repr() of a str given as UTF-8: single quotes unless the text contains a single quote
/// and no double quote; backslash and the chosen quote escaped; \t \n \r; other control
/// characters as \xhh. Non-ASCII characters are kept, except the common non-printable ones
/// (C1 controls, no-break and other Unicode spaces, format characters, line/paragraph separators,
/// private use, BOM), which are escaped as \xhh / \uhhhh; rarer unassigned code points that
/// Python would escape are kept. Bytes that are not valid UTF-8 are copied as they are.
std::string python_str_repr(std::string_view text);

/// Locust's StatsError.create_key(method, name, error) for an error whose text (as it appears
/// in the errors table and on the wire, e.g. "HTTPError('404 Client Error: ...')") is `error`:
/// sha256(f"{method}.{name}.{error!r}") as 64 lower-case hex digits.
std::string locust_error_key(std::string_view method, std::string_view name,
                             std::string_view error);

}  // namespace hornet::dist
