#include "http/request_writer.hpp"

#include <gtest/gtest.h>

#include <hornet/http.hpp>
#include <string>
#include <utility>
#include <vector>

namespace hornet::http {
namespace {

Url url_of(std::string_view text) {
  Result<Url> url = Url::parse(text);
  EXPECT_TRUE(url.ok()) << url.error().message;
  return url.ok() ? std::move(url).value() : Url();
}

TEST(RequestWriter, GetWithHeadersInOrder) {
  std::string out;
  ASSERT_TRUE(append_request(
                  out, "GET", url_of("http://example.com/a?b=1"),
                  {{"User-Agent", "hornet"}, {"Accept", "*/*"}, {"X-Dup", "1"}, {"X-Dup", "2"}}, "")
                  .ok());
  EXPECT_EQ(out,
            "GET /a?b=1 HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "User-Agent: hornet\r\n"
            "Accept: */*\r\n"
            "X-Dup: 1\r\n"
            "X-Dup: 2\r\n"
            "\r\n");
}

TEST(RequestWriter, ContentLengthRulesFollowRequests) {
  const struct {
    std::string_view method;
    std::string_view body;
    std::string_view content_length;  // empty: no header
  } cases[] = {
      {"GET", "", ""},          {"HEAD", "", ""},        {"get", "", ""},     {"POST", "", "0"},
      {"PUT", "", "0"},         {"PATCH", "", "0"},      {"DELETE", "", "0"}, {"OPTIONS", "", "0"},
      {"POST", "a=1&b=2", "7"}, {"GET", "payload", "7"}, {"PURGE", "", "0"},
  };
  const Url url = url_of("http://h/");
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " with body '" + std::string(c.body) + "'");
    std::string out;
    ASSERT_TRUE(append_request(out, c.method, url, {}, c.body).ok());
    std::string upper(c.method);
    for (char& ch : upper) ch = ascii::to_upper(ch);
    std::string expected = upper + " / HTTP/1.1\r\nHost: h\r\n";
    if (!c.content_length.empty()) {
      expected += "Content-Length: " + std::string(c.content_length) + "\r\n";
    }
    expected += "\r\n" + std::string(c.body);
    EXPECT_EQ(out, expected);
  }
}

TEST(RequestWriter, HostHeaderForPortsAndIpv6) {
  const struct {
    std::string_view url;
    std::string_view host;
  } cases[] = {
      {"http://example.com:80/", "example.com"},
      {"https://example.com:443/", "example.com"},
      {"https://example.com:80/", "example.com:80"},
      {"http://example.com:8089/", "example.com:8089"},
      {"http://[::1]:8080/", "[::1]:8080"},
      {"http://[::1]/", "[::1]"},
  };
  for (const auto& c : cases) {
    std::string out;
    ASSERT_TRUE(append_request(out, "GET", url_of(c.url), {}, "").ok());
    EXPECT_EQ(out, "GET / HTTP/1.1\r\nHost: " + std::string(c.host) + "\r\n\r\n") << c.url;
  }
}

TEST(RequestWriter, CallerHostReplacesOursInTheCallersPosition) {
  std::string out;
  ASSERT_TRUE(append_request(out, "GET", url_of("http://10.0.0.1/"),
                             {{"Accept", "*/*"}, {"host", "virtual.example"}}, "")
                  .ok());
  EXPECT_EQ(out, "GET / HTTP/1.1\r\nAccept: */*\r\nhost: virtual.example\r\n\r\n");
}

TEST(RequestWriter, CallerContentLengthIsReplacedByTheTrueOne) {
  std::string out;
  ASSERT_TRUE(append_request(out, "POST", url_of("http://h/"),
                             {{"Content-Length", "999"}, {"Content-Type", "text/plain"}}, "abc")
                  .ok());
  EXPECT_EQ(out,
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n"
            "abc");
}

