// `--worker`: this process runs users for a master (a Hornet or a Locust master), as Locust's
// WorkerRunner does (reference §3.3-3.6): it announces itself with client_ready until acked,
// sends a heartbeat every second and a stats report every 3 s, spawns the absolute user counts
// each `spawn` asks for at once, and answers stop, quit and reconnect.
//
// Beyond Locust 2.12, whose master sends nothing a worker could miss: the worker watches its
// connection. When the master goes away it stops its users and waits for it; a master that is
// back (or another one on the same address) gets client_ready again; one that stays away for
// --master-timeout seconds ends the worker with exit code 1 and a message saying so.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <hornet/result.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/local_runner.hpp"
#include "dist/message.hpp"
#include "dist/process_usage.hpp"
#include "dist/transport.hpp"
#include "stats/delta.hpp"

namespace hornet::dist {

struct WorkerSettings {
  std::string master_host = "127.0.0.1";
  int master_port = 5557;
  /// Seconds without a master before the worker gives up.
  double master_timeout = 60;
  /// --dist-key: the shared key pair (the master's, and this worker's to prove it has it).
  std::optional<CurveKeys> curve;
  /// Whether the master is known to be Hornet (--dist-key implies it): stats reports then carry
  /// the exact histograms. Locust's master ignores them, so sending them is always safe.
  bool send_histograms = true;
};

class WorkerRunner {
 public:
  WorkerRunner(boost::asio::io_context& io, core::LocalRunner& local, WorkerSettings settings);
  ~WorkerRunner();
  WorkerRunner(const WorkerRunner&) = delete;
  WorkerRunner& operator=(const WorkerRunner&) = delete;

  /// Connects and announces this worker. Fails if the socket cannot be set up.
  [[nodiscard]] Result<void> start();

  /// Ctrl-C / SIGTERM: stop the users, send the last statistics and `quit`, then exit (0).
  void shutdown();

  /// This worker's id: hostname_uuidhex, as Locust's.
  const std::string& client_id() const noexcept { return client_id_; }

  /// Runs once, when the worker is done; the argument is the process exit code.
  std::function<void(int)> on_exit;

 private:
  void open_socket();
  void on_payload(const std::string& payload);
  void on_connection(bool connected);
  void send(std::string type, Value data);
  void send_client_ready();
  void schedule_client_ready_retry();
  void schedule_heartbeat();
  void schedule_report();
  void send_report();
  void handle_spawn(const Value& data);
  void handle_stop();
  void quit_and_exit(int code);
  void exit(int code);

  boost::asio::io_context& io_;
  core::LocalRunner& local_;
  WorkerSettings settings_;
  std::string client_id_;
  std::unique_ptr<Socket> socket_;
  boost::asio::steady_timer ready_timer_;
  boost::asio::steady_timer heartbeat_timer_;
  boost::asio::steady_timer report_timer_;
  boost::asio::steady_timer master_lost_timer_;
  ProcessUsage usage_;

  std::string state_ = "ready";  // what heartbeats report: ready, spawning, running, stopped
  bool acked_ = false;
  bool master_lost_ = false;
  bool handshake_error_logged_ = false;
  bool exiting_ = false;
  int ready_retries_ = 0;
  double last_spawn_timestamp_ = -1;
  stats::Delta pending_;  // recorded since the last report
};

/// Locust's client id: the host name, "_", and a random 32-hex-digit UUID.
std::string make_client_id();

}  // namespace hornet::dist
