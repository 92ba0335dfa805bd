// hornet-demo: parses the flags, builds the site and the server, runs until SIGINT/SIGTERM.
// Exit codes: 0 after a signal (or --help), 1 if it cannot start, 2 for bad flags.
#include <exception>
#include <iostream>

#include "options.hpp"
#include "server.hpp"
#include "site.hpp"

int main(int argc, char** argv) {
  using namespace hornet::demo;
  const ParsedOptions parsed = parse_options(argc, argv);
  if (!parsed.options) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message << std::flush;
    return parsed.exit_code;
  }
  const Options& options = *parsed.options;
  try {
    Site site(options.heavy_delay, options.threads);
    Server server(options, site);
    if (const auto error = server.open()) {
      std::cerr << "hornet-demo: " << *error << '\n';
      return 1;
    }
    // Exactly one line on stdout, flushed at once: tests read the port from it.
    std::cout << "hornet-demo listening on " << server.url() << std::endl;
    server.run();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "hornet-demo: " << error.what() << '\n';
    return 1;
  }
}
