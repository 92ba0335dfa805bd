#include "dist/master_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "dist/control_wire.hpp"
#include "dist/stats_wire.hpp"
#include "http/ascii.hpp"

namespace hornet::dist {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Locust's timers (reference §3.6).
constexpr auto kHeartbeatInterval = 1s;
constexpr int kHeartbeatLiveness = 3;
constexpr int kHeartbeatDeadInterval = -60;
constexpr double kCpuWarningThreshold = 90;
// How long a stop or quit waits for the workers' answers beyond --stop-timeout.
constexpr double kStopGraceSeconds = 10;

bool is_printable(std::string_view text) {
  return !text.empty() && text.size() <= 256 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool is_active(const std::string& state) {
  return state == "ready" || state == "spawning" || state == "running";
}

}  // namespace

MasterRunner::MasterRunner(asio::io_context& io, std::shared_ptr<const core::Scenario> scenario,
                           MasterSettings settings)
    : io_(io),
      scenario_(std::move(scenario)),
      settings_(std::move(settings)),
      socket_(io, Socket::Kind::kRouter),
      cycle_(io),
      heartbeat_timer_(io),
      stop_timer_(io),
      quit_timer_(io),
      aggregate_(core::epoch_seconds()) {
  socket_.on_message = [this](std::string identity, std::string payload) {
    on_payload(identity, payload);
  };
}

MasterRunner::~MasterRunner() {
  socket_.close(0);
}

Result<int> MasterRunner::bind() {
  if (settings_.curve) {
    zap_ = std::make_unique<ZapHandler>(io_, *settings_.curve);
    if (auto started = zap_->start(); !started) return started.error();
    if (auto curve = socket_.use_curve_server(*settings_.curve); !curve) return curve.error();
  }
  auto port = socket_.bind(settings_.bind_host, settings_.bind_port);
  if (!port) {
    return Error{"The Hornet master port (" + std::to_string(settings_.bind_port) +
                 ") was busy or could not be bound. Close any applications using that port - "
                 "perhaps an old instance of the master is still running? (" +
                 port.error().message + ")"};
  }
  schedule_heartbeat_check();
  return port;
}

MasterRunner::Node* MasterRunner::find(const std::string& id) {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

int MasterRunner::active_worker_count() const {
  return static_cast<int>(std::count_if(nodes_.begin(), nodes_.end(), [](const auto& entry) {
    return is_active(entry.second.state);
  }));
}

void MasterRunner::set_state(core::RunnerState state) {
  if (state == state_) return;
  state_ = state;
  if (on_state_change) on_state_change(state);
}

void MasterRunner::send(const std::string& node_id, std::string type, Value data) {
  if (!socket_.send(node_id, encode(Message{std::move(type), std::move(data), node_id}))) {
    log::debug("Could not send to worker " + node_id + " (gone?)");
  }
}

// --- Messages ------------------------------------------------------------------------------

void MasterRunner::on_payload(const std::string& identity, const std::string& payload) {
  // Ids and types are logged as they are: a peer's bytes must not reach the terminal unless
  // they are plain printable text (Locust's ids are hostname_hex).
  if (!is_printable(identity)) {
    log::warning("Ignored a message from a worker whose id is not printable text: " +
                 http::ascii::quote_for_message(identity));
    return;
  }
  auto decoded = decode_message(payload);
  if (!decoded) {
    log::warning("Ignored a malformed message from worker " + identity + ": " +
                 decoded.error().message);
    return;
  }
  const Message& message = decoded.value();
  if (!is_printable(message.type) || message.node_id != identity) {
    log::warning("Ignored a " + http::ascii::quote_for_message(message.type) +
                 " message whose node id (" + http::ascii::quote_for_message(message.node_id) +
                 ") is not its sender's (" + identity + ")");
    return;
  }
  if (message.type == "client_ready") {
    on_client_ready(message);
    check_stopped();
    return;
  }
  Node* node = find(message.node_id);
  if (node == nullptr) {
    // After a master restart workers keep sending until they notice; nothing to do with it.
    if (message.type != "heartbeat" && message.type != "quit") {
      log::warning("Ignored a '" + message.type + "' message from unknown worker " +
                   message.node_id);
    }
    return;
  }
  const double now = core::epoch_seconds();
  if (message.type == "heartbeat") {
    auto beat = Heartbeat::from_wire(message.data);
    if (!beat) {
      log::warning("Ignored a heartbeat from " + node->id + ": " + beat.error().message);
      return;
    }
    node->heartbeat = kHeartbeatLiveness;
    if (node->state == "missing") {
      log::info("Worker " + node->id + " self-healed with heartbeat, setting state to " +
                beat.value().state + ".");
      node->state = beat.value().state;
      if (is_active(node->state) && cycle_.dispatcher()) {
        cycle_.dispatcher()->add_worker(node->id);
        redispatch();
      }
    } else if (node->state != "stopped" || beat.value().state == "ready") {
      node->state = beat.value().state;
    }
    node->cpu_usage = beat.value().current_cpu_usage;
    node->memory_usage = beat.value().current_memory_usage;
    if (node->cpu_usage > kCpuWarningThreshold && !node->cpu_warned) {
      node->cpu_warned = true;
      log::warning("Worker " + node->id +
                   " exceeded cpu threshold (will only log this once per "
                   "worker)");
    }
  } else if (message.type == "stats") {
    auto report = report_from_wire(message.data);
    if (!report) {
      log::warning("Ignored a stats report from " + node->id + ": " + report.error().message);
      return;
    }
    aggregate_.merge(report.value().delta, now, node->id);
    node->user_classes_count = std::move(report.value().user_classes_count);
    node->user_count = report.value().user_count;
  } else if (message.type == "spawning") {
    node->state = "spawning";
  } else if (message.type == "spawning_complete") {
    auto complete = SpawningComplete::from_wire(message.data);
    if (!complete) {
      log::warning("Ignored spawning_complete from " + node->id + ": " + complete.error().message);
      return;
    }
    node->state = "running";
    node->user_classes_count = std::move(complete.value().user_classes_count);
    node->user_count = complete.value().user_count;
  } else if (message.type == "exception") {
    auto exception = exception_from_wire(message.data);
    if (!exception) {
      log::warning("Ignored an exception report from " + node->id + ": " +
                   exception.error().message);
      return;
    }
    aggregate_.add_exception({exception.value().msg, exception.value().traceback, 1}, node->id);
  } else if (message.type == "client_stopped") {
    node->state = "stopped";
    node->user_classes_count.clear();
    node->user_count = 0;
  } else if (message.type == "quit") {
    const std::string id = node->id;
    remove_node(id);
    log::info("Worker " + id + " quit. " + std::to_string(active_worker_count()) +
              " workers connected.");
    if ((state_ == core::RunnerState::kSpawning || state_ == core::RunnerState::kRunning) &&
        active_worker_count() == 0) {
      log::info("The last worker quit, stopping test.");
      stop(nullptr);
      if (on_last_worker_quit) on_last_worker_quit();
    }
  } else {
    log::warning("Unknown message type received from worker " + node->id + ": " + message.type);
  }
  check_stopped();
}

void MasterRunner::on_client_ready(const Message& message) {
  if (!message.data.is_string()) {
    log::error("An old (pre 2.0) worker tried to connect (" + message.node_id +
               "). That's not going to work.");
    return;
  }
  const std::string& version = *message.data.as_string();
  if (version.empty()) {
    log::debug("Worker " + message.node_id + " sent an empty version (Debian's Locust package)");
  }
  const auto index_it =
      indices_.try_emplace(message.node_id, static_cast<int>(indices_.size())).first;
  // Whether the dispatcher has it already: a known node in an active state. A node that was
  // removed (quit, or missing for a minute) and comes back is new to the dispatcher.
  const auto known = nodes_.find(message.node_id);
  const bool was_active = known != nodes_.end() && is_active(known->second.state);
  Node& node = nodes_[message.node_id];
  node.id = message.node_id;
  node.index = index_it->second;
  node.state = "ready";
  node.heartbeat = kHeartbeatLiveness;
  node.user_classes_count.clear();
  node.user_count = 0;
  send(node.id, "ack", Ack{.index = node.index}.to_wire());
  log::info("Worker " + node.id + " (index " + std::to_string(node.index) +
            ") reported as ready. " + std::to_string(active_worker_count()) +
            " workers connected.");
  // A worker that joins during a test gets its share of the users.
  if (cycle_.dispatcher() && !was_active &&
      (state_ == core::RunnerState::kSpawning || state_ == core::RunnerState::kRunning)) {
    cycle_.dispatcher()->add_worker(node.id);
    redispatch();
  }
}

void MasterRunner::remove_node(const std::string& id) {
  nodes_.erase(id);
  if (cycle_.dispatcher()) {
    cycle_.dispatcher()->remove_worker(id);
    redispatch();
  }
}

// --- Heartbeats ----------------------------------------------------------------------------

void MasterRunner::schedule_heartbeat_check() {
  heartbeat_timer_.expires_after(kHeartbeatInterval);
  heartbeat_timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;
    check_heartbeats();
    schedule_heartbeat_check();
  });
}

