#include "core/dispatch_cycle.hpp"

#include <chrono>

namespace hornet::core {
namespace asio = boost::asio;

UsersDispatcher& DispatchCycle::ensure(std::vector<std::string> workers,
                                       const Scenario& scenario) {
  if (!dispatcher_) {
    std::vector<DispatchClass> classes;
    for (std::size_t i = 0; i < scenario.user_classes().size(); ++i) {
      const auto& info = *scenario.user_classes()[i]->info;
      classes.push_back({info.name, scenario.weight(i), info.fixed_count});
    }
    dispatcher_ = std::make_unique<UsersDispatcher>(std::move(workers), std::move(classes));
  }
  return *dispatcher_;
}

void DispatchCycle::start(int target_user_count, double spawn_rate, Apply apply,
                          std::function<void()> complete,
                          const std::vector<std::string>& user_classes) {
  timer_.cancel();
  apply_ = std::move(apply);
  complete_ = std::move(complete);
  dispatcher_->new_dispatch(target_user_count, spawn_rate, user_classes);
  iterate();
}

void DispatchCycle::reset() {
  timer_.cancel();
  dispatcher_.reset();
  apply_ = nullptr;
  complete_ = nullptr;
}

void DispatchCycle::iterate() {
  if (!dispatcher_) return;
  const auto started = std::chrono::steady_clock::now();
  std::optional<UsersOnWorkers> targets = dispatcher_->next();
  if (!targets) {
    if (auto complete = std::move(complete_)) complete();
    return;
  }
  apply_(*targets);
  if (!dispatcher_) return;  // apply reset the cycle
  const double wait = dispatcher_->wait_before_next();
  if (wait <= 0) {
    iterate();  // the last iteration: the next call ends the cycle
    return;
  }
  const auto spent = std::chrono::steady_clock::now() - started;
  timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
                           std::chrono::duration<double>(wait)) -
                       spent);
  timer_.async_wait([this](boost::system::error_code error) {
    if (!error) iterate();
  });
}

}  // namespace hornet::core
