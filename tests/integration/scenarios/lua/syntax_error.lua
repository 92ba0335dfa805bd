-- A syntax error on line 6: loading must fail with "syntax_error.lua:6:" and exit code 1.
local hornet = require("hornet")
local U = hornet.HttpUser("U")
U:task("a", function(self)
  self.client:get("/ok"
end)