void MasterRunner::check_heartbeats() {
  std::vector<std::string> dead;
  bool lost = false;
  for (auto& [id, node] : nodes_) {
    if (node.state == "missing" && node.heartbeat <= kHeartbeatDeadInterval) {
      dead.push_back(id);
      continue;
    }
    // Counted down before the check (Locust checks first): missing after 4 silent checks, so
    // within 5 s of the last heartbeat rather than up to 6.
    node.heartbeat -= 1;
    if (node.heartbeat < 0 && node.state != "missing") {
      log::info("Worker " + id + " failed to send heartbeat, setting state to missing.");
      node.state = "missing";
      node.user_classes_count.clear();
      node.user_count = 0;
      if (cycle_.dispatcher()) cycle_.dispatcher()->remove_worker(id);
      lost = true;
    }
  }
  for (const std::string& id : dead) nodes_.erase(id);
  if (!lost) return;
  if ((state_ == core::RunnerState::kSpawning || state_ == core::RunnerState::kRunning) &&
      active_worker_count() == 0) {
    log::warning("No workers are left: stopping the test.");
    stop(nullptr);
    return;
  }
  redispatch();
  check_stopped();
}

// --- Swarming ------------------------------------------------------------------------------

void MasterRunner::start(int user_count, double spawn_rate,
                         const std::vector<std::string>& user_classes) {
  if (active_worker_count() == 0) {
    log::warning(
        "You can't start a distributed test before at least one worker processes has "
        "connected");
    return;
  }
  target_user_count_ = std::max(user_count, 0);
  spawn_rate_ = spawn_rate > 0 ? spawn_rate : 1;
  user_classes_ = user_classes;
  if (state_ != core::RunnerState::kRunning && state_ != core::RunnerState::kSpawning) {
    aggregate_.clear_all(core::epoch_seconds());
    cycle_.reset();
  }
  if (!cycle_.dispatcher()) {
    std::vector<std::string> workers;
    for (const auto& [id, node] : nodes_) {
      if (is_active(node.state)) workers.push_back(id);
    }
    cycle_.ensure(std::move(workers), *scenario_);
  }
  char line[160];
  std::snprintf(line, sizeof line,
                "Sending spawn jobs of %d users at %.2f spawn rate to %d ready workers",
                target_user_count_, spawn_rate_, active_worker_count());
  log::info(line);
  set_state(core::RunnerState::kSpawning);
  start_cycle();
}

