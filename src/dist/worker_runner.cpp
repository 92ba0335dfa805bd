#include "dist/worker_runner.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>

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
constexpr auto kReportInterval = 3s;
constexpr auto kConnectRetryInterval = 5s;
constexpr int kConnectRetries = 60;
// Exceptions travel one message per occurrence (Locust's form); beyond this many per report
// they are only counted in the log, so a task failing in a tight loop cannot flood the master.
constexpr std::uint64_t kExceptionsPerReport = 100;

std::string hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::string make_client_id() {
  std::random_device device;
  std::mt19937_64 generator((static_cast<std::uint64_t>(device()) << 32) ^ device());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(generator()),
                static_cast<unsigned long long>(generator()));
  return hostname() + "_" + hex;
}

WorkerRunner::WorkerRunner(asio::io_context& io, core::LocalRunner& local, WorkerSettings settings)
    : io_(io),
      local_(local),
      settings_(std::move(settings)),
      client_id_(make_client_id()),
      ready_timer_(io),
      heartbeat_timer_(io),
      report_timer_(io),
      master_lost_timer_(io) {
  local_.on_delta = [this](const stats::Delta& delta) {
    pending_.extend(delta);
  };
}

WorkerRunner::~WorkerRunner() {
  local_.on_delta = nullptr;
}

Result<void> WorkerRunner::start() {
  local_.launch();
  open_socket();
  if (!socket_) return Error{"cannot connect to the master"};
  log::info("Starting Hornet worker " + client_id_ + ", master at " + settings_.master_host + ":" +
            std::to_string(settings_.master_port));
  send_client_ready();
  schedule_client_ready_retry();
  schedule_heartbeat();
  schedule_report();
  return {};
}

void WorkerRunner::open_socket() {
  if (socket_) socket_->close(0);
  socket_ = std::make_unique<Socket>(io_, Socket::Kind::kDealer);
  if (settings_.curve) {
    // The shared pair as this worker's own keys: the master's ZAP handler checks it.
    if (auto curve = socket_->use_curve_client(*settings_.curve, settings_.curve->public_key);
        !curve) {
      log::error(curve.error().message);
      socket_.reset();
      return;
    }
  }
  socket_->on_message = [this](std::string, std::string payload) {
    on_payload(payload);
  };
  socket_->on_link = [this](Socket::Link link) {
    if (link == Socket::Link::kHandshakeFailed) {
      // ZeroMQ retries several times a second: say it once until a handshake succeeds.
      if (handshake_error_logged_) return;
      handshake_error_logged_ = true;
      log::error("The master at " + settings_.master_host + ":" +
                 std::to_string(settings_.master_port) + " refused the connection's handshake" +
                 (settings_.curve ? ": is its --dist-key the same as this worker's?"
                                  : ": does it require --dist-key?"));
      return;
    }
    if (link == Socket::Link::kUp) handshake_error_logged_ = false;
    on_connection(link == Socket::Link::kUp);
  };
  if (auto connected = socket_->connect(settings_.master_host, settings_.master_port, client_id_);
      !connected) {
    log::error(connected.error().message);
    socket_.reset();
  }
}

void WorkerRunner::send(std::string type, Value data) {
  if (!socket_) return;
  socket_->send(encode(Message{std::move(type), std::move(data), client_id_}));
}

void WorkerRunner::send_client_ready() {
  send("client_ready", Value(std::string(kLocustProtocolVersion)));
}

void WorkerRunner::schedule_client_ready_retry() {
  ready_timer_.expires_after(kConnectRetryInterval);
  ready_timer_.async_wait([this](boost::system::error_code error) {
    if (error || acked_ || exiting_ || master_lost_) return;
    if (++ready_retries_ > kConnectRetries) {
      log::error("Failed to connect to the master at " + settings_.master_host + ":" +
                 std::to_string(settings_.master_port) + " after " +
                 std::to_string(kConnectRetries) + " retries");
      exit(1);
      return;
    }
    log::info("Failed to connect to master " + settings_.master_host + ":" +
              std::to_string(settings_.master_port) + ", retry " + std::to_string(ready_retries_) +
              "/" + std::to_string(kConnectRetries) + "." +
              (ready_retries_ == 1 && !settings_.curve
                   ? " (A master started with --dist-key only answers workers with its key.)"
                   : ""));
    send_client_ready();
    schedule_client_ready_retry();
  });
}

