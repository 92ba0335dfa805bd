-- A runtime error while the file loads (line 4).
local hornet = require("hornet")
local U = hornet.HttpUser("U")
U:task(nil)
