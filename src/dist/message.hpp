// One message of Locust's distributed protocol (reference §3.2): `msgpack.dumps((type, data,
// node_id))`, a msgpack array of exactly three items, sent as one ZeroMQ frame.
#pragma once

#include <string>
#include <string_view>

#include "dist/msgpack.hpp"
#include "hornet/result.hpp"

namespace hornet::dist {

struct Message {
  /// "client_ready", "heartbeat", "stats", "spawn", ... or a custom type (reference §3.3).
  std::string type;
  /// The payload; its shape depends on `type` (see control_wire.hpp and stats_wire.hpp).
  Value data;
  /// The worker's client id (hostname_uuidhex) in both directions.
  std::string node_id;

  friend bool operator==(const Message&, const Message&) = default;
};

/// The bytes Locust's Message.serialize() produces for the same message.
std::string encode(const Message& message);

/// Parses one received payload: a 3-item array [type: str, data: any, node_id: str]. Anything
/// else (not msgpack, not an array, another length, a non-str type or node id) is an error that
/// says which.
Result<Message> decode_message(std::string_view bytes);

}  // namespace hornet::dist
