// `--processes N` (newer Locust's flag): one command uses every core by running N worker
// processes of this same program on this machine.
//
// Contract:
// - Without --worker, the process becomes a master (web UI or headless run, CSV, exit code as
//   usual) bound to 127.0.0.1 on a free port (port 0), expecting N workers before a headless or
//   --autostart swarm (LocalWorkers::plan, then start() once the master has bound). With
//   --worker, the process only supervises N workers of the master it was given
//   (run_worker_processes). --master with --processes is a usage error (Locust's too), as are
//   N = 0 and N < -1 (options.cpp); -1 is one process per core (hardware_concurrency).
// - A child is fork + exec of /proc/self/exe (never a bare fork: the parent has threads) with an
//   explicit argv: the parent's own command line minus --processes and the master-only options
//   (web UI, CSV, HTML, --headless, --autostart, --run-time, users, ...), plus `--worker
//   --master-host 127.0.0.1 --master-port P` for a local master, plus `--threads 1` unless a
//   --threads was given (one thread per process: the processes are the parallelism). So the
//   scenario files (-f .cpp/.lua/.py), a URL, tags, timeouts, --dist-key and the scenario's own
//   options reach the workers as the user wrote them. A child also reads the same environment
//   and config files; HORNET_PROCESSES_CHILD=1 in its environment makes it ignore --processes
//   from them (no recursion).
// - In the child, before exec: its own process group (a terminal's Ctrl-C reaches the parent
//   only, which then ends the children in order), PR_SET_PDEATHSIG(SIGTERM) (no child outlives
//   a killed parent), every descriptor but 0-2 closed (no inherited web or master socket), the
//   signal mask SIGINT + SIGTERM only (the worker unblocks them once its loop handles them).
// - The parent reaps its children (waitpid on their pids only: no zombies, no stolen statuses).
//   Master: a child that ends during the run is logged, and the master's missing-worker
//   handling applies; if none is left, or one ends before a headless/--autostart test could
//   start (N would never connect), the run is shut down and the exit code is 1. When the run
//   ends the master's quit makes the workers exit; finish() waits for them (bounded), then
//   SIGTERM, then SIGKILL. Worker supervisor: SIGINT/SIGTERM are passed on to the children (a
//   second one kills them), and the exit code is the first non-zero one of theirs (128 + signal
//   for a killed child), else 0.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <hornet/result.hpp>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace hornet::dist {
class MasterRunner;
}

namespace hornet::cli {

/// How many worker processes --processes asks this process to start: 0 when not given or when
/// this process is itself a --processes child; -1 resolved to the number of cores.
int requested_processes(const Options& options);

/// The arguments (without argv[0]) of a worker child, from the parent's command line `args`:
/// --processes and the master-only options dropped, `extra` added before a "--", and
/// `--threads 1` unless `options.threads` was set.
std::vector<std::string> worker_child_arguments(std::span<const std::string> args,
                                                const Options& options,
                                                const std::vector<std::string>& extra);

/// `--worker --processes N`: runs N workers for the master in `options` and waits for them.
/// Returns the exit code.
int run_worker_processes(const Options& options, std::span<const std::string> args);

/// The worker processes of a `--processes N` master, watched on the master's control loop.
class LocalWorkers {
 public:
  /// nullptr unless `options` asks for --processes without --worker. Otherwise turns `options`
  /// into a local master's: --master on 127.0.0.1, port 0, expecting N workers.
  static std::unique_ptr<LocalWorkers> plan(Options& options, std::span<const std::string> args);

  LocalWorkers(int count, std::vector<std::string> arguments, bool gated);
  ~LocalWorkers();  // ends children still running (SIGTERM, then SIGKILL), bounded
  LocalWorkers(const LocalWorkers&) = delete;
  LocalWorkers& operator=(const LocalWorkers&) = delete;

  /// Starts the workers against the master bound on `master_port`; watches them on `io`. False
  /// (after logging why) if a worker could not be started.
  [[nodiscard]] bool start(boost::asio::io_context& io, const dist::MasterRunner& master,
                                   int master_port);
  /// Called on the control loop when the workers can no longer carry the run (see above).
  std::function<void()> on_failure;
  /// After the run: waits for the workers to exit (bounded), then ends any left. Returns
  /// `exit_code`, or 1 if the run was shut down because its workers failed.
  int finish(int exit_code);

 private:
  void poll();
  void reap(bool expected);

  int count_;
  std::vector<std::string> arguments_;
  bool gated_;  // headless or --autostart: the swarm waits for all N workers
  const dist::MasterRunner* master_ = nullptr;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::vector<pid_t> running_;
  bool failed_ = false;
  bool finishing_ = false;
};

}  // namespace hornet::cli
