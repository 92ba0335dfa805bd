#include "core/worker.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/user_runtime.hpp"

namespace hornet::core {
namespace asio = boost::asio;
using detail::UserRuntime;

namespace {
// After --stop-timeout, users still finishing are stopped at their current await; a user that
// still has not ended this much later (stuck in on_stop) is ended outright.
constexpr auto kHardStopGrace = std::chrono::seconds(5);
}  // namespace

Worker::Worker(std::size_t index, std::shared_ptr<const Scenario> scenario, EngineSettings settings,
               asio::io_context& control, WorkerListener& listener)
    : index_(index),
      scenario_(std::move(scenario)),
      settings_(std::move(settings)),
      control_(control),
      listener_(listener),
      // Only this thread touches its sockets; other threads only post: the reactor needs no
      // locking, the scheduler does.
      io_(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO),
      net_(io_, settings_.client),
      shard_(epoch_seconds()),
      rng_(std::random_device{}() ^ (0x9e3779b97f4a7c15ULL * (index + 1))),
      active_(scenario_->user_classes().size()),
      stop_timeout_(settings_.stop_timeout) {}

Worker::~Worker() {
  if (thread_.joinable()) shutdown();
}

void Worker::start() {
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

void Worker::set_targets(std::vector<int> users_per_class) {
  busy_code_deadline_.store(kNoDeadline, std::memory_order_relaxed);
  asio::post(io_, [this, targets = std::move(users_per_class)] {
    stopping_all_ = false;
    apply_targets(targets);
  });
}

void Worker::stop_all_users() {
  set_busy_code_deadline(std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(std::max(stop_timeout_.load(std::memory_order_relaxed), 0.0))));
  asio::post(io_, [this] {
    stopping_all_ = true;
    for (auto& per_class : active_) {
      for (UserRuntime* user : per_class) request_stop(*user);
      per_class.clear();
    }
    schedule_straggler_stop();
    maybe_report_stopped();
  });
}

void Worker::reset_stats() {
  asio::post(io_, [this] { shard_.reset(epoch_seconds()); });
}

void Worker::set_host(std::string host) {
  asio::post(io_, [this, host = std::move(host)]() mutable { settings_.host = std::move(host); });
}

void Worker::request_report(std::uint64_t generation) {
  asio::post(io_, [this, generation] {
    WorkerReport report;
    report.worker = index_;
    report.generation = generation;
    report.delta = shard_.take_delta(epoch_seconds());
    int active = 0;
    for (const auto& per_class : active_) {
      report.users_per_class.push_back(static_cast<int>(per_class.size()));
      active += static_cast<int>(per_class.size());
    }
    report.stopping_users = static_cast<int>(users_.size()) - active;
    asio::post(control_, [this, report = std::move(report)]() mutable {
      listener_.on_report(std::move(report));
    });
  });
}

void Worker::hard_stop_users() {
  set_busy_code_deadline(std::chrono::steady_clock::now());
  asio::post(io_, [this] {
    for (auto& user : users_) {
      if (user->stop_requested()) user->stop_token().request(net::StopToken::Mode::kHard);
    }
  });
}

void Worker::shutdown() {
  if (!thread_.joinable()) return;
  set_busy_code_deadline(std::chrono::steady_clock::now());
  asio::post(io_, [this] {
    shutting_down_ = true;
    stop_everyone(/*hard=*/true);
    if (users_.empty()) io_.stop();
  });
  thread_.join();
  work_.reset();
}

void Worker::set_busy_code_deadline(std::chrono::steady_clock::time_point deadline) noexcept {
  const auto ticks = deadline.time_since_epoch().count();
  auto current = busy_code_deadline_.load(std::memory_order_relaxed);
  while (ticks < current &&
         !busy_code_deadline_.compare_exchange_weak(current, ticks, std::memory_order_relaxed)) {
  }
}

void Worker::apply_targets(const std::vector<int>& users_per_class) {
  for (std::size_t c = 0; c < active_.size() && c < users_per_class.size(); ++c) {
    auto& active = active_[c];
    const auto target = static_cast<std::size_t>(std::max(users_per_class[c], 0));
    while (active.size() < target) spawn(c);
    bool stopped_some = false;
    while (active.size() > target) {
      // Ramp-down stops the newest users first, as Locust's dispatcher does.
      UserRuntime* user = active.back();
      active.pop_back();
      request_stop(*user);
      stopped_some = true;
    }
    if (stopped_some) schedule_straggler_stop();
  }
}

void Worker::spawn(std::size_t class_index) {
  auto runtime =
      std::make_unique<UserRuntime>(*this, scenario_->user_classes()[class_index], class_index);
  UserRuntime* user = runtime.get();
  user->slot = users_.size();
  users_.push_back(std::move(runtime));
  active_[class_index].push_back(user);
  user->start();
}

void Worker::request_stop(UserRuntime& user) {
  const auto now = std::chrono::steady_clock::now();
  user.mark_stop_requested(
      now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(std::max(stop_timeout_.load(std::memory_order_relaxed), 0.0))));
  if (stop_timeout_.load(std::memory_order_relaxed) > 0 && user.state() == UserRuntime::State::kRunning) {
    // Locust: with --stop-timeout a running user finishes its task; StopUser comes at the next
    // task boundary.
    user.set_state(UserRuntime::State::kStopping);
  } else {
    user.stop_token().request(net::StopToken::Mode::kSoft);
  }
}