void WorkerRunner::schedule_heartbeat() {
  heartbeat_timer_.expires_after(kHeartbeatInterval);
  heartbeat_timer_.async_wait([this](boost::system::error_code error) {
    if (error || !socket_) return;
    Heartbeat beat{.state = state_,
                   .current_cpu_usage = usage_.cpu_percent(),
                   .current_memory_usage = ProcessUsage::resident_bytes()};
    send("heartbeat", beat.to_wire());
    schedule_heartbeat();
  });
}

void WorkerRunner::schedule_report() {
  report_timer_.expires_after(kReportInterval);
  report_timer_.async_wait([this](boost::system::error_code error) {
    if (error || exiting_) return;
    local_.collect([this] {
      if (!exiting_) send_report();
    });
    schedule_report();
  });
}

void WorkerRunner::send_report() {
  // Exceptions first, one message each, so the master has them when the report's counts land.
  std::uint64_t sent = 0, dropped = 0;
  for (const auto& exception : pending_.exceptions) {
    for (std::uint64_t i = 0; i < exception.count; ++i) {
      if (sent == kExceptionsPerReport) {
        ++dropped;
        continue;
      }
      send("exception", exception_to_wire(exception.message, exception.traceback));
      ++sent;
    }
  }
  if (dropped > 0) {
    log::warning(std::to_string(dropped) +
                 " more exceptions in this interval were not sent to "
                 "the master (at most " +
                 std::to_string(kExceptionsPerReport) + " per report)");
  }
  send("stats", report_to_wire(pending_, local_.user_classes_count(), local_.user_count(),
                               settings_.send_histograms ? HornetHistograms::kInclude
                                                         : HornetHistograms::kOmit));
  pending_ = stats::Delta{};
  pending_.total.name = "Aggregated";
  pending_.total.start_time = core::epoch_seconds();
}

void WorkerRunner::on_payload(const std::string& payload) {
  // Quitting: a spawn now would restart users the quit is stopping, and the quit would never
  // complete. The master learns of the quit from the `quit` this worker sends at the end.
  if (exiting_) return;
  auto decoded = decode_message(payload);
  if (!decoded) {
    log::warning("Ignored a malformed message from the master: " + decoded.error().message);
    return;
  }
  const Message& message = decoded.value();
  if (message.type == "ack") {
    auto ack = Ack::from_wire(message.data);
    if (!ack) {
      log::warning("Ignored an ack from the master: " + ack.error().message);
      return;
    }
    if (!acked_) {
      log::info("Connected to the master as worker index " +
                (ack.value().index ? std::to_string(*ack.value().index) : std::string("?")));
    }
    acked_ = true;
    ready_retries_ = 0;
  } else if (message.type == "spawn") {
    handle_spawn(message.data);
  } else if (message.type == "stop") {
    handle_stop();
  } else if (message.type == "quit") {
    log::info("Got quit message from master, shutting down...");
    quit_and_exit(0);
  } else if (message.type == "reconnect") {
    log::warning("Received reconnect message from master. Resetting RPC connection.");
    open_socket();
  } else {
    log::warning("Unknown message type received: " + http::ascii::quote_for_message(message.type));
  }
}

