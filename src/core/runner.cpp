#include "core/runner.hpp"

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

}  // namespace hornet::core
