#include "http/content_decoding.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>

namespace hornet::http {
namespace {

constexpr int kGzipBits = 15 + 16;
constexpr int kZlibBits = 15;
constexpr int kRawBits = -15;

// Compresses with zlib itself, so the tests do not depend on stored blobs (but see RealGzipFile).
std::string compress(std::string_view data, int window_bits, gz_header* header = nullptr) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  if (header != nullptr) {
    EXPECT_EQ(deflateSetHeader(&z, header), Z_OK);
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

// A string literal with embedded NULs, whole.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

std::string sample_text(std::size_t size) {
  std::string text;
  std::uint32_t state = 12345;
  while (text.size() < size) {
    state = state * 1103515245 + 12345;
    text += "word" + std::to_string((state >> 16) % 1000) + (state % 7 == 0 ? "\n" : " ");
  }
  text.resize(size);
  return text;
}

TEST(ContentDecoding, EachSupportedCoding) {
  const std::string text = sample_text(10'000);
  const struct {
    std::string_view coding;
    std::string body;
  } cases[] = {
      {"gzip", compress(text, kGzipBits)},
      {"x-gzip", compress(text, kGzipBits)},
      {"GZip", compress(text, kGzipBits)},
      {"deflate", compress(text, kZlibBits)},
      {"deflate", compress(text, kRawBits)},  // raw deflate, as some servers send
      {"Deflate", compress(text, kRawBits)},
      {"identity", text},
      {"", text},
      {" gzip ", compress(text, kGzipBits)},
  };
  ContentDecoder decoder;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.coding);
    std::string body = c.body;
    Result<DecodeSummary> result = decoder.decode(c.coding, body);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->unsupported_coding, "");
    EXPECT_EQ(body, text);
  }
}

TEST(ContentDecoding, RawDeflateThatLooksLikeZlibFallsBack) {
  // Raw deflate: a stored block whose header byte's ignored padding bits make 0x78, with
  // LEN = 0x0001 (so the second byte is 0x01 and "78 01" passes the zlib header check), then an
  // empty final stored block. Read as zlib, the stored lengths do not match.
  std::string body = bytes(
      "\x78\x01\x00\xfe\xff"
      "A"
      "\x01\x00\x00\xff\xff");
  ContentDecoder decoder;
  Result<DecodeSummary> result = decoder.decode("deflate", body);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(body, "A");
}

TEST(ContentDecoding, StackedCodingsAreUndoneLastFirst) {
  const std::string text = sample_text(3000);
  ContentDecoder decoder;
  // "deflate, gzip": deflated first, then gzipped.
  std::string body = compress(compress(text, kZlibBits), kGzipBits);
  Result<DecodeSummary> result = decoder.decode("deflate, gzip", body);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(body, text);

  body = compress(compress(text, kGzipBits), kGzipBits);
  ASSERT_TRUE(decoder.decode("gzip,identity ,  gzip,", body).ok());
  EXPECT_EQ(body, text);
}

TEST(ContentDecoding, UnknownCodingsLeaveTheBodyAndSaySo) {
  ContentDecoder decoder;
  std::string body = "\x0b\x02\x80opaque brotli bytes";
  const std::string original = body;
  const std::string header = "br";
  Result<DecodeSummary> result = decoder.decode(header, body);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->unsupported_coding, "br");
  EXPECT_EQ(result->unsupported_coding.data(), header.data());  // a view into the argument
  EXPECT_EQ(body, original);

  // Outer layers are decoded up to the unknown one.
  body = compress("zstd frame", kGzipBits);
  result = decoder.decode("zstd, gzip", body);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->unsupported_coding, "zstd");
  EXPECT_EQ(body, "zstd frame");

  body = "compressed";
  result = decoder.decode("gzip, compress", body);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->unsupported_coding, "compress");
  EXPECT_EQ(body, "compressed");
}

TEST(ContentDecoding, EmptyBodyStaysEmpty) {
  ContentDecoder decoder;
  for (std::string_view coding : {"gzip", "deflate", "gzip, deflate"}) {
    std::string body;
    Result<DecodeSummary> result = decoder.decode(coding, body);
    ASSERT_TRUE(result.ok()) << coding;
    EXPECT_EQ(body, "");
  }
}

TEST(ContentDecoding, CompressedEmptyContent) {
  ContentDecoder decoder;
  std::string body = compress("", kGzipBits);
  ASSERT_TRUE(decoder.decode("gzip", body).ok());
  EXPECT_EQ(body, "");
}

// `gzip -9 hello.txt` (mtime 2024-01-02T03:04:05Z): a member with FNAME set.
constexpr unsigned char kHelloTxtGz[] = {
    0x1f, 0x8b, 0x08, 0x08, 0x25, 0x7d, 0x93, 0x65, 0x02, 0x03, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
    0x2e, 0x74, 0x78, 0x74, 0x00, 0xf3, 0xc8, 0x2f, 0xca, 0x4b, 0x2d, 0x51, 0x28, 0x4e, 0xac,
    0x2c, 0x56, 0xc8, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x48, 0x2b, 0xca, 0xcf, 0x55, 0x48, 0x54,
    0x28, 0x4a, 0x4d, 0xcc, 0x51, 0x48, 0xaf, 0xca, 0x2c, 0x50, 0x48, 0xcb, 0xcc, 0x49, 0xd5,
    0xe3, 0x02, 0x00, 0xe7, 0x7f, 0x9d, 0x2b, 0x29, 0x00, 0x00, 0x00};

TEST(ContentDecoding, RealGzipFileWithAFileName) {
  ContentDecoder decoder;
  std::string body(reinterpret_cast<const char*>(kHelloTxtGz), sizeof(kHelloTxtGz));
  Result<DecodeSummary> result = decoder.decode("gzip", body);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(body, "Hornet says hello from a real gzip file.\n");
}