void MasterRunner::redispatch() {
  // Mid-ramp the next iteration already rebalances; a running test needs a new cycle.
  if (!cycle_.dispatcher() || state_ != core::RunnerState::kRunning) return;
  if (active_worker_count() == 0) return;
  set_state(core::RunnerState::kSpawning);
  start_cycle();
}

void MasterRunner::start_cycle() {
  cycle_.start(
      target_user_count_, spawn_rate_,
      [this](const core::UsersOnWorkers& targets) { send_spawns(targets); },
      [this] { spawning_complete(); }, user_classes_);
}

void MasterRunner::send_spawns(const core::UsersOnWorkers& targets) {
  for (const auto& [worker, counts] : targets) {
    if (!find(worker)) continue;
    // Strictly increasing timestamps: a worker drops a spawn that is not newer than the last.
    last_spawn_timestamp_ = std::max(core::epoch_seconds(), last_spawn_timestamp_ + 1e-6);
    Spawn spawn{
        .timestamp = last_spawn_timestamp_,
        .user_classes_count = counts,
        .host = settings_.host.empty() ? std::nullopt : std::optional<std::string>(settings_.host),
        .stop_timeout = settings_.stop_timeout,
        .parsed_options = settings_.parsed_options};
    send(worker, "spawn", spawn.to_wire());
  }
  last_targets_ = targets;
}

void MasterRunner::spawning_complete() {
  if (state_ != core::RunnerState::kSpawning) return;
  // The counts the dispatcher sent: the workers' reports follow within a moment.
  std::map<std::string, int> counts;
  for (const auto& cls : scenario_->user_classes()) counts[cls->name()] = 0;
  for (const auto& [worker, per_class] : last_targets_) {
    if (!find(worker)) continue;
    for (const auto& [name, n] : per_class) counts[name] += n;
  }
  log::info("All users spawned: " + core::format_user_classes_count(counts));
  set_state(core::RunnerState::kRunning);
}

// --- Stopping ------------------------------------------------------------------------------