void WorkerRunner::handle_spawn(const Value& data) {
  send("spawning", Value());
  auto spawn = Spawn::from_wire(data);
  if (!spawn) {
    log::warning("Ignored a spawn message from the master: " + spawn.error().message);
    return;
  }
  if (spawn.value().timestamp <= last_spawn_timestamp_) {
    log::warning(
        "Discard spawn message with older or equal timestamp than timestamp of previous "
        "spawn message");
    return;
  }
  last_spawn_timestamp_ = spawn.value().timestamp;
  if (state_ == "ready" || state_ == "stopped") {
    // A new test: what was recorded before it is not reported.
    pending_ = stats::Delta{};
    pending_.total.name = "Aggregated";
    pending_.total.start_time = core::epoch_seconds();
  }
  if (spawn.value().host && !spawn.value().host->empty()) local_.set_host(*spawn.value().host);
  // As Locust's worker: the master's --stop-timeout applies here (nil: this worker's own).
  if (spawn.value().stop_timeout) local_.set_stop_timeout(*spawn.value().stop_timeout);
  state_ = "spawning";
  local_.apply_targets(spawn.value().user_classes_count);
  state_ = "running";
  SpawningComplete complete{.user_classes_count = local_.user_classes_count(),
                            .user_count = local_.target_user_count()};
  send("spawning_complete", complete.to_wire());
}

void WorkerRunner::handle_stop() {
  state_ = "stopped";
  local_.stop([this] {
    if (exiting_) return;
    send("client_stopped", Value());
    send_client_ready();
    state_ = "ready";
  });
}

void WorkerRunner::on_connection(bool connected) {
  if (exiting_) return;
  if (connected) {
    if (master_lost_) {
      master_lost_ = false;
      master_lost_timer_.cancel();
      log::info("The master is back: announcing this worker again");
      acked_ = false;
      ready_retries_ = 0;
      schedule_client_ready_retry();
    }
    // With ZMQ_IMMEDIATE nothing was queued before the handshake: say hello now.
    if (!acked_) send_client_ready();
    return;
  }
  if (!acked_ || master_lost_) return;
  master_lost_ = true;
  log::warning("Lost the connection to the master at " + settings_.master_host + ":" +
               std::to_string(settings_.master_port) + ": stopping the users and waiting " +
               std::to_string(static_cast<int>(settings_.master_timeout)) + " s for it");
  if (local_.state() == core::RunnerState::kSpawning ||
      local_.state() == core::RunnerState::kRunning) {
    state_ = "stopped";
    local_.stop([this] { state_ = "ready"; });
  }
  master_lost_timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
      std::chrono::duration<double>(settings_.master_timeout)));
  master_lost_timer_.async_wait([this](boost::system::error_code error) {
    if (error || !master_lost_ || exiting_) return;
    log::error("The master at " + settings_.master_host + ":" +
               std::to_string(settings_.master_port) + " did not come back within " +
               std::to_string(static_cast<int>(settings_.master_timeout)) + " s: giving up");
    exit(1);
  });
}

void WorkerRunner::shutdown() {
  if (exiting_) {
    local_.hurry();  // a second signal: do not wait for tasks
    return;
  }
  quit_and_exit(0);
}

void WorkerRunner::quit_and_exit(int code) {
  if (exiting_) return;
  exiting_ = true;
  state_ = "stopped";
  // Heartbeats go on while the users finish (up to --stop-timeout): a silent worker would be
  // marked missing and its users given to others. exit() ends them.
  ready_timer_.cancel();
  report_timer_.cancel();
  master_lost_timer_.cancel();
  local_.quit([this, code] {
    // The last statistics, then quit, as Locust's worker sends them.
    send_report();
    send("quit", Value());
    exit(code);
  });
}

void WorkerRunner::exit(int code) {
  exiting_ = true;
  ready_timer_.cancel();
  heartbeat_timer_.cancel();
  report_timer_.cancel();
  master_lost_timer_.cancel();
  // Give queued messages (the last report, quit) a moment to leave.
  if (socket_) socket_->close(code == 0 ? 2000 : 0);
  if (auto done = std::move(on_exit)) done(code);
}

}  // namespace hornet::dist