TEST(ContentDecoding, GzipHeaderWithExtraNameCommentAndHeaderCrc) {
  std::string extra = bytes("AB\x04\x00data");
  std::string name = "report.json";
  std::string comment = "made by the test";
  gz_header header{};
  header.text = 1;
  header.time = 1700000000;
  header.os = 3;
  header.extra = reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = static_cast<uInt>(extra.size());
  header.name = reinterpret_cast<Bytef*>(name.data());
  header.comment = reinterpret_cast<Bytef*>(comment.data());
  header.hcrc = 1;
  std::string body = compress("{\"ok\": true}", kGzipBits, &header);
  ASSERT_EQ(static_cast<unsigned char>(body[3]), 0x1f);  // FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT
  ContentDecoder decoder;
  Result<DecodeSummary> result = decoder.decode("gzip", body);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(body, "{\"ok\": true}");
}

TEST(ContentDecoding, ConcatenatedGzipMembersAndTrailingGarbage) {
  ContentDecoder decoder;
  std::string body = compress("first, ", kGzipBits) + compress("second", kGzipBits);
  ASSERT_TRUE(decoder.decode("gzip", body).ok());
  EXPECT_EQ(body, "first, second");

  // As urllib3 does: what follows a complete member and is not one is ignored.
  for (std::string_view trailer : {std::string_view("\0\0\0\0", 4), std::string_view("junk"),
                                   std::string_view("\x1f\x8b garbage member")}) {
    body = compress("payload", kGzipBits) + std::string(trailer);
    Result<DecodeSummary> result = decoder.decode("gzip", body);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(body, "payload");
  }
}

TEST(ContentDecoding, CorruptDataIsAnErrorWithZlibsMessage) {
  ContentDecoder decoder;
  const std::string text = sample_text(5000);
  const struct {
    std::string_view coding;
    std::string body;
    std::string_view error;
  } cases[] = {
      {"gzip", "this is not gzip at all",
       "cannot decode the gzip body: incorrect header check (Content-Encoding: gzip)"},
      {"x-gzip", bytes("\x1f\x8b\x09\x00\x00\x00\x00\x00\x00\x03 bad method"),
       "cannot decode the gzip body: unknown compression method (Content-Encoding: x-gzip)"},
      {"deflate", "\xff\xff\xff\xff not deflate either", "cannot decode the deflate body: "},
      // A valid zlib header followed by an invalid block type.
      {"deflate", "\x78\x9c\xff\xff\xff", "cannot decode the deflate body: invalid block type"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    std::string body = c.body;
    Result<DecodeSummary> result = decoder.decode(c.coding, body);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find(c.error), std::string::npos) << result.error().message;
  }

  // A flipped byte in the stored CRC-32 of a gzip member.
  std::string body = compress(text, kGzipBits);
  body[body.size() - 6] ^= 0x55;
  Result<DecodeSummary> result = decoder.decode("gzip", body);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "cannot decode the gzip body: incorrect data check (Content-Encoding: gzip)");
}

TEST(ContentDecoding, TruncatedDataIsAnError) {
  ContentDecoder decoder;
  const std::string text = sample_text(20'000);
  for (int bits : {kGzipBits, kZlibBits, kRawBits}) {
    const std::string whole = compress(text, bits);
    const std::string_view coding = bits == kGzipBits ? "gzip" : "deflate";
    for (std::size_t size : {std::size_t{3}, std::size_t{20}, whole.size() / 2, whole.size() - 1}) {
      SCOPED_TRACE(std::string(coding) + " truncated to " + std::to_string(size));
      std::string body = whole.substr(0, size);
      Result<DecodeSummary> result = decoder.decode(coding, body);
      ASSERT_FALSE(result.ok());
      EXPECT_NE(result.error().message.find("the data is truncated"), std::string::npos)
          << result.error().message;
    }
  }
}

TEST(ContentDecoding, DecodedSizeLimitStopsZipBombs) {
  const std::string zeros(4 << 20, '\0');
  const std::string bomb = compress(zeros, kGzipBits);
  ASSERT_LT(bomb.size(), 10'000u);

  ContentDecoder small(1 << 20);
  std::string body = bomb;
  Result<DecodeSummary> result = small.decode("gzip", body);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "the decoded body exceeds the limit of 1048576 bytes (Content-Encoding: gzip)");

  ContentDecoder exact(zeros.size());
  body = bomb;
  result = exact.decode("gzip", body);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(body.size(), zeros.size());

  ContentDecoder one_short(zeros.size() - 1);
  body = bomb;
  EXPECT_FALSE(one_short.decode("gzip", body).ok());

  // Each layer of a stack is bounded.
  body = compress(compress(zeros, kGzipBits), kZlibBits);
  EXPECT_FALSE(small.decode("gzip, deflate", body).ok());
}

TEST(ContentDecoding, DecoderIsReusableAcrossFormatsAndErrors) {
  ContentDecoder decoder;
  ContentDecoder moved_to = std::move(decoder);
  const std::string text = sample_text(100'000);
  for (int round = 0; round < 3; ++round) {
    for (int bits : {kGzipBits, kZlibBits, kRawBits}) {
      std::string body = compress(text, bits);
      ASSERT_TRUE(moved_to.decode(bits == kGzipBits ? "gzip" : "deflate", body).ok());
      ASSERT_EQ(body, text);
    }
    std::string bad = "corrupt";
    ASSERT_FALSE(moved_to.decode("gzip", bad).ok());
  }
}

}  // namespace
}  // namespace hornet::http
