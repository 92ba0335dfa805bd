#include "http/response_parser.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace hornet::http {
namespace {

// Everything observable about one parse, so that results of different feedings compare whole.
struct Outcome {
  ParseState state = ParseState::kNeedMore;
  std::size_t consumed = 0;
  std::string error;
  int status = 0;
  int version_minor = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;
  BodyFraming framing = BodyFraming::kNone;

  bool operator==(const Outcome&) const = default;
};

const char* state_name(ParseState state) {
  switch (state) {
    case ParseState::kNeedMore:
      return "need-more";
    case ParseState::kComplete:
      return "complete";
    case ParseState::kError:
      return "error";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << "{" << state_name(o.state) << ", consumed " << o.consumed << ", error '" << o.error << "', "
     << o.status << " '" << o.reason << "' HTTP/1." << o.version_minor << ", headers [";
  for (const auto& [name, value] : o.headers) os << name << ": " << value << "; ";
  return os << "], body '" << o.body << "', keep-alive " << o.keep_alive << "}";
}

Outcome outcome_of(const ResponseParser& parser, ParseState state, std::size_t consumed) {
  Outcome o;
  o.state = state;
  o.consumed = consumed;
  o.error = parser.error();
  o.keep_alive = parser.keep_alive();
  if (parser.head_complete()) {
    const ResponseHead& head = parser.head();
    o.status = head.status_code();
    o.version_minor = head.version_minor();
    o.reason = head.reason();
    for (const HeaderField field : head) o.headers.emplace_back(field.name, field.value);
    o.framing = parser.framing();
  }
  o.body = parser.body();
  return o;
}

enum class AtEnd { kStreamStaysOpen, kCloseStream };

// Feeds `pieces` in order until the parser stops needing more; optionally signals EOF after.
Outcome feed(const std::vector<std::string_view>& pieces, ResponseTo to = ResponseTo::kOtherMethod,
             AtEnd at_end = AtEnd::kStreamStaysOpen, ParserLimits limits = {}) {
  ResponseParser parser(limits);
  parser.reset(to);
  std::size_t consumed = 0;
  ParseState state = ParseState::kNeedMore;
  for (std::string_view piece : pieces) {
    const ParseResult result = parser.parse(piece);
    EXPECT_LE(result.consumed, piece.size());
    consumed += result.consumed;
    state = result.state;
    if (state != ParseState::kNeedMore) break;
    EXPECT_EQ(result.consumed, piece.size()) << "a parser needing more must take everything";
  }
  if (state == ParseState::kNeedMore && at_end == AtEnd::kCloseStream) {
    state = parser.finish_at_eof();
  }
  EXPECT_EQ(state, parser.state());
  return outcome_of(parser, state, consumed);
}

Outcome feed_whole(std::string_view input, ResponseTo to = ResponseTo::kOtherMethod,
                   AtEnd at_end = AtEnd::kStreamStaysOpen, ParserLimits limits = {}) {
  return feed({input}, to, at_end, limits);
}

Outcome feed_bytewise(std::string_view input, ResponseTo to = ResponseTo::kOtherMethod,
                      AtEnd at_end = AtEnd::kStreamStaysOpen, ParserLimits limits = {}) {
  std::vector<std::string_view> pieces;
  for (std::size_t i = 0; i < input.size(); ++i) pieces.push_back(input.substr(i, 1));
  return feed(pieces, to, at_end, limits);
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------------------------
// Valid responses: the same outcome however the bytes are split.

struct ValidCase {
  const char* name;
  std::string_view input;
  AtEnd at_end;
  int status;
  std::string_view reason;
  Headers headers;
  std::string_view body;
  bool keep_alive;
  BodyFraming framing;
};

const std::vector<ValidCase>& valid_cases() {
  static const std::vector<ValidCase> cases = {
      {"content-length",
       "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
       AtEnd::kStreamStaysOpen, 200, "OK",
       Headers{{"Content-Length", "5"}, {"Content-Type", "text/plain"}}, "hello", true,
       BodyFraming::kContentLength},
      {"chunked with extension and trailer",
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
       "5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n",
       AtEnd::kStreamStaysOpen, 200, "OK", Headers{{"Transfer-Encoding", "chunked"}}, "hello world",
       true, BodyFraming::kChunked},
      {"chunked with upper-case hex and leading zeros",
       "HTTP/1.1 201 Created\r\nTransfer-Encoding: Chunked\r\n\r\n"
       "000A\r\n0123456789\r\n00\r\n\r\n",
       AtEnd::kStreamStaysOpen, 201, "Created", Headers{{"Transfer-Encoding", "Chunked"}},
       "0123456789", true, BodyFraming::kChunked},
      {"100 continue then 204",
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
       "HTTP/1.1 204 No Content\r\nX-Id: 7\r\n\r\n",
       AtEnd::kStreamStaysOpen, 204, "No Content", Headers{{"X-Id", "7"}}, "", true,
       BodyFraming::kNone},
      {"http/1.0 until close", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close",
       AtEnd::kCloseStream, 200, "OK", Headers{{"Server", "old"}}, "body until close", false,
       BodyFraming::kUntilClose},
      {"bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\nX:  y \n\nhi",
       AtEnd::kStreamStaysOpen, 200, "OK", Headers{{"Content-Length", "2"}, {"X", "y"}}, "hi", true,
       BodyFraming::kContentLength},
      {"empty reason, duplicates, odd whitespace",
       "HTTP/1.1 404 \r\nSet-Cookie: a=1\r\nset-cookie:b=2\r\nX-Empty:\r\nX-Pad: \t v a l \t\r\n"
       "Content-Length: 0\r\n\r\n",
       AtEnd::kStreamStaysOpen, 404, "",
       Headers{{"Set-Cookie", "a=1"},
               {"set-cookie", "b=2"},
               {"X-Empty", ""},
               {"X-Pad", "v a l"},
               {"Content-Length", "0"}},
       "", true, BodyFraming::kContentLength},
      {"no reason and no space", "HTTP/1.1 200\r\nContent-Length: 3\r\n\r\nabc",
       AtEnd::kStreamStaysOpen, 200, "", Headers{{"Content-Length", "3"}}, "abc", true,
       BodyFraming::kContentLength},
      {"leading empty lines", "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
       AtEnd::kStreamStaysOpen, 200, "OK", Headers{{"Content-Length", "1"}}, "x", true,
       BodyFraming::kContentLength},
      {"both framings: chunked wins, no reuse",
       "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
       "3\r\nabc\r\n0\r\n\r\n",
       AtEnd::kStreamStaysOpen, 200, "OK",
       Headers{{"Content-Length", "100"}, {"Transfer-Encoding", "chunked"}}, "abc", false,
       BodyFraming::kChunked},
      {"obs-text and tab in values, 8-bit reason",
       "HTTP/1.1 200 D\xc3\xa9j\xc3\xa0 vu\r\nX-Name: caf\xc3\xa9\tbar\r\nContent-Length: 0\r\n"
       "\r\n",
       AtEnd::kStreamStaysOpen, 200, "D\xc3\xa9j\xc3\xa0 vu",
       Headers{{"X-Name", "caf\xc3\xa9\tbar"}, {"Content-Length", "0"}}, "", true,
       BodyFraming::kContentLength},
  };
  return cases;
}

void expect_valid(const ValidCase& c, const Outcome& o) {
  EXPECT_EQ(o.state, ParseState::kComplete) << o.error;
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.consumed, c.input.size());
  EXPECT_EQ(o.status, c.status);
  EXPECT_EQ(o.reason, c.reason);
  EXPECT_EQ(o.headers, c.headers);
  EXPECT_EQ(o.body, c.body);
  EXPECT_EQ(o.keep_alive, c.keep_alive);
  EXPECT_EQ(o.framing, c.framing);
}

TEST(ResponseParserValid, WholeBuffer) {
  for (const ValidCase& c : valid_cases()) {
    SCOPED_TRACE(c.name);
    expect_valid(c, feed_whole(c.input, ResponseTo::kOtherMethod, c.at_end));
  }
}

TEST(ResponseParserValid, OneByteAtATime) {
  for (const ValidCase& c : valid_cases()) {
    SCOPED_TRACE(c.name);
    expect_valid(c, feed_bytewise(c.input, ResponseTo::kOtherMethod, c.at_end));
  }
}

TEST(ResponseParserValid, TwoPiecesAtEveryOffset) {
  for (const ValidCase& c : valid_cases()) {
    SCOPED_TRACE(c.name);
    const Outcome whole = feed_whole(c.input, ResponseTo::kOtherMethod, c.at_end);
    for (std::size_t cut = 0; cut <= c.input.size(); ++cut) {
      ASSERT_EQ(
          feed({c.input.substr(0, cut), c.input.substr(cut)}, ResponseTo::kOtherMethod, c.at_end),
          whole)
          << "cut at " << cut;
    }
  }
}

TEST(ResponseParserValid, ThreePiecesAtEveryPairOfOffsets) {
  // Lines, CRLFs and chunk sizes straddling two reads.
  const ValidCase& c = valid_cases()[1];
  const Outcome whole = feed_whole(c.input);
  for (std::size_t a = 0; a <= c.input.size(); ++a) {
    for (std::size_t b = a; b <= c.input.size(); ++b) {
      ASSERT_EQ(feed({c.input.substr(0, a), c.input.substr(a, b - a), c.input.substr(b)}), whole)
          << "cuts at " << a << " and " << b;
    }
  }
}

TEST(ResponseParserValid, BytesAfterTheResponseAreNotConsumed) {
  for (const ValidCase& c : valid_cases()) {
    if (c.at_end == AtEnd::kCloseStream) continue;  // such a body takes everything
    SCOPED_TRACE(c.name);
    const std::string input = std::string(c.input) + "HTTP/1.1 200 OK\r\n\r\n";
    const Outcome whole = feed_whole(input);
    EXPECT_EQ(whole.state, ParseState::kComplete);
    EXPECT_EQ(whole.consumed, c.input.size());
    EXPECT_EQ(whole.body, c.body);
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
      ASSERT_EQ(feed({std::string_view(input).substr(0, cut), std::string_view(input).substr(cut)}),
                whole)
          << "cut at " << cut;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Truncation at every point.

TEST(ResponseParserTruncated, EveryPrefixNeedsMoreThenFailsAtEof) {
  for (const ValidCase& c : valid_cases()) {
    SCOPED_TRACE(c.name);
    for (std::size_t size = 0; size < c.input.size(); ++size) {
      const std::string_view prefix = c.input.substr(0, size);
      ResponseParser parser;
      const ParseResult result = parser.parse(prefix);
      ASSERT_EQ(result.state, ParseState::kNeedMore) << "prefix of " << size;
      ASSERT_EQ(result.consumed, size);
      EXPECT_EQ(parser.started(), size > 0);
      const ParseState at_eof = parser.finish_at_eof();
      if (c.at_end == AtEnd::kCloseStream && parser.head_complete()) {
        EXPECT_EQ(at_eof, ParseState::kComplete);
        EXPECT_EQ(parser.body(), c.body.substr(0, parser.body().size()));
        continue;
      }
      ASSERT_EQ(at_eof, ParseState::kError) << "prefix of " << size;
      EXPECT_FALSE(parser.keep_alive());
      const std::string& error = parser.error();
      EXPECT_TRUE(error.starts_with("connection closed")) << error;
      if (size == 0) {
        EXPECT_EQ(error, "connection closed before any response bytes arrived");
      } else if (!parser.head_complete()) {
        EXPECT_TRUE(
            error.starts_with("connection closed before the response headers were "
                              "complete"))
            << error;
      }
    }
  }
}

TEST(ResponseParserTruncated, MessagesSayWhereTheStreamEnded) {
  struct Case {
    std::string_view input;
    std::string_view error;
  } cases[] = {
      {"", "connection closed before any response bytes arrived"},
      {"HTTP/1.1 200 OK\r\nContent-Le",
       "connection closed before the response headers were complete (27 bytes of headers "
       "received)"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789",
       "connection closed after 10 of 20 body bytes"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n",
       "connection closed after 0 of 20 body bytes"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
       "connection closed in the middle of a chunked body (3 body bytes received)"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
       "connection closed in the middle of a chunked body (5 body bytes received)"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n",
       "connection closed in the trailer section of a chunked body"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    const Outcome o = feed_whole(c.input, ResponseTo::kOtherMethod, AtEnd::kCloseStream);
    EXPECT_EQ(o.state, ParseState::kError);
    EXPECT_EQ(o.error, c.error);
  }
}

// ---------------------------------------------------------------------------------------------
// Malformed input: an error with a specific message, whatever the split.

struct MalformedCase {
  std::string input;
  std::string_view error;  // a substring of the message
};

std::string with_head(std::string_view fields, std::string_view body = "") {
  return "HTTP/1.1 200 OK\r\n" + std::string(fields) + "\r\n" + std::string(body);
}

// A string literal with embedded NULs, whole.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

std::string chunked(std::string_view body) {
  return with_head("Transfer-Encoding: chunked\r\n", body);
}

const std::vector<MalformedCase>& malformed_cases() {
  static const std::vector<MalformedCase> cases = {
      // Not HTTP at all: detected from the first bytes.
      {"SSH-2.0-OpenSSH_9.2\r\n", "the response does not start with 'HTTP/'"},
      {"\x16\x03\x01\x02\x00", "the response does not start with 'HTTP/': '\\x16"},
      {"<html><body>oops</body></html>\r\n\r\n", "does not start with 'HTTP/'"},
      {"http/1.1 200 OK\r\n\r\n", "does not start with 'HTTP/'"},
      {"HTTPS/1.1 200 OK\r\n\r\n", "does not start with 'HTTP/'"},
      // Status lines.
      {"HTTP/1.1 2OO OK\r\n\r\n", "malformed status line 'HTTP/1.1 2OO OK'"},
      {"HTTP/1.1 200OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.1  200 OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.1 20\r\n\r\n", "malformed status line"},
      {"HTTP/1.1 2000 OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.1\r\n\r\n", "malformed status line 'HTTP/1.1'"},
      {"HTTP/1 200 OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.x 200 OK\r\n\r\n", "malformed status line"},
      {"HTTP/11.1 200 OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.1\t200 OK\r\n\r\n", "malformed status line 'HTTP/1.1\\x09200 OK'"},
      {"HTTP/2.0 200 OK\r\n\r\n", "unsupported HTTP version 'HTTP/2.0'"},
      {"HTTP/0.9 200 OK\r\n\r\n", "unsupported HTTP version"},
      {"HTTP/1.1 099 Low\r\n\r\n", "invalid status code in 'HTTP/1.1 099 Low'"},
      {"HTTP/1.1 200 O\x01K\r\n\r\n", "invalid character in the reason phrase"},
      {bytes("HTTP/1.1 200 O\0K\r\n\r\n"), "invalid character in the reason phrase"},
      // Header fields.
      {with_head("Bad Header: x\r\n"), "invalid header name 'Bad Header'"},
      {with_head("Name : x\r\n"), "invalid header name 'Name '"},
      {with_head(": x\r\n"), "invalid header name ''"},
      {with_head("X(y): x\r\n"), "invalid header name 'X(y)'"},
      {with_head("No-Colon\r\n"), "malformed header line (no colon) 'No-Colon'"},
      {with_head("X: a\r\n  folded\r\n"), "obsolete line folding"},
      {with_head("X: a\r\n\tfolded\r\n"), "obsolete line folding"},
      {with_head(" X: leading\r\n"), "obsolete line folding"},
      {with_head(bytes("X: a\0b\r\n")), "invalid character in the value of header 'X'"},
      {with_head("X: a\rb\r\n"), "invalid character in the value of header 'X'"},
      {with_head("X: a\x7f\x01\r\n"), "invalid character in the value of header 'X'"},
      {with_head("X\r: a\r\n"), "invalid header name 'X\\x0d'"},
      // Content-Length.
      {with_head("Content-Length: abc\r\n"), "invalid Content-Length 'abc'"},
      {with_head("Content-Length: -1\r\n"), "invalid Content-Length '-1'"},
      {with_head("Content-Length: +1\r\n"), "invalid Content-Length '+1'"},
      {with_head("Content-Length: 1 2\r\n"), "invalid Content-Length '1 2'"},
      {with_head("Content-Length: 0x10\r\n"), "invalid Content-Length '0x10'"},
      {with_head("Content-Length:\r\n"), "invalid Content-Length ''"},
      {with_head("Content-Length: ,\r\n"), "invalid Content-Length ','"},
      {with_head("Content-Length: 18446744073709551616\r\n"),
       "Content-Length '18446744073709551616' is too large"},
      {with_head("Content-Length: 99999999999999999999999\r\n"), "is too large"},
      {with_head("Content-Length: 5\r\nContent-Length: 6\r\n"),
       "conflicting Content-Length values 5 and 6"},
      {with_head("Content-Length: 5, 6\r\n"), "conflicting Content-Length values 5 and 6"},
      // Transfer-Encoding.
      {with_head("Transfer-Encoding: gzip\r\n"),
       "unsupported Transfer-Encoding 'gzip' in 'gzip' (only chunked is supported)"},
      {with_head("Transfer-Encoding: chunked, gzip\r\n"), "unsupported Transfer-Encoding 'gzip'"},
      {with_head("Transfer-Encoding: gzip, chunked\r\n"), "unsupported Transfer-Encoding 'gzip'"},
      {with_head("Transfer-Encoding: identity\r\n"), "unsupported Transfer-Encoding 'identity'"},
      {with_head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
       "Transfer-Encoding applies chunked more than once"},
      {with_head("Transfer-Encoding: chunked, chunked\r\n"), "more than once"},
      {with_head("Transfer-Encoding:\r\n"), "empty Transfer-Encoding header"},
      // Chunked bodies.
      {chunked("zz\r\n"), "invalid chunk size: expected a hex digit, got 'z'"},
      {chunked("\r\n"), "invalid chunk size: expected a hex digit, got '\\x0d'"},
      {chunked("-1\r\n"), "expected a hex digit, got '-'"},
      {chunked(";ext\r\n"), "expected a hex digit, got ';'"},
      {chunked("1 2\r\n"), "invalid character '2' in a chunk size line"},
      {chunked("1x\r\n"), "invalid character 'x' in a chunk size line"},
      {chunked("5\rX"), "missing LF after CR in a chunk size line"},
      {chunked("5\r\nhelloX\r\n0\r\n\r\n"), "missing CRLF after chunk data (got 'X')"},
      {chunked("5\r\nhello\rX"), "missing CRLF after chunk data (got 'X')"},
      {chunked("5\r\nhello world\r\n"), "missing CRLF after chunk data (got ' ')"},
      {chunked("10000000000000000\r\n"), "chunk size overflows 64 bits"},
      {chunked("fffffffffffffffffff\r\n"), "chunk size overflows 64 bits"},
      {chunked("ffffffffffffffff\r\n"),
       "the chunked response body exceeds the limit of 1073741824 bytes"},
      {chunked("5;" + std::string(5000, 'a') + "\r\n"), "chunk extension longer than 4096 bytes"},
  };
  return cases;
}

TEST(ResponseParserMalformed, WholeBuffer) {
  for (const MalformedCase& c : malformed_cases()) {
    SCOPED_TRACE(c.input);
    const Outcome o = feed_whole(c.input);
    EXPECT_EQ(o.state, ParseState::kError);
    EXPECT_NE(o.error.find(c.error), std::string::npos) << o.error;
    EXPECT_FALSE(o.keep_alive);
  }
}

TEST(ResponseParserMalformed, OneByteAtATime) {
  for (const MalformedCase& c : malformed_cases()) {
    SCOPED_TRACE(c.input);
    const Outcome o = feed_bytewise(c.input);
    EXPECT_EQ(o.state, ParseState::kError);
    EXPECT_NE(o.error.find(c.error), std::string::npos) << o.error;
  }
}

TEST(ResponseParserMalformed, ErrorIsSticky) {
  ResponseParser parser;
  ASSERT_EQ(parser.parse("garbage").state, ParseState::kError);
  const std::string error = parser.error();
  const ParseResult again = parser.parse("HTTP/1.1 200 OK\r\n\r\n");
  EXPECT_EQ(again.state, ParseState::kError);
  EXPECT_EQ(again.consumed, 0u);
  EXPECT_EQ(parser.finish_at_eof(), ParseState::kError);
  EXPECT_EQ(parser.error(), error);
}

TEST(ResponseParserMalformed, GarbageIsDetectedBeforeALineEnds) {
  ResponseParser parser;
  const ParseResult result = parser.parse("\x15\x03\x03");  // a TLS alert to a plain request
  EXPECT_EQ(result.state, ParseState::kError);
  EXPECT_EQ(parser.error(), "the response does not start with 'HTTP/': '\\x15\\x03\\x03'");
}

// ---------------------------------------------------------------------------------------------
// Limits.

TEST(ResponseParserLimits, HeaderBlockSizeAtAndOverTheLimit) {
  ParserLimits limits;
  limits.max_head_bytes = 64;
  const std::string at_limit = with_head("X: " + std::string(64 - 24, 'v') + "\r\n");
  ASSERT_EQ(at_limit.size(), 64u);
  EXPECT_EQ(feed_whole(at_limit, ResponseTo::kOtherMethod, AtEnd::kCloseStream, limits).state,
            ParseState::kComplete);
  EXPECT_EQ(feed_bytewise(at_limit, ResponseTo::kOtherMethod, AtEnd::kCloseStream, limits).state,
            ParseState::kComplete);

  const std::string over = with_head("X: " + std::string(64 - 24 + 1, 'v') + "\r\n");
  for (const Outcome& o :
       {feed_whole(over, ResponseTo::kOtherMethod, AtEnd::kCloseStream, limits),
        feed_bytewise(over, ResponseTo::kOtherMethod, AtEnd::kCloseStream, limits)}) {
    EXPECT_EQ(o.state, ParseState::kError);
    EXPECT_EQ(o.error, "the response header block exceeds the limit of 64 bytes");
  }
}

TEST(ResponseParserLimits, DefaultHeaderBlockLimitIs64KiB) {
  const std::string huge = with_head("X-Big: " + std::string(70 * 1024, 'a') + "\r\n");
  const Outcome o = feed_whole(huge);
  EXPECT_EQ(o.state, ParseState::kError);
  EXPECT_EQ(o.error, "the response header block exceeds the limit of 65536 bytes");
  // The parser stops at the limit instead of buffering the rest.
  EXPECT_EQ(o.consumed, 65536u);
}

TEST(ResponseParserLimits, HeaderCount) {
  std::string fields;
  for (int i = 0; i < 100; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
  const Outcome hundred = feed_whole(with_head(fields + "Content-Length: 0\r\n"));
  EXPECT_EQ(hundred.state, ParseState::kError);
  EXPECT_EQ(hundred.error, "the response has more than 100 header fields");
  const Outcome ninety_nine =
      feed_whole(with_head(fields.substr(fields.find("X-1:")) + "Content-Length: 0\r\n"));
  EXPECT_EQ(ninety_nine.state, ParseState::kComplete) << ninety_nine.error;
  EXPECT_EQ(ninety_nine.headers.size(), 100u);

  ParserLimits limits;
  limits.max_header_count = 2;
  const Outcome three = feed_whole(with_head("A: 1\r\nB: 2\r\nC: 3\r\n"), ResponseTo::kOtherMethod,
                                   AtEnd::kStreamStaysOpen, limits);
  EXPECT_EQ(three.error, "the response has more than 2 header fields");
}

TEST(ResponseParserLimits, BodySizeForEachFraming) {
  ParserLimits limits;
  limits.max_body_bytes = 10;
  const struct {
    std::string input;
    AtEnd at_end;
    std::string_view error;  // empty: must succeed
  } cases[] = {
      {with_head("Content-Length: 10\r\n", "0123456789"), AtEnd::kStreamStaysOpen, ""},
      {with_head("Content-Length: 11\r\n", "0123456789a"), AtEnd::kStreamStaysOpen,
       "Content-Length 11 exceeds the body limit of 10 bytes"},
      {chunked("5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n"), AtEnd::kStreamStaysOpen, ""},
      {chunked("5\r\n01234\r\n6\r\n56789a\r\n0\r\n\r\n"), AtEnd::kStreamStaysOpen,
       "the chunked response body exceeds the limit of 10 bytes"},
      {"HTTP/1.0 200 OK\r\n\r\n0123456789", AtEnd::kCloseStream, ""},
      {"HTTP/1.0 200 OK\r\n\r\n0123456789a", AtEnd::kCloseStream,
       "the response body exceeds the limit of 10 bytes"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    for (const Outcome& o : {feed_whole(c.input, ResponseTo::kOtherMethod, c.at_end, limits),
                             feed_bytewise(c.input, ResponseTo::kOtherMethod, c.at_end, limits)}) {
      if (c.error.empty()) {
        EXPECT_EQ(o.state, ParseState::kComplete) << o.error;
        EXPECT_EQ(o.body, "0123456789");
      } else {
        EXPECT_EQ(o.state, ParseState::kError);
        EXPECT_EQ(o.error, c.error);
      }
    }
  }
}

TEST(ResponseParserLimits, TrailerSectionIsBoundedByTheHeadLimit) {
  ParserLimits limits;
  limits.max_head_bytes = 64;
  const std::string input = chunked("0\r\nX-Trailer: " + std::string(80, 't') + "\r\n\r\n");
  // The head itself is small; only the trailer passes the limit.
  const Outcome o = feed_whole(input, ResponseTo::kOtherMethod, AtEnd::kStreamStaysOpen, limits);
  EXPECT_EQ(o.state, ParseState::kError);
  EXPECT_EQ(o.error, "the chunked body's trailer section exceeds the limit of 64 bytes");
}

// ---------------------------------------------------------------------------------------------
// Framing and connection reuse.

TEST(ResponseParserFraming, NoBodyForHeadAnd204And304) {
  const struct {
    std::string input;
    ResponseTo to;
    bool keep_alive;
  } cases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", ResponseTo::kHead, true},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", ResponseTo::kHead, true},
      // Without framing headers a GET response would run until close; a HEAD response does not.
      {"HTTP/1.1 200 OK\r\n\r\n", ResponseTo::kHead, true},
      // Framing headers are not even validated when there is no body.
      {"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", ResponseTo::kHead, true},
      {"HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", ResponseTo::kOtherMethod, true},
      {"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", ResponseTo::kOtherMethod,
       true},
      {"HTTP/1.0 304 Not Modified\r\n\r\n", ResponseTo::kOtherMethod, false},
      {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", ResponseTo::kOtherMethod,
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    const std::string input = c.input + "NEXT";
    const Outcome o = feed_whole(input, c.to);
    EXPECT_EQ(o.state, ParseState::kComplete) << o.error;
    EXPECT_EQ(o.consumed, c.input.size());
    EXPECT_EQ(o.body, "");
    EXPECT_EQ(o.framing, BodyFraming::kNone);
    EXPECT_EQ(o.keep_alive, c.keep_alive);
  }
}

TEST(ResponseParserFraming, ContentLengthVariants) {
  const struct {
    std::string_view fields;
    std::string_view body;
  } cases[] = {
      {"Content-Length: 3\r\n", "abc"},      {"content-length: 003\r\n", "abc"},
      {"Content-Length: 3, 3\r\n", "abc"},   {"Content-Length: 3\r\nCONTENT-LENGTH: 3\r\n", "abc"},
      {"Content-Length:   3   \r\n", "abc"}, {"Content-Length: 0\r\n", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fields);
    const std::string input = with_head(c.fields, c.body);
    const Outcome o = feed_whole(input + "extra");
    EXPECT_EQ(o.state, ParseState::kComplete) << o.error;
    EXPECT_EQ(o.body, c.body);
    EXPECT_EQ(o.consumed, input.size());
    EXPECT_TRUE(o.keep_alive);
  }
}

TEST(ResponseParserFraming, ChunkedInHttp10IsReadButNotReused) {
  const Outcome o = feed_whole(
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nok\r\n0\r\n\r\n");
  EXPECT_EQ(o.state, ParseState::kComplete) << o.error;
  EXPECT_EQ(o.body, "ok");
  EXPECT_FALSE(o.keep_alive);
}

TEST(ResponseParserFraming, UntilCloseCompletesOnlyAtEof) {
  ResponseParser parser;
  const std::string_view head = "HTTP/1.1 200 OK\r\n\r\n";
  ParseResult result = parser.parse(head);
  EXPECT_EQ(result.state, ParseState::kNeedMore);
  EXPECT_TRUE(parser.head_complete());
  EXPECT_EQ(parser.framing(), BodyFraming::kUntilClose);
  result = parser.parse("part one, ");
  EXPECT_EQ(result.consumed, 10u);
  result = parser.parse("part two");
  EXPECT_EQ(result.state, ParseState::kNeedMore);
  EXPECT_EQ(parser.finish_at_eof(), ParseState::kComplete);
  EXPECT_EQ(parser.body(), "part one, part two");
  EXPECT_FALSE(parser.keep_alive());
  // EOF again changes nothing.
  EXPECT_EQ(parser.finish_at_eof(), ParseState::kComplete);
}

TEST(ResponseParserFraming, KeepAliveRules) {
  const struct {
    std::string_view version;
    std::string_view connection;  // empty: no Connection header
    bool expected;
  } cases[] = {
      {"1.1", "", true},
      {"1.1", "close", false},
      {"1.1", "Close", false},
      {"1.1", "keep-alive", true},
      {"1.1", "Upgrade, close", false},
      {"1.1", "closed", true},
      {"1.0", "", false},
      {"1.0", "keep-alive", true},
      {"1.0", "Keep-Alive", true},
      {"1.0", "foo,  keep-alive ", true},
      {"1.0", "keep-alive, close", false},
      {"1.2", "", true},
  };
  for (const auto& c : cases) {
    std::string input = "HTTP/" + std::string(c.version) + " 200 OK\r\nContent-Length: 0\r\n";
    if (!c.connection.empty()) input += "Connection: " + std::string(c.connection) + "\r\n";
    input += "\r\n";
    SCOPED_TRACE(input);
    const Outcome o = feed_whole(input);
    EXPECT_EQ(o.state, ParseState::kComplete) << o.error;
    EXPECT_EQ(o.keep_alive, c.expected);
  }
  // A second Connection field counts too.
  EXPECT_FALSE(feed_whole(with_head("Connection: keep-alive\r\nConnection: close\r\n"
                                    "Content-Length: 0\r\n"))
                   .keep_alive);
}

TEST(ResponseParserFraming, InterimResponsesAreSkippedButNot101) {
  const Outcome o = feed_whole(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-A: 1\r\n\r\n"
      "HTTP/1.1 200 OK\r\nX-B: 2\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(o.state, ParseState::kComplete);
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.headers, (Headers{{"X-B", "2"}, {"Content-Length", "2"}}));
  EXPECT_EQ(o.body, "ok");

  ResponseParser parser;
  EXPECT_EQ(parser.parse("HTTP/1.1 100 Continue\r\n\r\n").state, ParseState::kNeedMore);
  EXPECT_FALSE(parser.head_complete());
  EXPECT_EQ(parser.finish_at_eof(), ParseState::kError);
}

// ---------------------------------------------------------------------------------------------
// Pipelining, reuse and hand-over.

TEST(ResponseParserReuse, PipelinedResponsesInOneBuffer) {
  const std::string buffer =
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
      "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nthree"
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\nfour";
  const struct {
    ResponseTo to;
    int status;
    std::string_view body;
  } expected[] = {{ResponseTo::kOtherMethod, 200, "one"},
                  {ResponseTo::kOtherMethod, 200, "two"},
                  {ResponseTo::kOtherMethod, 404, "three"},
                  {ResponseTo::kOtherMethod, 200, "four"}};
  ResponseParser parser;
  std::string_view rest = buffer;
  for (const auto& e : expected) {
    parser.reset(e.to);
    const ParseResult result = parser.parse(rest);
    ASSERT_EQ(result.state, ParseState::kComplete) << parser.error();
    EXPECT_EQ(parser.head().status_code(), e.status);
    EXPECT_EQ(parser.body(), e.body);
    rest.remove_prefix(result.consumed);
  }
  EXPECT_TRUE(rest.empty());
  EXPECT_FALSE(parser.keep_alive());
}

TEST(ResponseParserReuse, CompleteIsStickyUntilReset) {
  ResponseParser parser;
  ASSERT_EQ(parser.parse("HTTP/1.1 204 No Content\r\n\r\n").state, ParseState::kComplete);
  const ParseResult again = parser.parse("HTTP/1.1 200 OK\r\n\r\n");
  EXPECT_EQ(again.state, ParseState::kComplete);
  EXPECT_EQ(again.consumed, 0u);
  EXPECT_EQ(parser.finish_at_eof(), ParseState::kComplete);
  parser.reset(ResponseTo::kOtherMethod);
  EXPECT_EQ(parser.state(), ParseState::kNeedMore);
  EXPECT_FALSE(parser.started());
  EXPECT_FALSE(parser.head_complete());
  EXPECT_EQ(parser.body(), "");
}

TEST(ResponseParserReuse, TakeHeadAndBodySwapStorage) {
  ResponseParser parser;
  ASSERT_EQ(
      parser.parse("HTTP/1.1 200 Fine\r\nA: 1\r\nB: 2\r\nContent-Length: 4\r\n\r\nbody").state,
      ParseState::kComplete);
  ResponseHead head;
  std::string body = "old contents";
  parser.take_head(head);
  parser.take_body(body);
  EXPECT_EQ(head.status_code(), 200);
  EXPECT_EQ(head.reason(), "Fine");
  EXPECT_EQ(head.version_minor(), 1);
  ASSERT_EQ(head.size(), 3u);
  EXPECT_EQ(head[1].name, "B");
  EXPECT_EQ(head[1].value, "2");
  EXPECT_EQ(head.find("content-length"), "4");
  EXPECT_EQ(head.block(), "HTTP/1.1 200 Fine\r\nA: 1\r\nB: 2\r\nContent-Length: 4\r\n\r\n");
  EXPECT_EQ(body, "body");
  EXPECT_EQ(parser.body(), "");
  EXPECT_EQ(parser.head().size(), 0u);

  // The parser works on with the storage it got back.
  parser.reset(ResponseTo::kOtherMethod);
  ASSERT_EQ(parser.parse("HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx").state,
            ParseState::kComplete);
  EXPECT_EQ(parser.head().status_code(), 201);
  EXPECT_EQ(parser.body(), "x");
  EXPECT_EQ(head.status_code(), 200);  // untouched
}

TEST(ResponseParserReuse, TakeHeadersMovesTheBlockWithoutCopyingFields) {
  ResponseParser parser;
  ASSERT_EQ(parser.parse("HTTP/1.1 200 OK\r\nServer: x\r\nSet-Cookie: a=1\r\n\r\n").state,
            ParseState::kNeedMore);
  ResponseHead head;
  parser.take_head(head);
  const char* block_data = head.block().data();
  ResponseHeaders headers = head.take_headers();
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0].first, "Server");
  EXPECT_EQ(headers[1].second, "a=1");
  EXPECT_EQ(headers[0].first.data(), block_data + 17);  // a view into the moved block
  EXPECT_TRUE(head.empty());
  EXPECT_EQ(head.status_code(), 0);
}

// ---------------------------------------------------------------------------------------------
// ResponseHead lookups.

TEST(ResponseHead, LookupsAreCaseInsensitiveAndKeepOrder) {
  ResponseParser parser;
  ASSERT_EQ(parser
                .parse(with_head("Set-Cookie: a=1\r\nX-Multi: one\r\nset-COOKIE: b=2\r\n"
                                 "Connection: Upgrade, Keep-Alive\r\nVary: Accept\r\n"
                                 "Vary: accept-encoding, Cookie\r\nContent-Length: 0\r\n"))
                .state,
            ParseState::kComplete);
  const ResponseHead& head = parser.head();
  EXPECT_EQ(head.find("SET-cookie"), "a=1");
  EXPECT_EQ(head.find("x-multi"), "one");
  EXPECT_EQ(head.find("missing"), std::nullopt);
  EXPECT_EQ(head.find("X-Mult"), std::nullopt);
  std::vector<std::string_view> cookies;
  head.for_each_value("set-cookie", [&](std::string_view v) { cookies.push_back(v); });
  EXPECT_EQ(cookies, (std::vector<std::string_view>{"a=1", "b=2"}));
  EXPECT_TRUE(head.has_token("connection", "keep-alive"));
  EXPECT_TRUE(head.has_token("Connection", "UPGRADE"));
  EXPECT_FALSE(head.has_token("connection", "close"));
  EXPECT_TRUE(head.has_token("vary", "cookie"));
  EXPECT_FALSE(head.has_token("vary", "accept-enc"));
  EXPECT_FALSE(head.has_token("missing", "x"));
  EXPECT_EQ(find_header(head.block(), head.spans(), "vary"), "Accept");
}

}  // namespace
}  // namespace hornet::http
