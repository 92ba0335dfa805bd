// The Lua half of the `hornet` module: class declarations, wait times, control-flow signals and
// the pcall wrappers. Kept in Lua because it is declarative code that runs once per load; the
// request path (client, response, the coroutine driver) is C++.
#include "script/lua_prelude.hpp"

namespace hornet::script::lua {

// Called with one argument, the table of C functions (lua_state.cpp); returns the module and
// a table of internals for the C++ side.
const char kPrelude[] = R"lua(
local C = ...
local hornet = {}
local classes, users = {}, {}

-- Control flow: error(hornet.StopUser) and friends. The engine maps them to its own control
-- flow; pcall/xpcall/coroutine.resume let them through, so a script's error handling cannot
-- swallow a stop.
local Signal = {}
Signal.__index = Signal
Signal.__tostring = function(s) return s.name end
local function signal(name, reschedule)
  return setmetatable({ name = name, reschedule = reschedule }, Signal)
end
hornet.StopUser = signal("StopUser")
hornet.RescheduleTask = signal("RescheduleTask")
hornet.RescheduleTaskImmediately = signal("RescheduleTaskImmediately")
hornet.InterruptTaskSet = signal("InterruptTaskSet", true)
local interrupt_no_reschedule = signal("InterruptTaskSet", false)
local stopped = signal("UserStopped")

local raw_pcall, raw_xpcall, raw_resume = pcall, xpcall, coroutine.resume
local function pass(ok, ...)
  if not ok and getmetatable((...)) == Signal then error((...), 0) end
  return ok, ...
end
function pcall(f, ...) return pass(raw_pcall(f, ...)) end
function xpcall(f, handler, ...)
  return pass(raw_xpcall(f, function(e)
    if getmetatable(e) == Signal then return e end
    return handler(e)
  end, ...))
end
function coroutine.resume(co, ...) return pass(raw_resume(co, ...)) end

-- Wait times, read by the engine when the script has loaded.
local WaitTime = {}
local function number(value, what, level)
  if type(value) ~= "number" or value ~= value or value < 0 then
    error(what .. " must be a number >= 0, got " .. tostring(value), level + 1)
  end
  return value
end
function hornet.between(min, max)
  number(min, "between(min, max): min", 2)
  number(max, "between(min, max): max", 2)
  return setmetatable({ kind = "between", min, max }, WaitTime)
end
function hornet.constant(seconds)
  return setmetatable({ kind = "constant", number(seconds, "constant(seconds)", 2) }, WaitTime)
end
function hornet.constant_pacing(seconds)
  return setmetatable({ kind = "constant_pacing", number(seconds, "constant_pacing(seconds)", 2) },
                      WaitTime)
end
function hornet.constant_throughput(tasks_per_second)
  number(tasks_per_second, "constant_throughput(tasks_per_second)", 2)
  if tasks_per_second == 0 then error("constant_throughput(tasks_per_second) must be > 0", 2) end
  return setmetatable({ kind = "constant_throughput", tasks_per_second }, WaitTime)
end

-- Classes. A class table holds the script's methods and fields; it is the metatable of its
-- instances (self), and its own metatable is Class, whose methods declare tasks and tags and
-- serve instances (interrupt, sleep).
local Class = {}
Class.__index = Class
local TaskRef = {}
TaskRef.__index = TaskRef

local function strings(list, what)
  for i = 1, #list do
    if type(list[i]) ~= "string" then error(what .. ": tags must be strings", 3) end
  end
end

local function new_class(kind, http, name, fields)
  if type(name) ~= "string" or name == "" then
    error("hornet." .. kind .. "(name): the class needs a name (a string)", 3)
  end
  if fields ~= nil and type(fields) ~= "table" then
    error("hornet." .. kind .. "(name, fields): fields must be a table", 3)
  end
  local cls = setmetatable({}, Class)
  rawset(cls, "__index", cls)
  rawset(cls, "__hornet", { kind = kind, http = http, name = name, tasks = {}, tags = {} })
  for k, v in pairs(fields or {}) do
    if k ~= "tasks" and k ~= "tags" then cls[k] = v end
  end
  -- Locust's `tasks = [...]` and class-level tags, as fields.
  if fields and fields.tasks ~= nil then
    if type(fields.tasks) ~= "table" then error("tasks must be a list", 3) end
    for _, t in ipairs(fields.tasks) do cls:task(t) end
  end
  if fields and fields.tags ~= nil then
    if type(fields.tags) ~= "table" then error("tags must be a list of strings", 3) end
    cls:tag(unpack(fields.tags))
  end
  classes[#classes + 1] = cls
  if kind == "User" then users[#users + 1] = cls end
  return cls
end

function hornet.User(name, fields) return new_class("User", false, name, fields) end
function hornet.HttpUser(name, fields) return new_class("User", true, name, fields) end
function hornet.TaskSet(name, fields) return new_class("TaskSet", false, name, fields) end
function hornet.SequentialTaskSet(name, fields)
  return new_class("SequentialTaskSet", false, name, fields)
end

local function is_task_set(value)
  local meta = type(value) == "table" and rawget(value, "__hornet")
  return meta and meta.kind ~= "User"
end

-- cls:task([name,] [weight,] function | TaskSet) or cls:task(name [, weight]) for a method
-- defined on the class: Locust's @task(weight), in declaration order.
function Class:task(a, b, c)
  local decl = rawget(self, "__hornet")
  if not decl then error("task(): call it on a class, as Class:task(...)", 2) end
  local name, weight, target
  if type(a) == "string" then
    name = a
    if type(b) == "number" then weight, target = b, c else target = b end
    if target == nil then target = rawget(self, name) end
  elseif type(a) == "number" then
    weight, target = a, b
  else
    target = a
  end
  weight = weight or 1
  if weight ~= math.floor(weight) or weight < 0 then
    error("task(): the weight must be an integer >= 0, got " .. tostring(weight), 2)
  end
  local entry = { weight = weight, tags = {} }
  if type(target) == "function" then
    entry.fn = target
    if not name then
      for key, value in pairs(self) do
        if value == target and type(key) == "string" then name = key end
      end
    end
    if not name then
      local info = debug.getinfo(target, "S")
      name = info.short_src .. ":" .. info.linedefined
    end
  elseif is_task_set(target) then
    entry.set = target
    name = name or rawget(target, "__hornet").name
  else
    error("task(): expected a function or a TaskSet class, got " .. type(target), 2)
  end
  entry.name = name
  decl.tasks[#decl.tasks + 1] = entry
  return setmetatable({ entry = entry }, TaskRef)
end

-- cls:tag("a", "b"): Locust's @tag on every task of the class.
function Class:tag(...)
  local decl = rawget(self, "__hornet")
  if not decl then error("tag(): call it on a class, as Class:tag(...)", 2) end
  strings({ ... }, "tag()")
  for _, t in ipairs({ ... }) do decl.tags[#decl.tags + 1] = t end
  return self
end

function TaskRef:tag(...)
  strings({ ... }, "tag()")
  for _, t in ipairs({ ... }) do self.entry.tags[#self.entry.tags + 1] = t end
  return self
end

-- Instances (self in tasks): leave a TaskSet, sleep.
function Class:interrupt(reschedule)
  if reschedule == false then error(interrupt_no_reschedule, 0) end
  error(hornet.InterruptTaskSet, 0)
end
function Class:sleep(seconds) return C.sleep(seconds) end
function Class:stop() error(hornet.StopUser, 0) end

hornet.sleep = C.sleep
hornet.null = C.null
hornet.json = { encode = C.json_encode, decode = C.json_decode, null = C.null }

-- Response headers: a table whose lookups ignore case (keys are stored lower-case).
local headers_meta = {
  __index = function(t, k)
    if type(k) == "string" then return rawget(t, k:lower()) end
  end,
}

return hornet, {
  classes = classes,
  users = users,
  wait_time = WaitTime,
  signals = { hornet.StopUser, hornet.RescheduleTask, hornet.RescheduleTaskImmediately,
              hornet.InterruptTaskSet, interrupt_no_reschedule, stopped },
  headers_meta = headers_meta,
}
)lua";

}  // namespace hornet::script::lua
