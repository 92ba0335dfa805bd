#include "core/runner.hpp"

#include <functional>
#include <string>

namespace hornet::core {

const char* to_string(RunnerState state) noexcept {
  switch (state) {
    case RunnerState::kReady:
      return "ready";
    case RunnerState::kSpawning:
      return "spawning";
    case RunnerState::kRunning:
      return "running";
    case RunnerState::kStopping:
      return "stopping";
    case RunnerState::kStopped:
      return "stopped";
  }
  return "ready";
}

std::string format_user_classes_count(const std::map<std::string, int>& counts) {
  std::string text = "{";
  int total = 0;
  bool first = true;
  for (const auto& [name, count] : counts) {
    text += (first ? "\"" : ", \"") + name + "\": " + std::to_string(count);
    total += count;
    first = false;
  }
  return text + "} (" + std::to_string(total) + " total users)";
}

void chain_callback(std::function<void()>& slot, std::function<void()> next) {
  slot = [previous = std::move(slot), next = std::move(next)] {
    if (previous) previous();
    if (next) next();
  };
}

}  // namespace hornet::core
