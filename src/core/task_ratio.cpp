#include "core/task_ratio.hpp"

#include <cmath>
#include <cstdio>

namespace hornet::core {
namespace {

nlohmann::ordered_json tasks_ratio(const PreparedClass& cls, bool total, double parent_ratio) {
  const double parent = total ? parent_ratio : 1.0;
  long long weights = 0;
  for (const auto& task : cls.tasks) weights += task.info->weight;
  // Tasks of the same name add up, as Locust's ratio dict keyed by the task does.
  nlohmann::ordered_json result = nlohmann::ordered_json::object();
  std::map<std::string, long long> per_name;
  for (const auto& task : cls.tasks) per_name[task.info->name] += task.info->weight;
  for (const auto& task : cls.tasks) {
    const std::string& name = task.info->name;
    if (result.contains(name)) continue;
    const double ratio =
        weights > 0 ? static_cast<double>(per_name[name]) * parent / static_cast<double>(weights)
                    : 0.0;
    nlohmann::ordered_json entry = {{"ratio", ratio}};
    if (task.task_set) entry["tasks"] = tasks_ratio(*task.task_set, total, ratio);
    result[name] = std::move(entry);
  }
  return result;
}

void print_level(std::string& out, const nlohmann::ordered_json& level, int depth) {
  for (const auto& [name, value] : level.items()) {
    const std::string padding(static_cast<std::size_t>(2 * depth), ' ');
    const double ratio = value.contains("ratio") ? value["ratio"].get<double>() : 1.0;
    char percent[32];
    std::snprintf(percent, sizeof percent, "%-6.1f", ratio * 100);
    char line[256];
    std::snprintf(line, sizeof line, " %-10s %-50s\n", (padding + percent).c_str(),
                  (padding + name).c_str());
    out += line;
    if (value.contains("tasks")) print_level(out, value["tasks"], depth + 1);
  }
}

}  // namespace

std::map<std::string, int> user_distribution(const Scenario& scenario, int num_users) {
  const auto& classes = scenario.user_classes();
  int fixed = 0;
  double total_weight = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (classes[i]->info->fixed_count > 0) {
      fixed += classes[i]->info->fixed_count;
    } else {
      total_weight += scenario.weight(i);
    }
  }
  double users = num_users > 0 ? num_users : (fixed == 0 ? total_weight : 1);
  const double weighted = std::max(users - fixed, 0.0);
  std::map<std::string, int> counts;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const auto& info = *classes[i]->info;
    const double count = info.fixed_count > 0 ? info.fixed_count
                         : total_weight > 0   ? scenario.weight(i) / total_weight * weighted
                                              : 0.0;
    counts[info.name] = static_cast<int>(std::nearbyint(count));  // Python's round: half to even
  }
  return counts;
}

nlohmann::ordered_json task_ratio(const Scenario& scenario,
                                  const std::map<std::string, int>& users_per_class, bool total) {
  int user_count = 0;
  for (const auto& [name, count] : users_per_class) user_count += count;
  if (user_count == 0) user_count = 1;
  nlohmann::ordered_json result = nlohmann::ordered_json::object();
  for (const auto& cls : scenario.user_classes()) {
    auto it = users_per_class.find(cls->name());
    const double ratio =
        static_cast<double>(it == users_per_class.end() ? 0 : it->second) / user_count;
    result[cls->name()] = {{"ratio", ratio}, {"tasks", tasks_ratio(*cls, total, ratio)}};
  }
  return result;
}

std::string format_task_ratio(const nlohmann::ordered_json& ratios) {
  std::string out;
  print_level(out, ratios, 0);
  return out;
}

}  // namespace hornet::core
