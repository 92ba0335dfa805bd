#include "cli/processes.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <thread>

#include "cli/option_table.hpp"
#include "core/log.hpp"
#include "dist/master_runner.hpp"

extern char** environ;

namespace hornet::cli {
namespace {

// Set in every child's environment: it must not start children of its own, whatever --processes
// its environment or config files say.
constexpr const char* kChildMarker = "HORNET_PROCESSES_CHILD";

// Options only a master (or nobody, for a worker) uses: not passed to the workers.
constexpr std::array<std::string_view, 30> kMasterOnly = {
    "--processes",        "--headless",       "--headful",          "--autostart",
    "--autoquit",         "--web-host",       "--web-port",         "--web-auth",
    "--tls-cert",         "--tls-key",        "--class-picker",     "--master",
    "--master-bind-host", "--master-bind-port", "--expect-workers", "--expect-workers-max-wait",
    "--enable-rebalancing", "--csv",          "--csv-full-history", "--print-stats",
    "--only-summary",     "--html",           "--run-time",         "--users",
    "--spawn-rate",       "--exit-code-on-error", "--plot-config",  "--list",
    "--show-task-ratio",  "--show-task-ratio-json"};

const OptionSpec* find_by_any_name(std::string_view name) {
  for (const OptionSpec& spec : option_specs()) {
    for (std::string_view names = spec.names; !names.empty();) {
      const std::size_t comma = names.find(',');
      if (names.substr(0, comma) == name) return &spec;
      names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
    }
  }
  return nullptr;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return std::string("was killed by signal ") +
           (name ? std::string("SIG") + name : std::to_string(WTERMSIG(status)));
  }
  return "ended";
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// fork + exec of /proc/self/exe with `arguments`. Everything the child needs is prepared before
// the fork: after it, the child (a copy of a threaded process) only makes system calls.
Result<pid_t> spawn_child(const std::vector<std::string>& arguments) {
  std::error_code error;
  const std::string program =
      std::filesystem::read_symlink("/proc/self/exe", error).filename().string();
  std::vector<std::string> argv_text{program.empty() ? std::string("hornet") : program};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_text;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::string_view(*entry).starts_with(std::string(kChildMarker) + "=")) continue;
    env_text.emplace_back(*entry);
  }
  env_text.push_back(std::string(kChildMarker) + "=1");
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const long max_fd = std::max(sysconf(_SC_OPEN_MAX), 1024L);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    return Error{std::string("Could not start a worker process: ") + std::strerror(errno)};
  }
  if (pid > 0) return pid;

  // The child.
  setpgid(0, 0);
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent) _exit(127);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig : {SIGINT, SIGTERM, SIGCHLD}) sigaction(sig, &default_action, nullptr);
  // SIGINT and SIGTERM stay blocked until the worker's control loop handles them (run_worker
  // unblocks them): one that comes sooner waits for it instead of killing the worker unclean.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigprocmask(SIG_SETMASK, &mask, nullptr);
  if (close_range(3, ~0U, 0) != 0) {
    for (long fd = 3; fd < max_fd; ++fd) close(static_cast<int>(fd));
  }
  execve("/proc/self/exe", argv.data(), envp.data());
  static constexpr char kMessage[] = "hornet: could not start a worker process (execve failed)\n";
  [[maybe_unused]] const auto written = write(2, kMessage, sizeof kMessage - 1);
  _exit(127);
}

// Waits up to `bound` for every pid in `pids` to exit, removing those that did; `on_exit` gets
// each (pid, status).
void wait_bounded(std::vector<pid_t>& pids, std::chrono::milliseconds bound,
                  const std::function<void(pid_t, int)>& on_exit) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (true) {
    std::erase_if(pids, [&](pid_t pid) {
      int status = 0;
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        if (on_exit) on_exit(pid, status);
        return true;
      }
      return done < 0 && errno == ECHILD;  // not ours any more
    });
    if (pids.empty() || std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// SIGTERM, a few seconds, then SIGKILL; every pid is reaped when this returns.
void terminate_all(std::vector<pid_t>& pids) {
  if (pids.empty()) return;
  for (pid_t pid : pids) kill(pid, SIGTERM);
  wait_bounded(pids, std::chrono::seconds(5), nullptr);
  if (pids.empty()) return;
  log::warning(std::to_string(pids.size()) +
               " worker process(es) did not end after SIGTERM: killing them");
  for (pid_t pid : pids) kill(pid, SIGKILL);
  wait_bounded(pids, std::chrono::seconds(10), nullptr);
}

}  // namespace

int requested_processes(const Options& options) {
  if (!options.processes) return 0;
  if (const char* child = std::getenv(kChildMarker); child != nullptr && *child != '\0') return 0;
  if (*options.processes == -1) {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  return std::max(*options.processes, 0);
}

std::vector<std::string> worker_child_arguments(std::span<const std::string> args,
                                                const Options& options,
                                                const std::vector<std::string>& extra) {
  const bool local_master = !options.worker;
  std::vector<std::string> out;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') {
      out.push_back(arg);  // a positional argument (user class, URL) or a list item (-T a b)
      continue;
    }
    std::string name = arg;
    bool attached = false;  // "--name=value", "-uVALUE"
    if (arg.starts_with("--")) {
      if (const std::size_t equals = arg.find('='); equals != std::string::npos) {
        name = arg.substr(0, equals);
        attached = true;
      }
    } else if (arg.size() > 2) {
      name = arg.substr(0, 2);
      attached = true;
    }
    const OptionSpec* spec = find_by_any_name(name);
    if (spec == nullptr) {
      out.push_back(arg);  // the scenario's own options: the workers declare them too
      continue;
    }
    const std::string_view long_name = spec->long_name();
    bool drop = std::find(kMasterOnly.begin(), kMasterOnly.end(), long_name) != kMasterOnly.end();
    if (local_master && (long_name == "--master-host" || long_name == "--master-port")) drop = true;
    const bool separate_value = spec->takes_value() && !spec->many_values && !attached;
    if (!drop) out.push_back(arg);
    if (separate_value && i + 1 < args.size()) {
      ++i;
      if (!drop) out.push_back(args[i]);
    }
  }
  out.insert(out.end(), extra.begin(), extra.end());
  if (options.threads <= 0) {
    out.push_back("--threads");
    out.push_back("1");
  }
  for (; i < args.size(); ++i) out.push_back(args[i]);  // "--" and what follows
  return out;
}

