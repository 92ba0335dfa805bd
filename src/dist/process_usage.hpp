// This process's CPU and memory use, as Locust's nodes report them in heartbeats (psutil's
// cpu_percent over the last interval and the resident set size).
#pragma once

#include <chrono>
#include <cstdint>

namespace hornet::dist {

class ProcessUsage {
 public:
  ProcessUsage();
  /// CPU use since the previous call (or construction), in percent of one core.
  double cpu_percent();
  /// Resident set size, bytes.
  static std::uint64_t resident_bytes();

 private:
  double last_cpu_seconds_ = 0;
  std::chrono::steady_clock::time_point last_time_;
};

}  // namespace hornet::dist
