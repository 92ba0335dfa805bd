#include "core/local_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace hornet::core {
namespace asio = boost::asio;

LocalRunner::LocalRunner(asio::io_context& control, std::shared_ptr<const Scenario> scenario,
               RunnerSettings settings)
    : control_(control),
      scenario_(std::move(scenario)),
      settings_(std::move(settings)),
      cycle_(control),
      aggregate_(epoch_seconds()) {
  const int threads = std::max(settings_.threads, 1);
  const std::size_t classes = scenario_->user_classes().size();
  for (int i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(static_cast<std::size_t>(i), scenario_,
                                                settings_.engine, control_, *this));
    // The dispatcher orders workers by host, then id: give the threads ids that sort by index.
    char id[32];
    std::snprintf(id, sizeof id, "local_%04d", i);
    worker_ids_.emplace_back(id);
  }
  users_per_worker_.assign(workers_.size(), std::vector<int>(classes, 0));
  stopping_per_worker_.assign(workers_.size(), 0);
}

LocalRunner::~LocalRunner() {
  for (auto& worker : workers_) worker->shutdown();
}

void LocalRunner::launch() {
  if (launched_) return;
  launched_ = true;
  for (auto& worker : workers_) worker->start();
}

void LocalRunner::set_state(RunnerState state) {
  if (state == state_) return;
  state_ = state;
  if (on_state_change) on_state_change(state);
}

void LocalRunner::start(int user_count, double spawn_rate,
                        const std::vector<std::string>& user_classes) {
  launch();
  target_user_count_ = std::max(user_count, 0);
  if (state_ != RunnerState::kRunning && state_ != RunnerState::kSpawning) {
    aggregate_.clear_all(epoch_seconds());
  }
  cycle_.ensure(worker_ids_, *scenario_);
  char line[96];
  std::snprintf(line, sizeof line, "Ramping to %d users at a rate of %.2f per second",
                target_user_count_, spawn_rate);
  log::info(line);
  set_state(RunnerState::kSpawning);
  cycle_.start(
      target_user_count_, spawn_rate,
      [this](const UsersOnWorkers& targets) { apply_iteration(targets); },
      [this] { spawning_complete(); }, user_classes);
}

void LocalRunner::apply_targets(const std::map<std::string, int>& users_per_class) {
  launch();
  cycle_.reset();
  const auto& classes = scenario_->user_classes();
  const std::size_t threads = workers_.size();
  std::vector<std::vector<int>> targets(threads, std::vector<int>(classes.size(), 0));
  // Each class's users round-robin over the threads, continuing where the previous class
  // stopped, so that threads stay within one user of each other overall.
  std::size_t next = 0;
  target_user_count_ = 0;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    auto it = users_per_class.find(classes[c]->name());
    const int count = it == users_per_class.end() ? 0 : std::max(it->second, 0);
    target_user_count_ += count;
    const int per_thread = count / static_cast<int>(threads);
    const int remainder = count % static_cast<int>(threads);
    for (std::size_t t = 0; t < threads; ++t) targets[t][c] = per_thread;
    for (int r = 0; r < remainder; ++r) targets[(next + r) % threads][c] += 1;
    next = (next + remainder) % threads;
  }
  set_state(RunnerState::kSpawning);
  for (std::size_t w = 0; w < threads; ++w) {
    users_per_worker_[w] = targets[w];
    workers_[w]->set_targets(std::move(targets[w]));
  }
  set_state(RunnerState::kRunning);
}

void LocalRunner::apply_iteration(const UsersOnWorkers& targets) {
  const auto& classes = scenario_->user_classes();
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    auto it = targets.find(worker_ids_[w]);
    if (it == targets.end()) continue;
    std::vector<int> per_class(classes.size(), 0);
    for (std::size_t c = 0; c < classes.size(); ++c) {
      auto count = it->second.find(classes[c]->name());
      if (count != it->second.end()) per_class[c] = count->second;
    }
    users_per_worker_[w] = per_class;
    workers_[w]->set_targets(std::move(per_class));
  }
}

void LocalRunner::spawning_complete() {
  log::info("All users spawned: " + core::format_user_classes_count(user_classes_count()));
  set_state(RunnerState::kRunning);
  if (settings_.reset_stats) {
    log::info("Resetting stats");
    // Statistics recorded so far in the workers belong to the ramp-up: collect them first, then
    // reset, so none of them lands after the reset.
    collect([this] { reset_stats(); });
  }
}

