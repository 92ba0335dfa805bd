#include "dist/msgpack.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "hex.hpp"

namespace hornet::dist {
namespace {

using testing::hex;
using testing::unhex;

struct Vector {
  Value value;
  std::string bytes_hex;  // msgpack.packb(<the same Python value>).hex(), msgpack-python 1.0.3
};

// Generated with Debian's python3-msgpack 1.0.3 (the version Locust 2.12 runs with).
std::vector<Vector> python_vectors() {
  return {
      {Value(), "c0"},
      {Value(true), "c3"},
      {Value(false), "c2"},
      {Value(0), "00"},
      {Value(127), "7f"},
      {Value(128), "cc80"},
      {Value(255), "ccff"},
      {Value(256), "cd0100"},
      {Value(65535), "cdffff"},
      {Value(65536), "ce00010000"},
      {Value(4294967295LL), "ceffffffff"},
      {Value(4294967296LL), "cf0000000100000000"},
      {Value(INT64_MAX), "cf7fffffffffffffff"},
      {Value(UINT64_MAX), "cfffffffffffffffff"},
      {Value(-1), "ff"},
      {Value(-32), "e0"},
      {Value(-33), "d0df"},
      {Value(-128), "d080"},
      {Value(-129), "d1ff7f"},
      {Value(-32768), "d18000"},
      {Value(-32769), "d2ffff7fff"},
      {Value(INT32_MIN), "d280000000"},
      {Value(-2147483649LL), "d3ffffffff7fffffff"},
      {Value(INT64_MIN), "d38000000000000000"},
      {Value(0.0), "cb0000000000000000"},
      {Value(-0.0), "cb8000000000000000"},
      {Value(1.5), "cb3ff8000000000000"},
      {Value(3.8), "cb400e666666666666"},
      {Value(1795808611.5136042), "cb41dac27758e0dee4"},
      {Value(""), "a0"},
      {Value("a"), "a161"},
      {Value("h\xc3\xa9"), "a368c3a9"},
      {Value(Binary{""}), "c400"},
      {Value(Binary{"ab"}), "c4026162"},
      {Value(Array{}), "90"},
      {Value(Array{1, "a", nullptr}), "9301a161c0"},
      {Value(Array(15, Value(1))), "9f010101010101010101010101010101"},
      {Value(Array(16, Value(1))), "dc001001010101010101010101010101010101"},
      {Value(Map{}), "80"},
      {Value(Map{{"a", 1}, {2, 2.5}}), "82a1610102cb4004000000000000"},
      {Value(Map{{-1, true}}), "81ffc3"},
  };
}

TEST(Msgpack, EncodesLikeMsgpackPython) {
  for (const Vector& v : python_vectors()) {
    EXPECT_EQ(hex(encode(v.value)), v.bytes_hex);
  }
}

TEST(Msgpack, DecodesWhatItEncodes) {
  for (const Vector& v : python_vectors()) {
    Result<Value> decoded = decode(encode(v.value));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, v.value) << hex(encode(v.value));
  }
}

// Each header form at its boundaries: fix form, 8-bit, 16-bit, 32-bit lengths.
TEST(Msgpack, StringBinArrayMapHeadersAtTheirBoundaries) {
  struct Case {
    Value value;
    std::string header_hex;
    std::size_t body_size;
  };
  const std::vector<Case> cases = {
      {Value(std::string(31, 'x')), "bf", 31},
      {Value(std::string(32, 'x')), "d920", 32},
      {Value(std::string(255, 'x')), "d9ff", 255},
      {Value(std::string(256, 'x')), "da0100", 256},
      {Value(std::string(65535, 'x')), "daffff", 65535},
      {Value(std::string(65536, 'x')), "db00010000", 65536},
      {Value(Binary{std::string(255, 'b')}), "c4ff", 255},
      {Value(Binary{std::string(256, 'b')}), "c50100", 256},
      {Value(Binary{std::string(65536, 'b')}), "c600010000", 65536},
      {Value(Array(65535, Value(1))), "dcffff", 65535},
      {Value(Array(65536, Value(1))), "dd00010000", 65536},
  };
  for (const Case& c : cases) {
    const std::string bytes = encode(c.value);
    EXPECT_EQ(hex(bytes.substr(0, c.header_hex.size() / 2)), c.header_hex);
    EXPECT_EQ(bytes.size(), c.header_hex.size() / 2 + c.body_size);
    Result<Value> back = decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, c.value);
  }
  // Maps: 15 pairs fixmap, 16 pairs map16, 65536 pairs map32.
  for (const auto& [pairs, header] : std::vector<std::pair<int, std::string>>{
           {15, "8f"}, {16, "de0010"}, {65536, "df00010000"}}) {
    Map m;
    for (int i = 0; i < pairs; ++i) m.emplace_back(i, nullptr);
    const std::string bytes = encode(Value(m));
    EXPECT_EQ(hex(bytes.substr(0, header.size() / 2)), header);
    Result<Value> back = decode(bytes);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->as_map()->size(), static_cast<std::size_t>(pairs));
  }
}

