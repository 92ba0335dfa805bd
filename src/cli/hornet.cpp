// The `hornet` command: `hornet plot ...` plots another tool's statistics, `hornet
// make-dist-key FILE` makes a key for --dist-key; anything else is a load test with Hornet's
// (Locust's) command line.
#include <string_view>

#include "cli/app.hpp"
#include "cli/dist_key_command.hpp"
#include "cli/plot_command.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "plot") {
    return hornet::cli::run_plot(argc - 1, argv + 1);
  }
  if (argc > 1 && std::string_view(argv[1]) == "make-dist-key") {
    return hornet::cli::run_make_dist_key(argc - 1, argv + 1);
  }
  return hornet::cli::run(argc, argv);
}
