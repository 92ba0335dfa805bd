// Wall-clock time as Locust counts it: epoch seconds as a double.
#pragma once

#include <chrono>

namespace hornet::core {

inline double epoch_seconds() noexcept {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace hornet::core
