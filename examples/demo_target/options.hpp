// hornet-demo's command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "site.hpp"

namespace hornet::demo {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0: any free port (the listening line says which)
  unsigned threads = 1;       // worker threads, each with its own io_context
  HeavyDelay heavy_delay;
  std::chrono::seconds idle_timeout{60};  // per connection, for each read and write
  std::string tls_cert;                   // PEM files; both set (HTTPS) or both empty (HTTP)
  std::string tls_key;

  bool tls() const noexcept { return !tls_cert.empty(); }
};

/// The outcome of parsing the command line: options to run with, or else a message to print
/// and an exit code (0 with the usage on stdout for --help; 2 with an error for stderr).
struct ParsedOptions {
  std::optional<Options> options;
  int exit_code = 0;
  std::string message;
};

[[nodiscard]] ParsedOptions parse_options(int argc, const char* const* argv);

/// Parses --heavy-delay: "MIN-MAX" or "MS" (milliseconds, MIN <= MAX <= 600000); "0" for none.
[[nodiscard]] std::optional<HeavyDelay> parse_heavy_delay(std::string_view text);

}  // namespace hornet::demo
