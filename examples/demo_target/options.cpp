#include "options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>

namespace hornet::demo {
namespace {

constexpr std::chrono::milliseconds::rep kMaxHeavyDelayMs = 600'000;

std::optional<std::chrono::milliseconds> parse_milliseconds(std::string_view text) {
  std::chrono::milliseconds::rep value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > kMaxHeavyDelayMs) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(value);
}

}  // namespace

std::optional<HeavyDelay> parse_heavy_delay(std::string_view text) {
  const auto dash = text.find('-');
  const auto min = parse_milliseconds(text.substr(0, dash));
  const auto max = dash == std::string_view::npos ? min : parse_milliseconds(text.substr(dash + 1));
  if (!min || !max || *min > *max) return std::nullopt;
  return HeavyDelay{*min, *max};
}

ParsedOptions parse_options(int argc, const char* const* argv) {
  Options options;
  int port = options.port;
  int idle_timeout_s = static_cast<int>(options.idle_timeout.count());
  std::string heavy_delay = "50-150";

  CLI::App app(
      "hornet-demo: a small HTTP/1.1 server imitating the seed's Django site (login with CSRF,\n"
      "a 17 KB index page behind it, a slow page and an AJAX endpoint), as a local target for\n"
      "Hornet's load tests. GET /__demo/stats returns exact counters of what it served.",
      "hornet-demo");
  app.add_option("--host", options.host, "Address or name to listen on")->capture_default_str();
  app.add_option("--port", port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--threads", options.threads, "Worker threads, each with its own event loop")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--heavy-delay", heavy_delay,
                 "Delay of /heavy_url/ in ms: MIN-MAX (uniformly random), MS, or 0 for none")
      ->check(
          [](const std::string& text) -> std::string {
            return parse_heavy_delay(text) ? std::string()
                                           : "expected MIN-MAX or MS in milliseconds "
                                             "(MIN <= MAX <= 600000), e.g. 50-150, or 0";
          },
          "MIN-MAX")
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout_s,
                 "Seconds a connection may stall reading a request or its response")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  CLI::Option* cert = app.add_option("--tls-cert", options.tls_cert,
                                     "PEM certificate (chain): serve HTTPS instead of HTTP")
                          ->check(CLI::ExistingFile);
  CLI::Option* key = app.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")
                         ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return {std::nullopt, 0, app.help()};
  } catch (const CLI::ParseError& error) {
    return {std::nullopt, 2,
            "hornet-demo: " + std::string(error.what()) + "\nRun with --help for usage.\n"};
  }
  options.port = static_cast<std::uint16_t>(port);
  options.idle_timeout = std::chrono::seconds(idle_timeout_s);
  options.heavy_delay = *parse_heavy_delay(heavy_delay);  // checked above
  return {std::move(options), 0, {}};
}

}  // namespace hornet::demo
