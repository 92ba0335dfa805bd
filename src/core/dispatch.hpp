// Locust's UsersDispatcher (locust/dispatch.py, reference §3.7): how many users of each class run
// on each worker, iteration by iteration of a ramp-up or ramp-down. The local runner's workers
// are its threads; a master's are its worker processes. Same algorithm, so a Hornet master
// distributes users exactly as a Locust master would.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/generator.hpp"

namespace hornet::core {

/// A user class as the dispatcher sees it.
struct DispatchClass {
  std::string name;
  double weight = 1;
  int fixed_count = 0;  // > 0: exactly this many users, dispatched first
};

/// Absolute targets: worker id -> class name -> user count (every class present, zeros included).
using UsersOnWorkers = std::map<std::string, std::map<std::string, int>>;

/// One dispatch cycle at a time (a ramp to a target count), iterated with next(). Not thread-safe.
///
/// Differences from Locust 2.12, both bug fixes: a fixed_count class that is already complete no
/// longer makes the next ramp-up loop forever, and removing the last worker is allowed.
class UsersDispatcher {
 public:
  UsersDispatcher(std::vector<std::string> worker_ids, std::vector<DispatchClass> classes);
  UsersDispatcher(const UsersDispatcher&) = delete;
  UsersDispatcher& operator=(const UsersDispatcher&) = delete;

  /// Starts a cycle towards `target_user_count` at `spawn_rate` users per second (> 0).
  /// `user_classes` (Locust 2.12's `user_classes` argument, a load shape's third item) names the
  /// classes new users are drawn from; empty: every class. Unknown names are ignored. When the
  /// set changes, the class sequence restarts (as Locust's new user generator). Users already
  /// running of other classes keep running until a ramp-down removes them (last in, first out),
  /// as in Locust.
  void new_dispatch(int target_user_count, double spawn_rate,
                    const std::vector<std::string>& user_classes = {});

  /// The next iteration's targets, or nullopt when the cycle is complete.
  std::optional<UsersOnWorkers> next();

  /// Seconds to wait after the iteration next() just returned before asking again: Locust's
  /// users_per_iteration / spawn_rate, or 0 once the target is reached. The caller subtracts the
  /// time it spent applying the iteration.
  double wait_before_next() const;

  /// Users per iteration: max(1, floor(spawn_rate)).
  int users_per_iteration() const noexcept { return users_per_iteration_; }

  /// A worker joined or left: the next iteration redistributes the current users over the new
  /// set of workers (Locust's rebalance).
  void add_worker(std::string id);
  void remove_worker(const std::string& id);

  /// Workers in dispatch order: by index within their host (the id's part before the first
  /// '_'), then by id.
  std::vector<std::string> worker_order() const;
  int current_user_count() const noexcept { return current_user_count_; }
  int target_user_count() const noexcept { return target_user_count_; }
  bool dispatch_in_progress() const noexcept { return dispatch_in_progress_; }

 private:
  using Counts = std::map<std::string, std::vector<int>>;  // worker id -> users per class

  void sort_workers();
  Counts zero_counts() const;
  UsersOnWorkers snapshot(const Counts& counts) const;
  Generator<UsersOnWorkers> dispatcher();
  Generator<int> user_generator();  // class index, or -1 when there is no class to spawn
  UsersOnWorkers add_users();
  UsersOnWorkers remove_users();
  int class_count(int cls) const;
  void prepare_rebalance();

  std::vector<std::string> workers_;  // dispatch order
  std::vector<DispatchClass> classes_;  // sorted by name
  std::vector<bool> enabled_;           // per class: new users may be of it (new_dispatch)
  Counts users_;
  Counts initial_users_;
  int target_user_count_ = 0;
  int current_user_count_ = 0;
  double spawn_rate_ = 1;
  int users_per_iteration_ = 1;
  double wait_between_dispatch_ = 1;
  std::size_t next_worker_ = 0;  // the cyclic worker iterator
  std::vector<std::pair<std::string, int>> active_users_;  // (worker id, class), LIFO
  Generator<int> users_generator_;
  Generator<UsersOnWorkers> iterations_;
  bool dispatch_in_progress_ = false;
  bool rebalance_ = false;
  bool no_wait_ = false;  // the iteration just returned is a cycle-opening rebalance
  bool try_dispatch_fixed_ = true;
  bool no_user_to_spawn_ = false;
};

/// roundrobin.smooth's sequence over (item, weight) pairs, `length` picks long (nginx's smooth
/// weighted round-robin, as Locust uses it). Exposed for tests.
std::vector<int> smooth_weighted_sequence(const std::vector<int>& weights, int length);

}  // namespace hornet::core
