// Logging in Locust's format, thread-safe:
//   [2026-11-27 19:41:16,340] hostname/INFO/hornet.main: message
// Log lines go to stderr, or to --logfile. The stats tables are printed plain, always on stderr
// (Locust's stats_logger). Logging is for the control plane; the request path never logs.
#pragma once

#include <hornet/result.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace hornet::log {

enum class Level { kDebug = 10, kInfo = 20, kWarning = 30, kError = 40, kCritical = 50 };

/// Parses DEBUG/INFO/WARNING/ERROR/CRITICAL, case-insensitively.
std::optional<Level> parse_level(std::string_view name);

/// Sets the level and destination. `skip_setup` (--skip-log-setup) leaves the defaults (INFO,
/// stderr). Fails if the log file cannot be opened.
Result<void> configure(Level level, const std::optional<std::string>& logfile, bool skip_setup);

bool enabled(Level level) noexcept;
void write(Level level, std::string_view logger, std::string_view message);

inline void debug(std::string_view message) { write(Level::kDebug, "hornet.main", message); }
inline void info(std::string_view message) { write(Level::kInfo, "hornet.main", message); }
inline void warning(std::string_view message) { write(Level::kWarning, "hornet.main", message); }
inline void error(std::string_view message) { write(Level::kError, "hornet.main", message); }

/// A stats table or report, printed as is (it ends with its own newlines) on stderr.
void stats(std::string_view text);

}  // namespace hornet::log
