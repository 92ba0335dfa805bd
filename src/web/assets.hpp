// The web UI's files, compiled into the binary (cmake/EmbedAssets.cmake): the page works with no
// network and no CDN, and the HTML report inlines them.
#pragma once

#include <span>
#include <string_view>

namespace hornet::web {

struct Asset {
  std::string_view path;          // as served: "/", "/static/app.js"
  std::string_view content_type;  // "application/javascript; charset=utf-8"
  std::string_view data;
};

/// Every embedded file.
std::span<const Asset> assets();

/// The asset served at `path`, or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace hornet::web
