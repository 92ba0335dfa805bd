// The documents hornet-demo serves, built once at start-up and then only read (by every worker
// thread, without locks).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hornet::demo {

/// Size of the index page in bytes: the seed's `avg_content_length` for "/".
inline constexpr std::size_t kIndexPageSize = 17611;

/// Compresses `data` into a gzip member (RFC 1952), at the best compression level: this runs once
/// at start-up, so the size matters more than the time. Throws std::runtime_error if zlib fails.
[[nodiscard]] std::string gzip_compress(std::string_view data);

class SiteContent {
 public:
  SiteContent();

  /// The page behind login: kIndexPageSize bytes of HTML, and the same gzip-compressed.
  std::string_view index_html() const noexcept { return index_html_; }
  std::string_view index_gzip() const noexcept { return index_gzip_; }

  /// The login form, carrying `csrf_token` in a hidden field as Django renders it.
  [[nodiscard]] std::string login_html(std::string_view csrf_token) const;

  /// The small page of /heavy_url/ and the small JSON document of /another_heavy_ajax_url/.
  std::string_view heavy_html() const noexcept { return heavy_html_; }
  std::string_view ajax_json() const noexcept { return ajax_json_; }

 private:
  std::string index_html_;
  std::string index_gzip_;
  std::string heavy_html_;
  std::string ajax_json_;
};

}  // namespace hornet::demo
