-- Lua benchmark: recursive fib(32), n-queens 10 (all solutions), string
-- building and table sorting. usage: lua bench.lua [scale]
local scale = tonumber(arg and arg[1]) or 1
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local function queens(n)
  local count, cols, d1, d2 = 0, {}, {}, {}
  local function place(r)
    if r > n then count = count + 1 return end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = false, false, false
      end
    end
  end
  place(1)
  return count
end
local t = {}
for i = 1, 200000 * scale do t[i] = ((i * 7919) % 100003) .. "k" end
table.sort(t)
print("fib(32)", fib(32), "queens(10)", queens(10), "sorted", t[1], t[#t])
