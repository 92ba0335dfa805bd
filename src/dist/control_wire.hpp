// The data of Locust's control messages (reference §3.3), as typed structs with their msgpack
// form. Each to_wire() produces the dict Locust sends, with its keys in Locust's order; each
// from_wire() validates a received dict (missing keys, wrong types, negative or oversized counts
// are errors) and ignores keys it does not know. The stats report is in stats_wire.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dist/msgpack.hpp"
#include "hornet/result.hpp"

namespace hornet::dist {

/// Protocol version a Hornet worker announces in client_ready. A master must also accept "":
/// Debian's Locust package sends an empty version (reference §0).
inline constexpr std::string_view kLocustProtocolVersion = "2.12.1";

/// `ack` (master → worker): the worker's 0-based index, stable per client id.
struct Ack {
  /// Absent when an old master sends `ack` with nil data.
  std::optional<int> index;

  Value to_wire() const;
  /// nil data, or a map whose "index" (if present) is an int >= 0.
  static Result<Ack> from_wire(const Value& data);
};

/// `heartbeat` (worker → master, every second).
struct Heartbeat {
  std::string state;  // "ready", "spawning", "running" (also "stopped"/"missing" in theory)
  double current_cpu_usage = 0;            // percent of one core, psutil's cpu_percent
  std::uint64_t current_memory_usage = 0;  // resident set size, bytes

  /// {"state", "current_cpu_usage" (float64), "current_memory_usage" (int)}.
  Value to_wire() const;
  static Result<Heartbeat> from_wire(const Value& data);
};

/// `spawn` (master → worker): the absolute user count per class this worker should run.
struct Spawn {
  double timestamp = 0;  // epoch seconds on the master; a worker ignores non-increasing ones
  std::map<std::string, int> user_classes_count;  // every class, zeros included
  std::optional<std::string> host;                // nil: keep the worker's own host
  std::optional<double> stop_timeout;             // seconds; nil: none
  /// The master's options (`vars(options)`, reference §3.3): a map, kept as received.
  Value parsed_options = Map{};

  /// {"timestamp", "user_classes_count", "host", "stop_timeout", "parsed_options"}; an integral
  /// stop_timeout is sent as an int, as Locust does.
  Value to_wire() const;
  /// parsed_options may be absent or nil (read as an empty map); the other keys are required.
  static Result<Spawn> from_wire(const Value& data);
};

/// `spawning_complete` (worker → master), also the tail of every stats report.
struct SpawningComplete {
  std::map<std::string, int> user_classes_count;
  int user_count = 0;

  /// {"user_classes_count", "user_count"}.
  Value to_wire() const;
  static Result<SpawningComplete> from_wire(const Value& data);
};

/// `exception` (worker → master): one unhandled exception in user code, one message per
/// occurrence (Locust does not batch them).
struct ExceptionReport {
  std::string msg;        // str(exception)
  std::string traceback;  // "".join(traceback.format_tb(tb))

  friend bool operator==(const ExceptionReport&, const ExceptionReport&) = default;
};

/// {"msg": message, "traceback": traceback}.
Value exception_to_wire(std::string_view message, std::string_view traceback);
Result<ExceptionReport> exception_from_wire(const Value& data);

/// A user-class count map as Locust sends it: {class name: count}, in name order.
Value class_counts_to_wire(const std::map<std::string, int>& counts);

}  // namespace hornet::dist
