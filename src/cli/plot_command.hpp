// `hornet plot`: the seed's plotter as a subcommand (see web/plot.hpp).
#pragma once

namespace hornet::cli {

/// Runs `hornet plot` with these arguments (argv[0] is "plot"). Returns the exit code: 0 after
/// SIGINT/SIGTERM, 1 when the web port cannot be opened, 2 for bad flags.
int run_plot(int argc, char** argv);

}  // namespace hornet::cli
