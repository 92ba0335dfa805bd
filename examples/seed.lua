-- The seed's locustfile (shared/reference/seed.md) as a Lua scenario, the same as seed.cpp:
-- log in to a Django site with its CSRF token, then browse three pages with weights 1:2:2.
--
--   hornet -f examples/seed.lua -H http://127.0.0.1:8000 -u 50 -r 10 -t 30s --headless
local hornet = require("hornet")

local UserBehavior = hornet.TaskSet("UserBehavior")

function UserBehavior:on_start()
  self:login()
end

function UserBehavior:login()
  -- GET the login page to get the csrftoken cookie from it.
  local response = self.client:get("/accounts/login/")
  local csrftoken = response.cookies.csrftoken or ""
  -- POST the login form with the token, as Django's CSRF check wants it.
  self.client:post("/accounts/login/", {
    data = { { "username", "username" }, { "password", "P455w0rd" } },
    headers = { ["X-CSRFToken"] = csrftoken },
  })
end

UserBehavior:task("index", 1, function(self)
  self.client:get("/")
end)

UserBehavior:task("heavy_url", 2, function(self)
  self.client:get("/heavy_url/")
end)

UserBehavior:task("another_heavy_ajax_url", 2, function(self)
  -- An AJAX GET.
  self.client:get("/another_heavy_ajax_url/", {
    headers = { ["X-Requested-With"] = "XMLHttpRequest" },
  })
end)

-- The seed ran on Locust 0.x, whose default wait was 1 s between tasks.
local WebsiteUser = hornet.HttpUser("WebsiteUser", {
  wait_time = hornet.constant(1),
})
WebsiteUser:task(UserBehavior)
