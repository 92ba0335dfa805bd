#include "dist/error_key.hpp"

#include <gtest/gtest.h>

#include "hex.hpp"

namespace hornet::dist {
namespace {

// Expected values printed by Python 3.11's repr().
TEST(ErrorKey, PythonStrRepr) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain", "'plain'"},
      {"it's", "\"it's\""},
      {"say \"hi\"", "'say \"hi\"'"},
      {"both ' and \"", "'both \\' and \"'"},
      {"back\\slash", "'back\\\\slash'"},
      {"tab\tnl\ncr\r", "'tab\\tnl\\ncr\\r'"},
      {std::string("\x00\x1f\x7f", 3), "'\\x00\\x1f\\x7f'"},
      {"h\xc3\xa9 \xc3\xbc", "'h\xc3\xa9 \xc3\xbc'"},
      {"\xc2\xa0nb\xc2\xad", "'\\xa0nb\\xad'"},
      {"\xe2\x80\xa8", "'\\u2028'"},
      {"\xee\x80\x80", "'\\ue000'"},
      {"\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'"},
      {"HTTPError('404')", "\"HTTPError('404')\""},
  };
  for (const auto& [text, repr] : cases) {
    EXPECT_EQ(python_str_repr(text), repr) << testing::hex(text);
  }
}

// Reference §2.6, verified against a running Locust.
TEST(ErrorKey, MatchesLocustsCreateKey) {
  EXPECT_EQ(locust_error_key(
                "GET", "/missing",
                "HTTPError('404 Client Error: Not Found for url: http://127.0.0.1:18080/missing')"),
            "33ebcf6d03d43da563c71699559efcc66f6b2ed8d2e765a06f84a4e3a6214b37");
  EXPECT_EQ(locust_error_key("GET", "/slow",
                             "HTTPError('500 Server Error: INTERNAL SERVER ERROR for url: /slow')"),
            "2d1acaed24ff3d5d578dcde95b67196f2771e89b42dd593ced4f503172422c39");
  EXPECT_NE(locust_error_key("GET", "/a", "x"), locust_error_key("POST", "/a", "x"));
}

}  // namespace
}  // namespace hornet::dist