void LocalRunner::stop(std::function<void()> done) {
  if (state_ == RunnerState::kStopped || !launched_) {
    set_state(RunnerState::kStopped);
    if (done) done();
    return;
  }
  if (state_ == RunnerState::kStopping) {
    chain_callback(stop_done_, std::move(done));
    return;
  }
  final_user_classes_count_ = user_classes_count();
  set_state(RunnerState::kStopping);
  cycle_.reset();
  stop_done_ = std::move(done);
  stops_pending_ = static_cast<int>(workers_.size());
  for (auto& worker : workers_) worker->stop_all_users();
}

void LocalRunner::on_users_stopped(std::size_t worker) {
  std::fill(users_per_worker_[worker].begin(), users_per_worker_[worker].end(), 0);
  stopping_per_worker_[worker] = 0;
  if (--stops_pending_ > 0) return;
  // Every user has ended: the next collection holds every last request.
  collect([this] {
    if (state_ != RunnerState::kStopping) return;  // a new start came first
    set_state(RunnerState::kStopped);
    if (auto done = std::move(stop_done_)) done();
  });
}

void LocalRunner::quit(std::function<void()> done) {
  stop([this, done = std::move(done)] {
    for (auto& worker : workers_) worker->shutdown();
    if (done) done();
  });
}

void LocalRunner::reset_stats() {
  ++stats_generation_;
  const double now = epoch_seconds();
  aggregate_.reset_all(now);
  aggregate_.clear_exceptions();
  for (auto& worker : workers_) worker->reset_stats();
}

void LocalRunner::set_stop_timeout(double seconds) {
  settings_.engine.stop_timeout = seconds;
  for (auto& worker : workers_) worker->set_stop_timeout(seconds);
}

void LocalRunner::set_host(std::string host) {
  settings_.engine.host = host;
  for (auto& worker : workers_) worker->set_host(host);
}

void LocalRunner::hurry() {
  for (auto& worker : workers_) worker->hard_stop_users();
}

void LocalRunner::collect(std::function<void()> done) {
  if (!launched_) {
    if (done) done();
    return;
  }
  if (reports_pending_ > 0) {
    // A round is in flight, but its reports may predate the caller's interest (after a stop):
    // run one more round after it.
    next_collect_waiters_.push_back(std::move(done));
    return;
  }
  collect_waiters_.push_back(std::move(done));
  reports_pending_ = static_cast<int>(workers_.size());
  for (auto& worker : workers_) worker->request_report(stats_generation_);
}

void LocalRunner::on_report(WorkerReport report) {
  const double now = epoch_seconds();
  if (report.generation == stats_generation_) {
    if (on_delta) on_delta(report.delta);
    aggregate_.merge(report.delta, now);
  }
  users_per_worker_[report.worker] = std::move(report.users_per_class);
  stopping_per_worker_[report.worker] = report.stopping_users;
  if (--reports_pending_ > 0) return;
  auto waiters = std::move(collect_waiters_);
  collect_waiters_.clear();
  for (auto& waiter : waiters) {
    if (waiter) waiter();
  }
  if (!next_collect_waiters_.empty() && reports_pending_ == 0) {
    auto next = std::move(next_collect_waiters_);
    next_collect_waiters_.clear();
    collect_waiters_ = std::move(next);
    reports_pending_ = static_cast<int>(workers_.size());
    for (auto& worker : workers_) worker->request_report(stats_generation_);
  }
}

int LocalRunner::user_count() const {
  int total = 0;
  for (std::size_t w = 0; w < users_per_worker_.size(); ++w) {
    for (int n : users_per_worker_[w]) total += n;
    total += stopping_per_worker_[w];
  }
  return total;
}

std::map<std::string, int> LocalRunner::user_classes_count() const {
  std::map<std::string, int> counts;
  const auto& classes = scenario_->user_classes();
  for (std::size_t c = 0; c < classes.size(); ++c) {
    int n = 0;
    for (const auto& per_class : users_per_worker_) n += per_class[c];
    counts[classes[c]->name()] = n;
  }
  return counts;
}

}  // namespace hornet::core