void Worker::schedule_straggler_stop() {
  // Two deadlines per stopped user: at its --stop-timeout, a user still finishing its task is
  // stopped at its current await; a grace period later, a user still not ended (stuck in
  // on_stop) is ended outright, so a stop always completes. Each user keeps its own deadlines:
  // a later stop request does not shorten an earlier one's, nor the other way round.
  auto timer = std::make_shared<asio::steady_timer>(io_);
  timer->expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
      std::chrono::duration<double>(std::max(stop_timeout_.load(std::memory_order_relaxed), 0.0))));
  timer->async_wait([this, timer](boost::system::error_code error) {
    if (error) return;
    const auto now = std::chrono::steady_clock::now();
    bool any = false;
    for (auto& user : users_) {
      if (user->stop_requested() && user->state() == UserRuntime::State::kStopping &&
          user->stop_deadline() <= now) {
        user->stop_token().request(net::StopToken::Mode::kSoft);
        any = true;
      }
    }
    if (any) {
      log::info("Not all users finished their tasks & terminated in " +
                std::to_string(static_cast<int>(stop_timeout_.load(std::memory_order_relaxed))) +
                " seconds. Stopping them...");
    }
    timer->expires_after(kHardStopGrace);
    timer->async_wait([this, timer](boost::system::error_code e) {
      if (e) return;
      const auto now = std::chrono::steady_clock::now();
      for (auto& user : users_) {
        if (user->stop_requested() && user->stop_deadline() + kHardStopGrace <= now) {
          user->stop_token().request(net::StopToken::Mode::kHard);
        }
      }
    });
  });
}

void Worker::stop_everyone(bool hard) {
  for (auto& per_class : active_) per_class.clear();
  const auto now = std::chrono::steady_clock::now();
  for (auto& user : users_) {
    user->mark_stop_requested(now);
    user->stop_token().request(hard ? net::StopToken::Mode::kHard : net::StopToken::Mode::kSoft);
  }
}

void Worker::user_finished(UserRuntime& user) {
  // Deferred: the user's coroutine is still unwinding its last frame when it calls this.
  asio::post(io_, [this, raw = &user] {
    // The slot is read now: removals in between move users around.
    const std::size_t slot = raw->slot;
    auto& active = active_[raw->class_index()];
    std::erase(active, raw);  // a user that stopped itself (StopUser) is still listed
    users_[slot] = std::move(users_.back());
    users_[slot]->slot = slot;
    users_.pop_back();  // destroys the user, its session and connections
    maybe_report_stopped();
    if (shutting_down_ && users_.empty()) io_.stop();
  });
}

void Worker::maybe_report_stopped() {
  if (!stopping_all_ || !users_.empty()) return;
  stopping_all_ = false;
  asio::post(control_, [this] { listener_.on_users_stopped(index_); });
}

}  // namespace hornet::core
