-- Errors: pcall/xpcall/error with tables and levels, error messages from
-- the VM, tostring of errors, assert, and a traceback handler.
print(pcall(error, "plain"))
print(pcall(error, "lvl0", 0))
local ok, e = pcall(error, {code = 7})
print(ok, type(e), e.code)
print(pcall(function() local t = nil; return t.x end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #5 end))
print(pcall(function() return ("x"):bad() end))
print(pcall(function() error() end))
print(select("#", pcall(error)))
print(xpcall(function() error("deep") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 2, 3))
print(pcall(assert, false, "assert msg"))
print(pcall(assert, nil))
print(pcall(assert, 1, 2))
local function thrower(n) if n == 0 then error("bottom", 2) end return thrower(n - 1) end
print(pcall(thrower, 3))
print(pcall(string.rep))
print(pcall(setmetatable, 1, {}))
local mt = {__tostring = function() return "custom error object" end}
local ok2, obj = pcall(error, setmetatable({}, mt))
print(ok2, tostring(obj))
local depth = 0
local function recurse() depth = depth + 1; return 1 + recurse() end
local ok3, msg = pcall(recurse)
print("stack overflow caught", ok3, msg:match("stack overflow") ~= nil, depth > 1000)
print(pcall(load, "return +"))
print(load("return 1 +")) 
local f = load("local a, b = ... return a * b")
print(f(6, 7))
local closed = {}
do
  local x <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "closed" end})
end
print(closed[1])
