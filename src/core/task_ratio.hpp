// Task ratios, as Locust's --show-task-ratio, --show-task-ratio-json and /tasks report them
// (locust/user/inspectuser.py): the share of each user class and, within it, of each task.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/scenario.hpp"

namespace hornet::core {

/// Users per class for `num_users` users (0: the sum of the weights, or 1 with fixed counts),
/// rounded as Locust's _calc_distribution rounds.
std::map<std::string, int> user_distribution(const Scenario& scenario, int num_users);

/// {"ClassName": {"ratio": r, "tasks": {"task": {"ratio": r, ["tasks": {...}]}}}}. With
/// `total`, task ratios are multiplied by their parents' (share of all tasks run); without, they
/// are relative to their parent (1.0 for the class). Keys keep declaration order.
nlohmann::ordered_json task_ratio(const Scenario& scenario,
                                  const std::map<std::string, int>& users_per_class, bool total);

/// The indented text of --show-task-ratio for one of the two views.
std::string format_task_ratio(const nlohmann::ordered_json& ratios);

}  // namespace hornet::core
