// `--master`: the users run on worker processes (Hornet or Locust workers) and this process
// drives them, as Locust's MasterRunner does (reference §3): a ROUTER socket the workers connect
// to, Locust's dispatcher over the ready workers (one `spawn` per worker per iteration, absolute
// counts), the workers' stats reports merged into the statistics, heartbeats watched (a silent
// worker is "missing" after about 4 s and its users go to the others), stop and quit.
//
// Unlike Locust 2.12's master: malformed messages, unknown types and messages from unknown nodes
// are logged and ignored (Locust's master dies on some, reference §7); a worker that joins or
// leaves during a test always gets the users rebalanced (Locust does that on joins only with
// --enable-rebalancing); an empty version in client_ready is accepted (Debian's Locust, §0).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <hornet/result.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "core/dispatch_cycle.hpp"
#include "core/runner.hpp"
#include "core/scenario.hpp"
#include "dist/message.hpp"
#include "dist/transport.hpp"

namespace hornet::dist {

struct MasterSettings {
  std::string bind_host = "*";
  int bind_port = 5557;
  /// The host sent to workers in `spawn` (nil when empty: workers keep their own).
  std::string host;
  /// --stop-timeout, sent in `spawn`.
  std::optional<double> stop_timeout;
  /// --dist-key: the master's key pair; workers must know its public key.
  std::optional<CurveKeys> curve;
  /// `parsed_options` of every spawn message (the master's options, as Locust sends them).
  Value parsed_options = Map{};
};

class MasterRunner final : public core::Runner {
 public:
  MasterRunner(boost::asio::io_context& io, std::shared_ptr<const core::Scenario> scenario,
               MasterSettings settings);
  ~MasterRunner() override;

  /// Binds the ROUTER; returns the port (useful with port 0). Fails with Locust's message when
  /// the port is busy.
  [[nodiscard]] Result<int> bind();

  /// Workers in state ready, spawning or running.
  int active_worker_count() const;

  /// Runs when the last worker quit during a test (a headless master then quits, as Locust's).
  std::function<void()> on_last_worker_quit;

  // core::Runner
  void launch() override {}
  void start(int user_count, double spawn_rate,
             const std::vector<std::string>& user_classes = {}) override;
  void stop(std::function<void()> done) override;
  void quit(std::function<void()> done) override;
  void reset_stats() override;
  void set_host(std::string host) override;
  void hurry() override {}
  /// Reports arrive by themselves every 3 s: the statistics are as fresh as they get.
  void collect(std::function<void()> done) override {
    if (done) done();
  }
  core::RunnerState state() const noexcept override { return state_; }
  int user_count() const override;
  std::map<std::string, int> user_classes_count() const override;
  const std::map<std::string, int>& final_user_classes_count() const noexcept override {
    return final_user_classes_count_;
  }
  int target_user_count() const noexcept override { return target_user_count_; }
  std::optional<std::vector<core::WorkerInfo>> workers() const override;
  const stats::Aggregate& stats() const noexcept override { return aggregate_; }
  stats::Aggregate& stats() noexcept override { return aggregate_; }
  const core::Scenario& scenario() const noexcept override { return *scenario_; }

 private:
  struct Node {
    std::string id;
    int index = 0;
    std::string state = "ready";  // ready, spawning, running, stopped, missing
    int heartbeat = 3;            // liveness: reset by every heartbeat, -1 per second
    double cpu_usage = 0;
    std::uint64_t memory_usage = 0;
    bool cpu_warned = false;
    std::map<std::string, int> user_classes_count;
    int user_count = 0;
  };

  void on_payload(const std::string& identity, const std::string& payload);
  void on_client_ready(const Message& message);
  void send(const std::string& node_id, std::string type, Value data);
  void set_state(core::RunnerState state);
  void start_cycle();
  void send_spawns(const core::UsersOnWorkers& targets);
  void spawning_complete();
  void redispatch();
  void check_heartbeats();
  void schedule_heartbeat_check();
  void check_stopped();
  void remove_node(const std::string& id);
  Node* find(const std::string& id);

  boost::asio::io_context& io_;
  std::shared_ptr<const core::Scenario> scenario_;
  MasterSettings settings_;
  std::unique_ptr<ZapHandler> zap_;  // with --dist-key; before socket_, so it outlives it
  Socket socket_;
  core::DispatchCycle cycle_;  // the current test's dispatcher and its pacing
  boost::asio::steady_timer heartbeat_timer_;
  boost::asio::steady_timer stop_timer_;
  boost::asio::steady_timer quit_timer_;
  bool quitting_ = false;
  stats::Aggregate aggregate_;
  core::RunnerState state_ = core::RunnerState::kReady;

  std::map<std::string, Node> nodes_;
  std::map<std::string, int> indices_;  // client id -> index, stable for the master's lifetime
  core::UsersOnWorkers last_targets_;  // the last iteration's targets
  double last_spawn_timestamp_ = 0;
  int target_user_count_ = 0;
  double spawn_rate_ = 1;
  std::vector<std::string> user_classes_;  // the current ramp's classes (empty: all)
  std::map<std::string, int> final_user_classes_count_;
  std::function<void()> stop_done_;
};

}  // namespace hornet::dist
