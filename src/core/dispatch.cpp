#include "core/dispatch.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace hornet::core {

std::vector<int> smooth_weighted_sequence(const std::vector<int>& weights, int length) {
  std::vector<int> sequence;
  sequence.reserve(static_cast<std::size_t>(std::max(length, 0)));
  if (weights.empty()) return sequence;
  struct Item {
    int weight, current, effective;
  };
  std::vector<Item> items;
  for (int w : weights) items.push_back({w, 0, w});
  for (int n = 0; n < length; ++n) {
    if (items.size() == 1) {
      sequence.push_back(0);
      continue;
    }
    int total = 0;
    int picked = -1;
    for (std::size_t i = 0; i < items.size(); ++i) {
      Item& item = items[i];
      item.current += item.effective;
      total += item.effective;
      if (item.effective < item.weight) ++item.effective;
      if (picked < 0 || items[static_cast<std::size_t>(picked)].current < item.current) {
        picked = static_cast<int>(i);
      }
    }
    items[static_cast<std::size_t>(picked)].current -= total;
    sequence.push_back(picked);
  }
  return sequence;
}

namespace {

// Locust's infinite_cycle_gen: weights normalised so the smallest becomes 2 (Python's round()
// rounds half to even, as nearbyint does by default), then one smooth round-robin block of
// sum(normalised) picks, cycled. Returns indices into `members`; empty if there are none.
std::vector<int> cycle_block(const std::vector<int>& members, const std::vector<double>& values) {
  if (members.empty()) return {};
  double min_value = values[0];
  for (double v : values) min_value = std::min(min_value, v);
  std::vector<int> normalised;
  int length = 0;
  for (double v : values) {
    const int n = static_cast<int>(std::nearbyint(2.0 * v / min_value));
    normalised.push_back(n);
    length += n;
  }
  std::vector<int> block;
  for (int i : smooth_weighted_sequence(normalised, length)) {
    block.push_back(members[static_cast<std::size_t>(i)]);
  }
  return block;
}

}  // namespace

UsersDispatcher::UsersDispatcher(std::vector<std::string> worker_ids,
                                 std::vector<DispatchClass> classes)
    : workers_(std::move(worker_ids)), classes_(std::move(classes)) {
  if (classes_.empty()) throw std::invalid_argument("UsersDispatcher: no user classes");
  std::sort(classes_.begin(), classes_.end(),
            [](const DispatchClass& a, const DispatchClass& b) { return a.name < b.name; });
  sort_workers();
  enabled_.assign(classes_.size(), true);
  users_ = zero_counts();
  initial_users_ = users_;
  users_generator_ = user_generator();
}

void UsersDispatcher::sort_workers() {
  std::sort(workers_.begin(), workers_.end());
  std::map<std::string, int> per_host;
  std::vector<std::pair<int, std::string>> keyed;
  for (const auto& id : workers_) {
    const std::string host = id.substr(0, id.find('_'));
    keyed.emplace_back(per_host[host]++, id);
  }
  std::sort(keyed.begin(), keyed.end());
  workers_.clear();
  for (auto& [index, id] : keyed) workers_.push_back(std::move(id));
}

std::vector<std::string> UsersDispatcher::worker_order() const { return workers_; }

UsersDispatcher::Counts UsersDispatcher::zero_counts() const {
  Counts counts;
  for (const auto& id : workers_) counts[id].assign(classes_.size(), 0);
  return counts;
}

UsersOnWorkers UsersDispatcher::snapshot(const Counts& counts) const {
  UsersOnWorkers out;
  for (const auto& [worker, per_class] : counts) {
    auto& row = out[worker];
    for (std::size_t c = 0; c < classes_.size(); ++c) row[classes_[c].name] = per_class[c];
  }
  return out;
}

int UsersDispatcher::class_count(int cls) const {
  int count = 0;
  for (const auto& [worker, per_class] : users_) count += per_class[static_cast<std::size_t>(cls)];
  return count;
}

void UsersDispatcher::new_dispatch(int target_user_count, double spawn_rate,
                                   const std::vector<std::string>& user_classes) {
  std::vector<bool> enabled(classes_.size(), user_classes.empty());
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    if (std::find(user_classes.begin(), user_classes.end(), classes_[c].name) !=
        user_classes.end()) {
      enabled[c] = true;
    }
  }
  if (enabled != enabled_) {
    enabled_ = std::move(enabled);
    users_generator_ = user_generator();
  }
  target_user_count_ = std::max(target_user_count, 0);
  spawn_rate_ = spawn_rate > 0 ? spawn_rate : 1;
  users_per_iteration_ = std::max(1, static_cast<int>(std::floor(spawn_rate_)));
  wait_between_dispatch_ = users_per_iteration_ / spawn_rate_;
  initial_users_ = users_;
  current_user_count_ = 0;
  for (const auto& [worker, per_class] : users_) {
    for (int n : per_class) current_user_count_ += n;
  }
  iterations_ = dispatcher();
}

std::optional<UsersOnWorkers> UsersDispatcher::next() { return iterations_.next(); }

double UsersDispatcher::wait_before_next() const {
  return no_wait_ || current_user_count_ == target_user_count_ ? 0.0 : wait_between_dispatch_;
}

