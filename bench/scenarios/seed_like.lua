-- Benchmark case (b) in Lua: bench/scenarios/seed_like.cpp as a Lua scenario (log in once with
-- the CSRF cookie, then tasks 1:2:2 with no wait), for bench/lua_vs_cpp.py.
local hornet = require("hornet")

local SeedLikeUser = hornet.HttpUser("SeedLikeUser")

function SeedLikeUser:on_start()
  local login_page = self.client:get("/accounts/login/")
  self.client:post("/accounts/login/", {
    data = { { "username", "username" }, { "password", "P455w0rd" } },
    headers = { ["X-CSRFToken"] = login_page.cookies.csrftoken or "" },
  })
end

SeedLikeUser:task("index", 1, function(self)
  self.client:get("/")
end)
SeedLikeUser:task("heavy_url", 2, function(self)
  self.client:get("/heavy_url/")
end)
SeedLikeUser:task("another_heavy_ajax_url", 2, function(self)
  self.client:get("/another_heavy_ajax_url/", {
    headers = { ["X-Requested-With"] = "XMLHttpRequest" },
  })
end)
