#include "dist/message.hpp"

#include <gtest/gtest.h>

#include "dist/control_wire.hpp"
#include "hex.hpp"

namespace hornet::dist {
namespace {

using testing::hex;
using testing::text_hex;
using testing::unhex;

// Reference §3.2, byte for byte.
TEST(Message, StopMatchesLocust) {
  const Message stop{"stop", nullptr, "w1"};
  EXPECT_EQ(hex(encode(stop)), "93a473746f70c0a27731");
  Result<Message> back = decode_message(unhex("93a473746f70c0a27731"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, stop);
}

TEST(Message, AckMatchesLocust) {
  const std::string node = "myhost_0123456789abcdef0123456789abcdef";
  const Message ack{"ack", Ack{0}.to_wire(), node};
  EXPECT_EQ(hex(encode(ack)),
            "93a3" + text_hex("ack") + "81a5" + text_hex("index") + "00d927" + text_hex(node));
}

TEST(Message, ClientReadyCapturedFromARealWorker) {
  const std::string captured = unhex("93ac" + text_hex("client_ready") + "a6" + text_hex("2.12.1") +
                                     "d923" + text_hex("vm_c5b4686450324732ab9e73c917ef947e"));
  Result<Message> m = decode_message(captured);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->type, "client_ready");
  EXPECT_EQ(m->data, Value("2.12.1"));
  EXPECT_EQ(m->node_id, "vm_c5b4686450324732ab9e73c917ef947e");
  EXPECT_EQ(encode(*m), captured);
}

// Debian's Locust sends an empty version (reference §0): that is valid data, an empty str.
TEST(Message, ClientReadyWithTheEmptyVersionOfDebiansLocust) {
  const std::string bytes = unhex("93ac" + text_hex("client_ready") + "a0a2" + text_hex("w1"));
  Result<Message> m = decode_message(bytes);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->type, "client_ready");
  ASSERT_TRUE(m->data.is_string());
  EXPECT_EQ(*m->data.as_string(), "");
  EXPECT_EQ(encode(Message{"client_ready", "", "w1"}), bytes);
}

TEST(Message, RejectsWhatIsNotATypeDataNodeIdTriple) {
  const std::vector<std::pair<Value, std::string>> cases = {
      {Value(Map{{"type", "stop"}}), "expected an array [type, data, node_id], got map"},
      {Value("stop"), "got str"},
      {Value(Array{"stop", nullptr}), "of 3 items [type, data, node_id], got 2"},
      {Value(Array{"stop", nullptr, "w1", 4}), "got 4"},
      {Value(Array{}), "got 0"},
      {Value(Array{1, nullptr, "w1"}), "type must be a str, got int"},
      {Value(Array{Binary{"stop"}, nullptr, "w1"}), "type must be a str, got bin"},
      {Value(Array{"stop", nullptr, nullptr}), "message stop: node_id must be a str, got nil"},
      {Value(Array{"stop", nullptr, Binary{"w1"}}), "node_id must be a str, got bin"},
  };
  for (const auto& [value, expected] : cases) {
    Result<Message> m = decode_message(encode(value));
    ASSERT_FALSE(m.ok()) << expected;
    EXPECT_NE(m.error().message.find(expected), std::string::npos) << m.error().message;
    EXPECT_EQ(m.error().message.rfind("message", 0), 0u);
  }
  Result<Message> garbage = decode_message("\x93\xa4st");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message.rfind("message: msgpack: truncated", 0), 0u)
      << garbage.error().message;
}

TEST(Message, CustomTypesAndAnyDataRoundTrip) {
  const Message m{"my_custom", Value(Map{{"k", Array{1, 2.5, Binary{"\x00\xff"}}}}), "w_1"};
  Result<Message> back = decode_message(encode(m));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
}

}  // namespace
}  // namespace hornet::dist