// Reference §2.3/§3.2: a Locust histogram with a float and an int key.
TEST(Msgpack, HistogramWithFloatAndIntKeys) {
  const std::string bytes = unhex("82 cb4062c00000000000 05 03 14");
  EXPECT_EQ(encode(Value(Map{{150.0, 5}, {3, 20}})), bytes);
  Result<Value> v = decode(bytes);
  ASSERT_TRUE(v.ok());
  const Map& m = *v->as_map();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_TRUE(m[0].first.is_float());
  EXPECT_EQ(m[0].first.as_double(), 150.0);
  EXPECT_EQ(m[0].second.as_int(), 5);
  EXPECT_EQ(m[1].first.as_int(), 3);
  EXPECT_EQ(m[1].second.as_int(), 20);
}

TEST(Msgpack, DecodesFormsMsgpackPythonDoesNotProduce) {
  // Non-minimal integer widths, float32, and a uint64 that fits int64 are all valid input.
  EXPECT_EQ(*decode(unhex("cc05")), Value(5));
  EXPECT_EQ(*decode(unhex("cf0000000000000005")), Value(5));
  EXPECT_EQ(*decode(unhex("d3fffffffffffffffb")), Value(-5));
  EXPECT_EQ(*decode(unhex("d0 05")), Value(5));
  EXPECT_EQ(*decode(unhex("ca3fc00000")), Value(1.5));  // float32 → double
  EXPECT_EQ(*decode(unhex("d900")), Value(""));
  EXPECT_EQ(*decode(unhex("dc0000")), Value(Array{}));
  EXPECT_EQ(*decode(unhex("df00000000")), Value(Map{}));
}

TEST(Msgpack, IntegersKeepTheirFullRange) {
  const Value big(UINT64_MAX);
  EXPECT_TRUE(big.is_int());
  EXPECT_EQ(big.as_uint(), UINT64_MAX);
  EXPECT_EQ(big.as_int(), std::nullopt);
  EXPECT_EQ(big.as_double(), 18446744073709551615.0);
  const Value min(INT64_MIN);
  EXPECT_EQ(min.as_int(), INT64_MIN);
  EXPECT_EQ(min.as_uint(), std::nullopt);
  // An unsigned value that fits int64 is the same value as the signed one.
  EXPECT_EQ(Value(std::uint64_t{7}), Value(7));
  EXPECT_EQ(Value(std::uint64_t{7}).as_int(), 7);
  EXPECT_EQ(*decode(unhex("cf8000000000000000")), Value(std::uint64_t{1} << 63));
}

TEST(Msgpack, Accessors) {
  const Value f(2.5);
  EXPECT_EQ(f.as_double(), 2.5);
  EXPECT_EQ(f.as_int(), std::nullopt);  // no silent truncation
  EXPECT_EQ(Value(3).as_double(), 3.0);
  EXPECT_EQ(Value(true).as_bool(), true);
  EXPECT_EQ(Value(1).as_bool(), std::nullopt);
  EXPECT_EQ(Value("s").as_int(), std::nullopt);
  EXPECT_EQ(*Value("s").as_string(), "s");
  EXPECT_EQ(Value(1).as_string(), nullptr);
  EXPECT_EQ(Value(Binary{"b"}).as_string(), nullptr);
  EXPECT_EQ(Value(Binary{"b"}).as_binary()->bytes, "b");
  EXPECT_EQ(Value().kind(), Kind::kNil);
  EXPECT_EQ(Value(nullptr).kind(), Kind::kNil);
  EXPECT_EQ(Value(Array{}).kind(), Kind::kArray);
  EXPECT_EQ(kind_name(Value(Map{}).kind()), "map");
  EXPECT_NE(Value(1), Value(1.0));  // int and float are different msgpack values
}

TEST(Msgpack, FindLooksUpStringKeysLastOneWins) {
  const Value m(Map{{1, "int key"}, {"a", 1}, {"b", 2}, {"a", 3}});
  ASSERT_NE(m.find("a"), nullptr);
  EXPECT_EQ(*m.find("a"), Value(3));  // as in the dict msgpack-python builds
  EXPECT_EQ(*m.find("b"), Value(2));
  EXPECT_EQ(m.find("1"), nullptr);
  EXPECT_EQ(m.find("c"), nullptr);
  EXPECT_EQ(Value(Array{"a"}).find("a"), nullptr);
}

