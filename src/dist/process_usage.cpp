#include "dist/process_usage.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

namespace hornet::dist {
namespace {

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

ProcessUsage::ProcessUsage()
    : last_cpu_seconds_(process_cpu_seconds()), last_time_(std::chrono::steady_clock::now()) {}

double ProcessUsage::cpu_percent() {
  const double cpu = process_cpu_seconds();
  const auto now = std::chrono::steady_clock::now();
  const double wall = std::chrono::duration<double>(now - last_time_).count();
  const double percent = wall > 0 ? 100.0 * (cpu - last_cpu_seconds_) / wall : 0.0;
  last_cpu_seconds_ = cpu;
  last_time_ = now;
  return percent;
}

std::uint64_t ProcessUsage::resident_bytes() {
  // /proc/self/statm: size resident shared ... in pages.
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace hornet::dist