int run_worker_processes(const Options& options, std::span<const std::string> args) {
  const int count = requested_processes(options);
  const std::vector<std::string> arguments = worker_child_arguments(args, options, {});

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::vector<pid_t> running;
  for (int n = 0; n < count; ++n) {
    auto pid = spawn_child(arguments);
    if (!pid) {
      log::error(pid.error().message);
      terminate_all(running);
      return 1;
    }
    running.push_back(pid.value());
  }
  log::info("Started " + std::to_string(count) + " worker process(es) for the master at " +
            options.master_host + ":" + std::to_string(options.master_port));

  int exit_code = 0;
  int signals_seen = 0;
  const auto on_exit = [&](pid_t pid, int status) {
    const int code = exit_code_of(status);
    if (code != 0) {
      log::warning("Worker process " + std::to_string(pid) + " " + describe_status(status));
      if (exit_code == 0) exit_code = code;
    }
  };
  while (!running.empty()) {
    const timespec tick{.tv_sec = 0, .tv_nsec = 100'000'000};
    const int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      ++signals_seen;
      if (signals_seen == 1) {
        log::info(std::string("Got ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                  ", passing it to the worker processes");
        for (pid_t pid : running) kill(pid, sig);
      } else {
        log::warning("Second signal: killing the worker processes");
        for (pid_t pid : running) kill(pid, SIGKILL);
      }
    }
    wait_bounded(running, std::chrono::milliseconds(0), on_exit);
  }
  return exit_code;
}

// --- LocalWorkers ------------------------------------------------------------------------------

std::unique_ptr<LocalWorkers> LocalWorkers::plan(Options& options,
                                                 std::span<const std::string> args) {
  if (options.worker) return nullptr;
  const int count = requested_processes(options);
  if (count <= 0) return nullptr;
  options.master = true;
  options.master_bind_host = "127.0.0.1";
  options.master_bind_port = 0;
  options.expect_workers = count;
  return std::make_unique<LocalWorkers>(count, worker_child_arguments(args, options, {}),
                                        options.headless || options.autostart);
}

LocalWorkers::LocalWorkers(int count, std::vector<std::string> arguments, bool gated)
    : count_(count), arguments_(std::move(arguments)), gated_(gated) {}

LocalWorkers::~LocalWorkers() {
  if (timer_) timer_->cancel();
  terminate_all(running_);
}

bool LocalWorkers::start(boost::asio::io_context& io, const dist::MasterRunner& master,
                                 int master_port) {
  master_ = &master;
  std::vector<std::string> arguments = arguments_;
  arguments.insert(arguments.begin(), {"--worker", "--master-host", "127.0.0.1", "--master-port",
                                       std::to_string(master_port)});
  for (int n = 0; n < count_; ++n) {
    auto pid = spawn_child(arguments);
    if (!pid) {
      log::error(pid.error().message);
      return false;  // the destructor ends those already started
    }
    running_.push_back(pid.value());
  }
  log::info("Started " + std::to_string(count_) + " worker process(es)");
  timer_ = std::make_unique<boost::asio::steady_timer>(io);
  poll();
  return true;
}

void LocalWorkers::poll() {
  timer_->expires_after(std::chrono::milliseconds(200));
  timer_->async_wait([this](boost::system::error_code error) {
    if (error || finishing_) return;
    reap(false);
    poll();
  });
}

void LocalWorkers::reap(bool expected) {
  bool lost = false;
  wait_bounded(running_, std::chrono::milliseconds(0), [&](pid_t pid, int status) {
    if (exit_code_of(status) == 0) {
      log::info("Worker process " + std::to_string(pid) + " exited");
      return;
    }
    if (expected) return;
    log::warning("Worker process " + std::to_string(pid) + " " + describe_status(status));
    lost = true;
  });
  if (!lost || failed_) return;
  const bool none_left = running_.empty();
  const bool cannot_start =
      gated_ && master_ != nullptr && master_->state() == core::RunnerState::kReady;
  if (!none_left && !cannot_start) return;  // the master's missing-worker handling carries on
  failed_ = true;
  log::error(none_left ? "Every worker process has ended: shutting down"
                       : "A worker process ended before the test started: the " +
                             std::to_string(count_) + " workers can never all connect; "
                             "shutting down");
  if (on_failure) on_failure();
}

int LocalWorkers::finish(int exit_code) {
  finishing_ = true;
  if (timer_) timer_->cancel();
  // The master's quit told the workers to exit, and it waited for their last reports.
  wait_bounded(running_, std::chrono::seconds(10), [](pid_t pid, int status) {
    if (exit_code_of(status) != 0) {
      log::warning("Worker process " + std::to_string(pid) + " " + describe_status(status));
    }
  });
  if (!running_.empty()) {
    log::warning(std::to_string(running_.size()) +
                 " worker process(es) still running after the run: ending them");
    terminate_all(running_);
  }
  return failed_ && exit_code == 0 ? 1 : exit_code;
}

}  // namespace hornet::cli
