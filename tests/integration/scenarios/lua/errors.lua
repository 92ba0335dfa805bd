-- Runtime errors in tasks: counted in the exceptions table with file:line and a Lua traceback;
-- the users carry on. Bad arguments to the client are errors too, never a crash.
local hornet = require("hornet")

local function lookup(t)
  return t.missing.field -- line 6
end

local Errors = hornet.HttpUser("Errors", { wait_time = hornet.constant(0.05) })
Errors:task("broken", function(self)
  self.client:get("/exc/before")
  lookup({})
end)
Errors:task("bad_url", function(self)
  self.client:get("/exc/ok")
  self.client:get(42)
end)
Errors:task("bad_option", function(self)
  self.client:get("/exc/ok", { headers = 5 })
end)
Errors:task("not_json", function(self)
  self.client:get("/ok"):json()
end)
