-- Tables: arrays, hash parts, sort with comparator, insert/remove/move,
-- next/pairs determinism via sorted keys, metatables and inheritance.
local t = {}
for i = 1, 100 do t[i] = (i * 37) % 101 end
table.sort(t)
assert(t[1] == 1 and t[100] == 100)
table.sort(t, function(a, b) return a > b end)
print(t[1], t[50], t[100], #t)
table.insert(t, 1, 0)
table.insert(t, 1000)
print(table.remove(t, 1), table.remove(t), #t)
print(table.concat(table.move({1, 2, 3}, 1, 3, 2, {9}), ","))
print(table.unpack({1, 2, 3}))
local h = {}
for i = 1, 1000 do h["k" .. i] = i end
local keys = {}
for k in pairs(h) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], keys[1000])
local sum = 0
for _, v in pairs(h) do sum = sum + v end
print("sum", sum)

local Vec = {}
Vec.__index = Vec
Vec.__add = function(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__len = function() return 2 end
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4)
print(tostring(a + b), a + b == Vec.new(4, 6), a < b, #a)
local Vec3 = setmetatable({}, {__index = Vec})
Vec3.__index = Vec3
local c = setmetatable({x = 1, y = 1, z = 1}, Vec3)
print(c:len2())
local proxy = setmetatable({}, {__index = function(_, k) return k .. "!" end, __newindex = function(t2, k, v) rawset(t2, k, v * 2) end})
proxy.n = 21
print(proxy.hello, proxy.n, rawget(proxy, "missing"))
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
collectgarbage()
print("weak entries after gc", next(weak) == nil)
