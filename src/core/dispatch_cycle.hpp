// Locust's dispatch pacing on the control loop, shared by the local runner (threads) and the
// distributed master (worker processes): a test's UsersDispatcher, and its cycles run iteration
// by iteration, each iteration's targets handed over, then Locust's wait (less the time the
// hand-over took) before the next.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "core/scenario.hpp"

namespace hornet::core {

class DispatchCycle {
 public:
  /// Receives one iteration's absolute targets per worker.
  using Apply = std::function<void(const UsersOnWorkers& targets)>;

  explicit DispatchCycle(boost::asio::io_context& control) : timer_(control) {}

  /// The current test's dispatcher, or nullptr (none yet, or reset()).
  UsersDispatcher* dispatcher() const noexcept { return dispatcher_.get(); }

  /// The current test's dispatcher, created over `workers` and the scenario's classes (with
  /// their effective weights) if there is none.
  UsersDispatcher& ensure(std::vector<std::string> workers, const Scenario& scenario);

  /// Starts a cycle towards `target_user_count` at `spawn_rate` (replacing a running one):
  /// every iteration goes to `apply`, and `complete` runs after the last. Needs ensure() first.
  /// `user_classes`: the classes new users are drawn from (UsersDispatcher::new_dispatch).
  void start(int target_user_count, double spawn_rate, Apply apply,
             std::function<void()> complete, const std::vector<std::string>& user_classes = {});

  /// Ends the test's dispatching: no further iteration, and the dispatcher is dropped (Locust
  /// starts a fresh one for the next test).
  void reset();

 private:
  void iterate();

  boost::asio::steady_timer timer_;
  std::unique_ptr<UsersDispatcher> dispatcher_;
  Apply apply_;
  std::function<void()> complete_;
};

}  // namespace hornet::core
