// Converters from the text of an option value (command line, environment or config file) to
// typed values. Errors carry the value and what was expected, in argparse's words; the caller
// prefixes the option's name and appends where the text came from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hornet/result.hpp"

namespace hornet::cli {

/// "true", "yes", "on", "1" -> true; "false", "no", "off", "0" -> false; case-insensitive, as
/// configargparse reads flags in config files and environment variables.
[[nodiscard]] Result<bool> parse_bool(std::string_view text);

/// A decimal int with an optional sign ("42", "-1", "+7"); no spaces, no other bases. Values
/// outside int's range are an error that says the range.
[[nodiscard]] Result<int> parse_int(std::string_view text);

/// A finite decimal or scientific float ("1", "2.5", ".5", "1e3", "-0.5"); "inf" and "nan" are
/// errors, since no option has a use for them.
[[nodiscard]] Result<double> parse_float(std::string_view text);

/// Splits a list value: an optional surrounding "[...]" is removed (configargparse's list syntax,
/// `tags = [a, b]`), then the text is split at commas; each item is trimmed of spaces and of one
/// pair of matching quotes ('a' or "a"), and empty items are dropped. "" and "[]" give {}.
std::vector<std::string> split_list(std::string_view text);

/// 'text', as argparse quotes values in messages.
std::string single_quoted(std::string_view text);

/// `text` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

/// `text` without one pair of matching surrounding quotes ('x' or "x"), if it has them.
std::string_view unquote(std::string_view text);

}  // namespace hornet::cli