void MasterRunner::stop(std::function<void()> done) {
  if (state_ == core::RunnerState::kReady || state_ == core::RunnerState::kStopped) {
    set_state(core::RunnerState::kStopped);
    if (done) done();
    return;
  }
  if (state_ == core::RunnerState::kStopping) {
    core::chain_callback(stop_done_, std::move(done));
    return;
  }
  final_user_classes_count_ = user_classes_count();
  set_state(core::RunnerState::kStopping);
  cycle_.reset();
  stop_done_ = std::move(done);
  for (auto& [id, node] : nodes_) {
    if (is_active(node.state)) send(id, "stop", Value());
  }
  stop_timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
      std::chrono::duration<double>(settings_.stop_timeout.value_or(0) + kStopGraceSeconds)));
  stop_timer_.async_wait([this](boost::system::error_code error) {
    if (error || state_ != core::RunnerState::kStopping) return;
    log::warning("Not every worker confirmed the stop in time; stopping anyway");
    set_state(core::RunnerState::kStopped);
    if (auto done = std::move(stop_done_)) done();
  });
  check_stopped();
}

void MasterRunner::check_stopped() {
  if (state_ != core::RunnerState::kStopping || quitting_) return;
  for (const auto& [id, node] : nodes_) {
    if (node.state == "spawning" || node.state == "running") return;
    if (node.user_count > 0 && node.state != "missing") return;
  }
  stop_timer_.cancel();
  set_state(core::RunnerState::kStopped);
  if (auto done = std::move(stop_done_)) done();
}

void MasterRunner::quit(std::function<void()> done) {
  // Locust's quit: no `stop`, `quit` to every worker. Each worker stops its users and sends its
  // last report before its own `quit`; waiting for those keeps the final counts exact.
  cycle_.reset();
  stop_timer_.cancel();
  if (state_ != core::RunnerState::kStopped && state_ != core::RunnerState::kReady) {
    final_user_classes_count_ = user_classes_count();
  }
  quitting_ = true;
  set_state(core::RunnerState::kStopping);
  std::vector<std::string> waiting;
  for (auto& [id, node] : nodes_) {
    if (node.state == "missing") continue;
    send(id, "quit", Value());
    waiting.push_back(id);
  }
  auto finish = std::make_shared<std::function<void()>>([this, done = std::move(done)] {
    quit_timer_.cancel();
    heartbeat_timer_.cancel();
    // A stop in progress ends with the quit.
    if (auto stopped = std::move(stop_done_)) stopped();
    set_state(core::RunnerState::kStopped);
    if (done) done();
  });
  if (waiting.empty()) {
    (*finish)();
    return;
  }
  // Poll until every worker that was told to quit has quit (its node removed), or time runs out.
  auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(settings_.stop_timeout.value_or(0) + kStopGraceSeconds));
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, waiting, deadline, finish, poll] {
    const bool all_gone = std::none_of(waiting.begin(), waiting.end(), [this](const auto& id) {
      const Node* node = find(id);
      return node != nullptr && node->state != "missing";
    });
    if (all_gone || std::chrono::steady_clock::now() >= deadline) {
      if (!all_gone) log::warning("Not every worker confirmed quitting in time");
      auto run = std::move(*finish);
      *poll = nullptr;  // break the cycle
      if (run) run();
      return;
    }
    quit_timer_.expires_after(50ms);
    quit_timer_.async_wait([poll](boost::system::error_code error) {
      if (!error && *poll) (*poll)();
    });
  };
  (*poll)();
}

void MasterRunner::reset_stats() {
  const double now = core::epoch_seconds();
  aggregate_.reset_all(now);
  aggregate_.clear_exceptions();
}

void MasterRunner::set_host(std::string host) {
  settings_.host = std::move(host);
}

// --- Views ---------------------------------------------------------------------------------

int MasterRunner::user_count() const {
  int total = 0;
  for (const auto& [id, node] : nodes_) total += node.user_count;
  return total;
}

std::map<std::string, int> MasterRunner::user_classes_count() const {
  std::map<std::string, int> counts;
  for (const auto& cls : scenario_->user_classes()) counts[cls->name()] = 0;
  for (const auto& [id, node] : nodes_) {
    for (const auto& [name, n] : node.user_classes_count) counts[name] += n;
  }
  return counts;
}

std::optional<std::vector<core::WorkerInfo>> MasterRunner::workers() const {
  std::vector<core::WorkerInfo> list;
  for (const auto& [id, node] : nodes_) {
    list.push_back({.id = id,
                    .state = node.state,
                    .user_count = node.user_count,
                    .cpu_usage = node.cpu_usage,
                    .memory_usage = node.memory_usage});
  }
  return list;
}

}  // namespace hornet::dist
