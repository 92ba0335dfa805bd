#include "core/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace hornet::log {
namespace {

struct Sink {
  std::mutex mutex;
  std::FILE* file = stderr;
  std::string hostname;
};

Sink& sink() {
  static Sink s;
  return s;
}

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

const char* level_name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarning:
      return "WARNING";
    case Level::kError:
      return "ERROR";
    case Level::kCritical:
      return "CRITICAL";
  }
  return "INFO";
}

const std::string& hostname() {
  static const std::string name = [] {
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0) return std::string("localhost");
    return std::string(buffer);
  }();
  return name;
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (Level level :
       {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError, Level::kCritical}) {
    if (upper == level_name(level)) return level;
  }
  return std::nullopt;
}

Result<void> configure(Level level, const std::optional<std::string>& logfile, bool skip_setup) {
  if (skip_setup) return {};
  g_level = static_cast<int>(level);
  if (logfile) {
    std::FILE* file = std::fopen(logfile->c_str(), "a");
    if (file == nullptr) return Error{"cannot open log file " + *logfile};
    std::lock_guard lock(sink().mutex);
    if (sink().file != stderr) std::fclose(sink().file);
    sink().file = file;
  }
  return {};
}

bool enabled(Level level) noexcept { return static_cast<int>(level) >= g_level.load(); }

void write(Level level, std::string_view logger, std::string_view message) {
  if (!enabled(level)) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
  std::lock_guard lock(sink().mutex);
  std::fprintf(sink().file, "[%s,%03d] %s/%s/%.*s: %.*s\n", stamp, static_cast<int>(millis),
               hostname().c_str(), level_name(level), static_cast<int>(logger.size()),
               logger.data(), static_cast<int>(message.size()), message.data());
  std::fflush(sink().file);
}

void stats(std::string_view text) {
  std::lock_guard lock(sink().mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace hornet::log
