-- bench/dist_master.py's user: a steady trickle of cheap requests, so that the moment a worker
-- stops its users shows at the server within a few milliseconds. 100 users: about 2,000 GETs/s.
-- The random wait keeps users out of step (users spawned together would otherwise all request
-- in the same millisecond and leave 50 ms gaps). A Lua scenario, so the 50 worker processes need
-- no compiled plugin.
local hornet = require("hornet")

local WebsiteUser = hornet.HttpUser("WebsiteUser", { wait_time = hornet.between(0.025, 0.075) })
WebsiteUser:task("login_page", function(self)
  self.client:get("/accounts/login/")
end)