Generator<UsersOnWorkers> UsersDispatcher::dispatcher() {
  dispatch_in_progress_ = true;
  if (rebalance_) {
    rebalance_ = false;
    // Locust yields this snapshot outside its wait: the first iteration follows at once.
    no_wait_ = true;
    co_yield snapshot(users_);
    no_wait_ = false;
    if (current_user_count_ == target_user_count_) {
      dispatch_in_progress_ = false;
      co_return;
    }
  }
  if (current_user_count_ == target_user_count_) {
    co_yield snapshot(initial_users_);
    dispatch_in_progress_ = false;
    co_return;
  }
  while (current_user_count_ < target_user_count_) {
    co_yield add_users();
    if (rebalance_) {
      rebalance_ = false;
      co_yield snapshot(users_);
    }
    if (no_user_to_spawn_) {
      no_user_to_spawn_ = false;
      break;
    }
  }
  while (current_user_count_ > target_user_count_) {
    co_yield remove_users();
    if (rebalance_) {
      rebalance_ = false;
      co_yield snapshot(users_);
    }
  }
  dispatch_in_progress_ = false;
}

UsersOnWorkers UsersDispatcher::add_users() {
  const int iteration_target =
      std::min(current_user_count_ + users_per_iteration_, target_user_count_);
  while (true) {
    const std::optional<int> user = users_generator_.next();
    if (!user || *user < 0 || workers_.empty()) {
      no_user_to_spawn_ = true;
      break;
    }
    const std::string& worker = workers_[next_worker_++ % workers_.size()];
    users_[worker][static_cast<std::size_t>(*user)] += 1;
    ++current_user_count_;
    active_users_.emplace_back(worker, *user);
    if (current_user_count_ >= iteration_target) break;
  }
  return snapshot(users_);
}

UsersOnWorkers UsersDispatcher::remove_users() {
  const int iteration_target =
      std::max(current_user_count_ - users_per_iteration_, target_user_count_);
  while (!active_users_.empty()) {
    auto [worker, user] = active_users_.back();
    active_users_.pop_back();
    auto it = users_.find(worker);
    if (it != users_.end()) it->second[static_cast<std::size_t>(user)] -= 1;
    --current_user_count_;
    try_dispatch_fixed_ = true;
    if (current_user_count_ == 0 || current_user_count_ <= iteration_target) break;
  }
  return snapshot(users_);
}

Generator<int> UsersDispatcher::user_generator() {
  std::vector<int> fixed_members, weighted_members;
  std::vector<double> fixed_values, weighted_values;
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    if (!enabled_[c]) continue;
    if (classes_[c].fixed_count > 0) {
      fixed_members.push_back(static_cast<int>(c));
      fixed_values.push_back(classes_[c].fixed_count);
    } else {
      weighted_members.push_back(static_cast<int>(c));
      weighted_values.push_back(classes_[c].weight);
    }
  }
  const std::vector<int> fixed_block = cycle_block(fixed_members, fixed_values);
  const std::vector<int> weighted_block = cycle_block(weighted_members, weighted_values);
  std::size_t fixed_next = 0;
  std::size_t weighted_next = 0;

  auto count_fixed = [&] {
    std::map<int, int> counts;
    for (int cls : fixed_members) counts[cls] = class_count(cls);
    return counts;
  };

  while (true) {
    if (try_dispatch_fixed_ && !fixed_block.empty()) {
      try_dispatch_fixed_ = false;
      std::map<int, int> current = count_fixed();
      std::set<int> complete;
      while (complete.size() != fixed_members.size()) {
        const int cls = fixed_block[fixed_next++ % fixed_block.size()];
        const int wanted = classes_[static_cast<std::size_t>(cls)].fixed_count;
        if (current[cls] >= wanted) {
          // Locust never marks a class that was complete before this pass, and loops forever.
          complete.insert(cls);
          continue;
        }
        if (++current[cls] == wanted) complete.insert(cls);
        co_yield cls;
        if (try_dispatch_fixed_) {  // users were removed meanwhile: count again
          current = count_fixed();
          complete.clear();
          try_dispatch_fixed_ = false;
        }
      }
    }
    try_dispatch_fixed_ = false;
    co_yield weighted_block.empty() ? -1 : weighted_block[weighted_next++ % weighted_block.size()];
  }
}

void UsersDispatcher::add_worker(std::string id) {
  if (std::find(workers_.begin(), workers_.end(), id) != workers_.end()) return;
  workers_.push_back(std::move(id));
  sort_workers();
  prepare_rebalance();
}

void UsersDispatcher::remove_worker(const std::string& id) {
  workers_.erase(std::remove(workers_.begin(), workers_.end(), id), workers_.end());
  users_.erase(id);
  if (workers_.empty()) {
    active_users_.clear();
    current_user_count_ = 0;
    return;
  }
  prepare_rebalance();
}

void UsersDispatcher::prepare_rebalance() {
  // Locust recomputes the distribution from zero for the current user count, as a ramp-up
  // without waits, and continues from the generators that ramp-up left.
  users_ = zero_counts();
  try_dispatch_fixed_ = true;
  users_generator_ = user_generator();
  next_worker_ = 0;
  active_users_.clear();
  Counts distributed = zero_counts();
  int count = 0;
  while (count < current_user_count_) {
    const std::optional<int> user = users_generator_.next();
    if (!user || *user < 0) break;
    const std::string& worker = workers_[next_worker_++ % workers_.size()];
    distributed[worker][static_cast<std::size_t>(*user)] += 1;
    ++count;
    active_users_.emplace_back(worker, *user);
  }
  users_ = std::move(distributed);
  rebalance_ = true;
}

}  // namespace hornet::core
