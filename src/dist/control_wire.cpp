#include "dist/control_wire.hpp"

#include <climits>
#include <cmath>

#include "dist/wire_reader.hpp"

namespace hornet::dist {

Value class_counts_to_wire(const std::map<std::string, int>& counts) {
  Map out;
  out.reserve(counts.size());
  for (const auto& [name, count] : counts) out.emplace_back(name, count);
  return out;
}

Value Ack::to_wire() const {
  if (!index) return Value();
  return Map{{"index", *index}};
}

Result<Ack> Ack::from_wire(const Value& data) {
  Ack ack;
  if (data.is_nil()) return ack;
  WireReader r(data, "ack");
  if (r.optional("index") != nullptr) ack.index = r.small_count("index");
  if (!r.ok()) return r.error();
  return ack;
}

Value Heartbeat::to_wire() const {
  return Map{{"state", state},
             {"current_cpu_usage", current_cpu_usage},
             {"current_memory_usage", current_memory_usage}};
}

Result<Heartbeat> Heartbeat::from_wire(const Value& data) {
  WireReader r(data, "heartbeat");
  Heartbeat h;
  h.state = r.string("state");
  h.current_cpu_usage = r.number("current_cpu_usage");
  h.current_memory_usage = r.count("current_memory_usage");
  if (!r.ok()) return r.error();
  return h;
}

Value Spawn::to_wire() const {
  Value timeout;
  if (stop_timeout) {
    const double t = *stop_timeout;
    // Locust's stop_timeout is an int number of seconds; keep that type when it is one.
    if (t == std::floor(t) && std::fabs(t) < 9.0e15) {
      timeout = static_cast<std::int64_t>(t);
    } else {
      timeout = t;
    }
  }
  return Map{{"timestamp", timestamp},
             {"user_classes_count", class_counts_to_wire(user_classes_count)},
             {"host", host ? Value(*host) : Value()},
             {"stop_timeout", std::move(timeout)},
             {"parsed_options", parsed_options}};
}

Result<Spawn> Spawn::from_wire(const Value& data) {
  WireReader r(data, "spawn");
  Spawn s;
  s.timestamp = r.number("timestamp");
  s.user_classes_count = r.class_counts("user_classes_count");
  if (const Value* host = r.required("host"); host != nullptr && !host->is_nil()) {
    if (const std::string* h = host->as_string()) {
      s.host = *h;
    } else {
      r.fail("host", "expected a str or nil, got " + std::string(kind_name(host->kind())));
    }
  }
  s.stop_timeout = r.number_or_nil("stop_timeout");
  if (s.stop_timeout && *s.stop_timeout < 0) r.fail("stop_timeout", "negative");
  if (const Value* options = r.optional("parsed_options"); options != nullptr) {
    if (options->is_map()) {
      s.parsed_options = *options;
    } else if (!options->is_nil()) {
      r.fail("parsed_options", "expected a map, got " + std::string(kind_name(options->kind())));
    }
  }
  if (!r.ok()) return r.error();
  return s;
}

Value SpawningComplete::to_wire() const {
  return Map{{"user_classes_count", class_counts_to_wire(user_classes_count)},
             {"user_count", user_count}};
}

Result<SpawningComplete> SpawningComplete::from_wire(const Value& data) {
  WireReader r(data, "spawning_complete");
  SpawningComplete c;
  c.user_classes_count = r.class_counts("user_classes_count");
  c.user_count = r.small_count("user_count");
  if (!r.ok()) return r.error();
  return c;
}

Value exception_to_wire(std::string_view message, std::string_view traceback) {
  return Map{{"msg", message}, {"traceback", traceback}};
}

Result<ExceptionReport> exception_from_wire(const Value& data) {
  WireReader r(data, "exception");
  ExceptionReport e;
  e.msg = r.string("msg");
  e.traceback = r.string("traceback");
  if (!r.ok()) return r.error();
  return e;
}

}  // namespace hornet::dist
