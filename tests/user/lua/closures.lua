-- Closures, upvalues, varargs, recursion, coroutines (generators, passing
-- values both ways, wrap, status, yield across pcall).
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
c1(); c1()
print(c1(), c2())
local fns = {}
for i = 1, 5 do fns[i] = function() return i * i end end
print(fns[1](), fns[3](), fns[5]())
local function va(...) return select("#", ...), ... end
print(va(1, nil, 3, nil))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(20)", fib(20))
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + n) end
print("tail", tail(100000, 0))

local gen = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(coroutine.resume(gen, 1, 2))
print(coroutine.status(gen))
print(coroutine.resume(gen, 10))
print(coroutine.resume(gen, 3, 4))
print(coroutine.status(gen), coroutine.resume(gen))

local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for i in range(100) do s = s + i end
print("range sum", s)
-- Producer/consumer with many switches.
local prod = coroutine.wrap(function()
  for i = 1, 10000 do coroutine.yield(i % 7) end
  return nil
end)
local total = 0
while true do local v = prod(); if not v then break end total = total + v end
print("switches total", total)
local co = coroutine.create(function()
  local ok, err = pcall(function() coroutine.yield(1); error("inside") end)
  coroutine.yield(ok, err)
  return "done"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.isyieldable(), select(2, coroutine.running()))
