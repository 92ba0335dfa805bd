-- The Lua API against the test server: sequential task sets and interrupt, StopUser (through a
-- pcall), RescheduleTask, catch_response, JSON both ways, params, headers, cookies, the
-- environment. Each user class is run on its own (its name on the command line).
local hornet = require("hornet")

-- /seq/1, /seq/2 twice (weight 2), /seq/3 and interrupt; two rounds, then the user stops.
local Steps = hornet.SequentialTaskSet("Steps")
Steps:task("one", function(self) self.client:get("/seq/1") end)
Steps:task("two", 2, function(self) self.client:get("/seq/2") end)
Steps:task("three", function(self)
  self.client:get("/seq/3")
  self.user.rounds = (self.user.rounds or 0) + 1
  if self.user.rounds == 2 then
    -- A script's pcall must not swallow the stop.
    pcall(function() error(hornet.StopUser) end)
    self.client:get("/seq/not-reached")
  end
  self:interrupt()
end)
function Steps:on_start() self.client:get("/seq/start") end
function Steps:on_stop() self.client:get("/seq/stop") end

local SeqUser = hornet.HttpUser("SeqUser")
SeqUser:task(Steps)
function SeqUser:on_stop() self.client:get("/marker/stopped") end

-- One pass over the API; every check that fails sends /marker/bad/<what>.
local ApiUser = hornet.HttpUser("ApiUser")
local function check(self, ok, what)
  if not ok then self.client:get("/marker/bad/" .. what) end
end
ApiUser:task("api", function(self)
  check(self, self.environment.host == self.host and self.host:match("^http://127.0.0.1:"), "host")
  local r = self.client:post("/echo/json", {
    json = { name = "hornet", list = { 1, 2, 3 }, nothing = hornet.null },
    params = { { "a", "1" }, { "b", "two words" } },
    headers = { ["X-Test"] = "yes" },
  })
  check(self, r.status_code == 200 and r.ok, "status")
  local echo = r:json()
  local sent = hornet.json.decode(echo.body)
  check(self, sent.name == "hornet" and #sent.list == 3 and sent.nothing == hornet.null, "json")
  check(self, echo.method == "POST", "method")
  check(self, echo.headers["X-Test"] == "yes" or echo.headers["x-test"] == "yes", "header")
  check(self, r.headers["content-type"] ~= nil and r.headers["Content-Type"] ~= nil, "headers")
  check(self, type(r.elapsed) == "number" and r.elapsed >= 0, "elapsed")
  check(self, r.url:match("/echo/json%?a=1&b=two") ~= nil, "url")

  self.client:get("/cookies/set?flavour=oat")
  check(self, self.client:cookie("flavour") == "oat", "cookie")

  -- catch_response: a 404 judged a success, a 200 judged a failure.
  local missing = self.client:get("/status/404", { catch_response = true, name = "judged-404" })
  missing:success()
  local fine = self.client:get("/ok", { catch_response = true, name = "judged-ok" })
  fine:failure("not what I wanted")
  check(self, fine.text == "ok", "text")

  local ok, err = pcall(function() r:success() end)
  check(self, not ok and tostring(err):match("catch_response") ~= nil, "success-without-catch")

  self.client:get("/cf/before-reschedule")
  error(hornet.RescheduleTask)
end)
function ApiUser:on_start() self.client:get("/onstart/api") end
ApiUser.wait_time = hornet.constant(0.2)
