#include "dist/message.hpp"

#include <utility>

namespace hornet::dist {

std::string encode(const Message& message) {
  // The array header by hand rather than copying `data` into a temporary Array.
  std::string out;
  out.push_back(static_cast<char>(0x93));
  encode_to(Value(message.type), out);
  encode_to(message.data, out);
  encode_to(Value(message.node_id), out);
  return out;
}

Result<Message> decode_message(std::string_view bytes) {
  Result<Value> decoded = decode(bytes);
  if (!decoded) return Error{"message: " + decoded.error().message};
  Array* items = decoded->as_array();
  if (items == nullptr) {
    return Error{"message: expected an array [type, data, node_id], got " +
                 std::string(kind_name(decoded->kind()))};
  }
  if (items->size() != 3) {
    return Error{"message: expected an array of 3 items [type, data, node_id], got " +
                 std::to_string(items->size())};
  }
  std::string* type = (*items)[0].as_string();
  if (type == nullptr) {
    return Error{"message: type must be a str, got " + std::string(kind_name((*items)[0].kind()))};
  }
  std::string* node_id = (*items)[2].as_string();
  if (node_id == nullptr) {
    return Error{"message " + *type + ": node_id must be a str, got " +
                 std::string(kind_name((*items)[2].kind()))};
  }
  return Message{std::move(*type), std::move((*items)[1]), std::move(*node_id)};
}

}  // namespace hornet::dist
