// Config files in configargparse's syntax (what Locust reads from ~/.locust.conf, locust.conf and
// --config FILE). This layer knows the syntax only; which keys exist is the option table's
// business.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hornet/result.hpp"

namespace hornet::cli {

/// One `key = value` setting. `value` is the text as written, with the separator, surrounding
/// spaces, one pair of matching quotes and any trailing comment removed; list syntax ("[a, b]")
/// is left for the option's converter.
struct ConfigEntry {
  std::string key;
  std::string value;
  int line = 0;  // 1-based
};

struct ConfigFile {
  std::string name;  // as shown in messages: "hornet.conf", "~/.locust.conf", the --config argument
  std::vector<ConfigEntry> entries;  // in file order; a later entry for a key overrides an earlier
};

/// Parses a config file's text. Per line, after trimming spaces:
/// - empty lines and lines starting with '#', ';', '[' (section headers) or "---" are skipped;
/// - `key = value`, `key: value` and `key value` set key (any run of characters other than
///   spaces and ":=;#") to value; `key =` / `key:` give "", a bare `key` gives "true";
/// - a '#' or ';' preceded by a space starts a comment; `"v"` and `'v'` lose their quotes.
/// Any other line (one starting with '=' or ':', or `key#x`) is an error naming `name` and the
/// line: "invalid line: '= 5' (from hornet.conf line 3)".
[[nodiscard]] Result<std::vector<ConfigEntry>> parse_config_text(std::string_view text,
                                                                 std::string_view name);

enum class IfMissing { kSkip, kError };

/// Reads and parses the file at `path`, naming it `name` in messages. A file that does not exist
/// gives std::nullopt with kSkip and an error with kError; a file that exists but cannot be read
/// (a directory, no permission) is always an error: "can't open 'NAME': Permission denied".
[[nodiscard]] Result<std::optional<ConfigFile>> read_config_file(const std::filesystem::path& path,
                                                                 std::string name,
                                                                 IfMissing if_missing);

}  // namespace hornet::cli
