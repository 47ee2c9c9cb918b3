-- os and io: clocks are sane, io.write/io.read to a temp file in the
-- directory given as arg[1], file:seek, lines, os.rename/os.remove, os.getenv.
local dir = assert(arg[1], "usage: osio.lua TMPDIR")
local t = os.time()
assert(t > 1577836800, "os.time before 2020")
local c0 = os.clock()
local x = 0
for i = 1, 200000 do x = x + i end
local c1 = os.clock()
assert(c1 >= c0 and c0 >= 0)
print("clock ok", x)
local d = os.date("!*t", 86400 * 365)
print("date", d.year, d.month, d.day, os.date("!%Y-%m-%d %H:%M:%S", 1234567890))
print("time of table", os.time({year = 2000, month = 1, day = 1, hour = 12}) > 0)
print("getenv", os.getenv("SPLITVM_TEST_FOO"), os.getenv("SPLITVM_TEST_UNSET"))
print("difftime", os.difftime(t + 10, t))

local path = dir .. "/data.txt"
local f = assert(io.open(path, "w"))
for i = 1, 100 do f:write("line ", i, " ", i * i, "\n") end
f:write(3.5, " ", 42, "\n")
assert(f:close())
f = assert(io.open(path, "r"))
local first = f:read("l")
print("first", first)
local n = 0
for line in f:lines() do n = n + 1 end
print("remaining lines", n)
print("size", f:seek("end"))
f:seek("set", 5)
print("after seek", f:read(3))
f:seek("set", 0)
local all = f:read("a")
print("all bytes", #all)
f:close()
f = assert(io.open(path, "r"))
f:seek("end", -8)
print("numbers", f:read("n", "n"))
f:close()
f = assert(io.open(path, "a+"))
f:write("appended\n")
f:close()
local cnt = 0
for _ in io.lines(path) do cnt = cnt + 1 end
print("lines after append", cnt)
assert(os.rename(path, dir .. "/renamed.txt"))
print("open old", io.open(path, "r") == nil)
print("remove", os.remove(dir .. "/renamed.txt"))
local r1, _, r3 = os.remove(dir .. "/renamed.txt")
print("remove again", r1, r3)
io.write("io.write ", 1, " ", 2.5, "\n")
io.stdout:write("stdout:write\n")
local tmp = io.tmpfile and io.tmpfile()
if tmp then tmp:write("tmp"); tmp:seek("set"); print("tmpfile", tmp:read("a")); tmp:close() end
