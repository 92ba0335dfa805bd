-- Tasks that never yield: `while true do end`, or (SPIN=for) a numeric loop that LuaJIT would
-- compile. --stop-timeout must still stop them; on_stop then runs and sends a marker.
local hornet = require("hornet")
local Spin = hornet.HttpUser("Spin")
Spin:task("spin", function(self)
  self.client:get("/marker/spinning")
  if os.getenv("SPIN") == "for" then
    local x = 0
    for i = 1, 1e18 do x = x + i end
  elseif os.getenv("SPIN") == "pcall" then
    while true do pcall(function() while true do end end) end
  else
    while true do end
  end
end)
function Spin:on_stop()
  self.client:get("/marker/stopped")
end
