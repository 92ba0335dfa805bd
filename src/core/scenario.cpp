#include "core/scenario.hpp"

#include <algorithm>
#include <set>

namespace hornet::core {
namespace {

using TagSet = std::set<std::string>;

bool intersects(const TagSet& a, const std::vector<std::string>& b) {
  return std::any_of(b.begin(), b.end(), [&](const std::string& t) { return a.count(t) > 0; });
}

// Locust's filter_tasks_by_tags: a task passes if it has one of --tags (when given) and none of
// --exclude-tags; a nested TaskSet passes if any of its tasks does. Tags on a class apply to all
// of its tasks, nested ones included (Locust's @tag on a TaskSet class).
std::shared_ptr<PreparedClass> prepare_class(std::shared_ptr<const detail::ClassInfo> info,
                                             const TagSet& inherited,
                                             const ScenarioOptions& options) {
  auto prepared = std::make_shared<PreparedClass>();
  TagSet class_tags = inherited;
  class_tags.insert(info->tags.begin(), info->tags.end());
  for (const auto& task : info->tasks) {
    TagSet tags = class_tags;
    tags.insert(task.tags.begin(), task.tags.end());
    PreparedTask entry{&task, nullptr};
    bool passing = task.weight > 0;
    if (task.task_set) {
      entry.task_set = prepare_class(task.task_set, tags, options);
      passing = passing && !entry.task_set->tasks.empty();
    } else {
      // An empty list filters nothing, as in Locust (`-T` with no tags is falsy there).
      if (options.tags && !options.tags->empty()) {
        passing = passing && intersects(tags, *options.tags);
      }
      if (options.exclude_tags && !options.exclude_tags->empty()) {
        passing = passing && !intersects(tags, *options.exclude_tags);
      }
    }
    if (passing) prepared->tasks.push_back(std::move(entry));
  }
  long long total = 0;
  for (std::size_t i = 0; i < prepared->tasks.size(); ++i) {
    const int weight = prepared->tasks[i].info->weight;
    total += weight;
    prepared->cumulative_weights.push_back(total);
    for (int n = 0; n < weight; ++n) prepared->sequence.push_back(i);
  }
  prepared->info = std::move(info);
  return prepared;
}

}  // namespace

std::size_t PreparedClass::pick(double uniform01) const {
  const long long total = cumulative_weights.back();
  auto target = static_cast<long long>(uniform01 * static_cast<double>(total));
  if (target >= total) target = total - 1;
  return static_cast<std::size_t>(
      std::upper_bound(cumulative_weights.begin(), cumulative_weights.end(), target) -
      cumulative_weights.begin());
}

Result<Scenario> Scenario::prepare(
    const std::vector<std::shared_ptr<const detail::ClassInfo>>& classes,
    const ScenarioOptions& options) {
  std::vector<std::shared_ptr<const detail::ClassInfo>> chosen;
  if (options.selected_classes.empty()) {
    chosen = classes;
  } else {
    std::vector<std::string> unknown;
    for (const auto& name : options.selected_classes) {
      auto it = std::find_if(classes.begin(), classes.end(),
                             [&](const auto& c) { return c->name == name; });
      if (it == classes.end()) {
        unknown.push_back(name);
      } else if (std::find(chosen.begin(), chosen.end(), *it) == chosen.end()) {
        chosen.push_back(*it);
      }
    }
    if (!unknown.empty()) {
      std::string message = "Unknown User(s): ";
      for (std::size_t i = 0; i < unknown.size(); ++i) {
        message += (i ? ", " : "") + unknown[i];
      }
      std::string known;
      for (const auto& c : classes) known += (known.empty() ? "" : ", ") + c->name;
      return Error{message + " (available: " + (known.empty() ? "none" : known) + ")"};
    }
  }
  // Locust drops classes that can never be spawned.
  std::erase_if(chosen, [](const auto& c) { return c->weight <= 0 && c->fixed_count <= 0; });
  if (chosen.empty()) return Error{"No User class found!"};

  Scenario scenario;
  for (const auto& info : chosen) {
    auto prepared = prepare_class(info, {}, options);
    if (prepared->tasks.empty()) {
      return Error{"No tasks defined on " + info->name +
                   ((options.tags || options.exclude_tags)
                        ? " after filtering by --tags/--exclude-tags"
                        : ". Declare tasks in its static define(hornet::Spec<" + info->name +
                              ">) function")};
    }
    scenario.weights_.push_back(options.equal_weights ? 1.0 : info->weight);
    scenario.user_classes_.push_back(std::move(prepared));
  }
  return scenario;
}

}  // namespace hornet::core
