// The program: options in, a load test run, outputs and an exit code out. A thin layer over the
// engine that does what Locust's main.py does: parse, build, run, print, exit.
#pragma once

namespace hornet::cli {

/// Runs Hornet with this command line and the user classes registered in this process (by
/// HORNET_USER). Returns the process exit code: 0, --exit-code-on-error when a request failed or
/// a task raised, 1 for a setup error (bad scenario, unusable host, unwritable CSV), 2 for a
/// bad command line. Catches every exception.
int run(int argc, char** argv);

}  // namespace hornet::cli
