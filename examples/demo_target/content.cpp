#include "content.hpp"

#include <zlib.h>

#include <stdexcept>

namespace hornet::demo {
namespace {

constexpr std::string_view kIndexHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboard | Demo site</title>
<style>
body { font-family: sans-serif; margin: 0; color: #222; }
header, footer { background: #0c4b33; color: #fff; padding: 0.75em 1.5em; }
main { padding: 1em 1.5em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; }
td.amount { text-align: right; font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<header><strong>Demo site</strong> &middot; <a href="/heavy_url/">Reports</a> &middot; <a href="/accounts/logout/">Log out</a></header>
<main>
<h1>Recent orders</h1>
<table>
<thead><tr><th>Order</th><th>Customer</th><th>Status</th><th>Date</th><th class="amount">Amount</th></tr></thead>
<tbody>
)";

constexpr std::string_view kIndexTail = R"(</tbody>
</table>
</main>
<footer>hornet-demo imitates a Django site for load tests.</footer>
</body>
</html>
)";

// One table row, different for every n but the same on every run.
std::string index_row(unsigned n) {
  static constexpr std::string_view kCustomers[] = {"Ada Lovelace",   "Alan Turing",
                                                    "Grace Hopper",   "Edsger Dijkstra",
                                                    "Barbara Liskov", "Donald Knuth"};
  static constexpr std::string_view kStatuses[] = {"paid", "shipped", "pending", "refunded"};
  const unsigned cents = (n * 7919U) % 100000U;
  std::string row = "<tr><td><a href=\"/orders/" + std::to_string(10000 + n) + "/\">#" +
                    std::to_string(10000 + n) + "</a></td><td>" +
                    std::string(kCustomers[n % std::size(kCustomers)]) + "</td><td>" +
                    std::string(kStatuses[(n / 3) % std::size(kStatuses)]) + "</td><td>2017-0" +
                    std::to_string(1 + n % 9) + "-" + std::to_string(10 + n % 18) +
                    "</td><td class=\"amount\">" + std::to_string(cents / 100) + "." +
                    std::to_string(10 + cents % 90) + "</td></tr>\n";
  return row;
}

// Rows until the page is nearly kIndexPageSize bytes, then a comment pads it to the exact size.
std::string build_index_page() {
  constexpr std::string_view kPadOpen = "<!-- ";
  constexpr std::string_view kPadClose = " -->\n";
  const std::size_t fixed =
      kIndexHead.size() + kIndexTail.size() + kPadOpen.size() + kPadClose.size();
  std::string rows;
  for (unsigned n = 0;; ++n) {
    std::string row = index_row(n);
    if (fixed + rows.size() + row.size() > kIndexPageSize) break;
    rows += row;
  }
  std::string page;
  page.reserve(kIndexPageSize);
  page += kIndexHead;
  page += rows;
  page += kPadOpen;
  page.append(kIndexPageSize - fixed - rows.size(), '.');
  page += kPadClose;
  page += kIndexTail;
  if (page.size() != kIndexPageSize) throw std::logic_error("index page has the wrong size");
  return page;
}

constexpr std::string_view kLoginHead = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Log in | Demo site</title></head>
<body>
<main>
<h1>Log in</h1>
<form method="post">
<input type="hidden" name="csrfmiddlewaretoken" value=")";

constexpr std::string_view kLoginTail = R"(">
<p><label for="id_username">Username:</label> <input type="text" name="username" id="id_username" autofocus required></p>
<p><label for="id_password">Password:</label> <input type="password" name="password" id="id_password" required></p>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
)";

constexpr std::string_view kHeavyHtml = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Report | Demo site</title></head>
<body><main><h1>Monthly report</h1><p>Computed the slow way, as reports are.</p></main></body>
</html>
)";

constexpr std::string_view kAjaxJson = R"({"status":"ok","count":3,"items":[)"
                                       R"({"id":1,"name":"alpha","value":0.25},)"
                                       R"({"id":2,"name":"beta","value":0.5},)"
                                       R"({"id":3,"name":"gamma","value":0.75}]})";

}  // namespace

std::string gzip_compress(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib wrapper.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

SiteContent::SiteContent()
    : index_html_(build_index_page()),
      index_gzip_(gzip_compress(index_html_)),
      heavy_html_(kHeavyHtml),
      ajax_json_(kAjaxJson) {}

std::string SiteContent::login_html(std::string_view csrf_token) const {
  std::string page;
  page.reserve(kLoginHead.size() + csrf_token.size() + kLoginTail.size());
  page += kLoginHead;
  page += csrf_token;  // only [A-Za-z0-9]: nothing to escape
  page += kLoginTail;
  return page;
}

}  // namespace hornet::demo