struct BadInput {
  std::string name;
  std::string bytes_hex;
  std::string message_part;
};

TEST(Msgpack, RejectsMalformedInputWithAClearError) {
  const std::vector<BadInput> cases = {
      {"empty", "", "truncated input at offset 0"},
      {"trailing byte", "c0c0", "1 trailing bytes"},
      {"never-used tag", "c1", "invalid tag 0xc1"},
      {"fixext1", "d40100", "ext type"},
      {"ext8", "c70101ff", "ext type"},
      {"truncated uint16", "cd01", "truncated uint16"},
      {"truncated float64", "cb4000", "truncated float64"},
      {"fixstr body short", "a36162", "truncated str"},
      {"str32 claims 4 GiB", "dbffffffff61", "truncated str at offset 0: needs 4294967295"},
      {"bin32 claims 4 GiB", "c6ffffffff", "truncated bin32"},
      {"array32 claims 4 G items", "ddffffffff00", "array of 4294967295 items"},
      {"map32 claims 4 G pairs", "dfffffffff0000", "map of 4294967295 pairs"},
      {"array short of items", "93 01 02", "array of 3 items in 2 remaining bytes at offset 0"},
      {"map missing a value", "81 01", "map of 1 pairs in 1 remaining bytes"},
      {"array item missing", "92 91 01", "truncated input at offset 3"},
      {"invalid UTF-8", "a2c328", "not valid UTF-8"},
      {"UTF-8 surrogate", "a3eda080", "not valid UTF-8"},
      {"UTF-8 overlong", "a2c0af", "not valid UTF-8"},
  };
  for (const BadInput& c : cases) {
    Result<Value> r = decode(unhex(c.bytes_hex));
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos)
        << c.name << ": " << r.error().message;
    EXPECT_EQ(r.error().message.rfind("msgpack: ", 0), 0u) << c.name;
  }
}

TEST(Msgpack, EveryTruncationOfAValidMessageIsAnError) {
  const std::string full = encode(Value(Map{
      {"stats", Array{Map{{"name", "/x"}, {"n", 70000}, {"t", 1.25}}}},
      {"bin", Binary{"\x01\x02"}},
      {"neg", -70000},
  }));
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(decode(full.substr(0, n)).ok()) << "prefix of " << n << " bytes";
  }
  EXPECT_TRUE(decode(full).ok());
}

TEST(Msgpack, NestingLimit) {
  auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '\x91') + std::string(1, '\xc0');
  };
  EXPECT_TRUE(decode(nested(kMaxDepth)).ok());
  Result<Value> deep = decode(nested(kMaxDepth + 1));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message.find("nesting deeper than 64"), std::string::npos);
  // A very deep input fails fast instead of exhausting the stack.
  EXPECT_FALSE(decode(std::string(1'000'000, '\x91')).ok());
  EXPECT_FALSE(decode(std::string(1'000'000, '\x81')).ok());
}

// Nested containers may not claim the same bytes over and over: 32 levels each claiming about
// as many items as the input has bytes would otherwise allocate 32 × 40 bytes per input byte.
TEST(Msgpack, ContainersCannotClaimMoreValuesThanTheInputHolds) {
  std::string bytes;
  const std::uint32_t n = 100'000;
  for (int level = 0; level < 32; ++level) {
    bytes += "\xdd";
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((n >> shift) & 0xff);
  }
  bytes += std::string(n, '\x00');
  Result<Value> r = decode(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("array of 100000 items in"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("at offset 5"), std::string::npos) << r.error().message;
  // The same items, claimed once, are fine.
  EXPECT_TRUE(decode(bytes.substr(31 * 5)).ok());
}

TEST(Msgpack, ValidUtf8IsAccepted) {
  for (const std::string& s :
       std::vector<std::string>{"h\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
                                "\xef\xbf\xbf", std::string(1, '\0')}) {
    Result<Value> r = decode(encode(Value(s)));
    ASSERT_TRUE(r.ok()) << hex(s) << ": " << r.error().message;
    EXPECT_EQ(*r->as_string(), s);
  }
  EXPECT_FALSE(decode(unhex("a4f4908080")).ok());  // above U+10FFFF
  EXPECT_FALSE(decode(unhex("a1ff")).ok());
  EXPECT_FALSE(decode(unhex("a180")).ok());  // lone continuation byte
}

}  // namespace
}  // namespace hornet::dist