TEST(RequestWriter, RejectsBadInputNamingItAndLeavesTheBufferAlone) {
  const Url url = url_of("http://h/");
  const struct {
    std::string_view method;
    std::string name;
    std::string value;
    std::string_view error;
  } cases[] = {
      {"GET", "Bad Name", "v", "invalid header name 'Bad Name'"},
      {"GET", "", "v", "invalid header name ''"},
      {"GET", "X:Y", "v", "invalid header name 'X:Y'"},
      {"GET", "X\r\nY", "v", "invalid header name 'X\\x0d\\x0aY'"},
      {"GET", "\xc3\x9cmlaut", "v", "invalid header name '\\xc3\\x9cmlaut'"},
      {"GET", "X-Evil", "a\r\nX-Injected: 1",
       "the value of header 'X-Evil' contains CR, LF or NUL"},
      {"GET", "X-Evil", "a\nb", "header 'X-Evil' contains CR, LF or NUL"},
      {"GET", "X-Evil", "a\rb", "header 'X-Evil' contains CR, LF or NUL"},
      {"GET", "X-Evil", std::string("a\0b", 3), "header 'X-Evil' contains CR, LF or NUL"},
      {"GET", "Transfer-Encoding", "chunked", "header 'Transfer-Encoding' is not supported"},
      {"GE T", "X", "v", "invalid HTTP method 'GE T'"},
      {"", "X", "v", "invalid HTTP method ''"},
      {"GET\r\n", "X", "v", "invalid HTTP method 'GET\\x0d\\x0a'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.error);
    std::string out = "previous request bytes";
    const std::vector<std::pair<std::string, std::string>> headers = {{"Ok", "1"},
                                                                      {c.name, c.value}};
    Result<void> result = append_request(out, c.method, url, headers, "body");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find(c.error), std::string::npos) << result.error().message;
    EXPECT_EQ(out, "previous request bytes");
  }
}

TEST(RequestWriter, AllowsTabsAndEightBitBytesInValues) {
  std::string out;
  ASSERT_TRUE(append_header(out, "X-Name", "caf\xc3\xa9\tok").ok());
  EXPECT_EQ(out, "X-Name: caf\xc3\xa9\tok\r\n");
}

TEST(RequestWriter, AppendsAfterExistingBytesForPipelining) {
  std::string out = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n";
  ASSERT_TRUE(append_request(out, "GET", url_of("http://h/2"), {}, "").ok());
  EXPECT_EQ(out, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST(RequestWriter, AcceptsFieldsAndOwnedPairs) {
  const Fields fields = {{"Accept", "application/json"}, {"X-Token", "t"}};
  std::string a;
  ASSERT_TRUE(
      append_request(a, "put", url_of("https://api.example/v1/items/7"), fields, "{}").ok());
  const std::vector<std::pair<std::string, std::string>> pairs(fields.begin(), fields.end());
  std::string b;
  ASSERT_TRUE(append_request(b, "PUT", url_of("https://api.example/v1/items/7"), pairs, "{}").ok());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a,
            "PUT /v1/items/7 HTTP/1.1\r\nHost: api.example\r\nAccept: application/json\r\n"
            "X-Token: t\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(RequestWriter, PiecesLetTheSessionInsertLines) {
  const Url url = url_of("http://h/p");
  std::string out;
  ASSERT_TRUE(append_request_line(out, "post", url).ok());
  append_host_header(out, url);
  ASSERT_TRUE(append_header(out, "Content-Type", "application/x-www-form-urlencoded").ok());
  out += "Cookie: a=1\r\n";
  append_body(out, "post", "x=1");
  EXPECT_EQ(out,
            "POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Cookie: a=1\r\nContent-Length: 3\r\n\r\nx=1");
  // Content-Length given piecewise is skipped too.
  std::string skipped;
  ASSERT_TRUE(append_header(skipped, "content-length", "5").ok());
  EXPECT_EQ(skipped, "");
}

TEST(RequestWriter, ReusedBufferDoesNotReallocate) {
  const Url url = url_of("http://example.com/resource?id=42");
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"User-Agent", "hornet/0.1"}, {"Accept-Encoding", "gzip, deflate"}, {"Accept", "*/*"}};
  std::string out;
  ASSERT_TRUE(append_request(out, "POST", url, headers, "payload").ok());
  const std::string first = out;
  const char* storage = out.data();
  for (int i = 0; i < 100; ++i) {
    out.clear();
    ASSERT_TRUE(append_request(out, "POST", url, headers, "payload").ok());
    ASSERT_EQ(out.data(), storage);
  }
  EXPECT_EQ(out, first);
}

}  // namespace
}  // namespace hornet::http
