-- Numbers: integer/float subtypes, string.format of floats, math library,
-- integer overflow wrap, floor division and modulo signs, conversions.
print(1, 1.0, -0.0, 1e100, 2^53, 2^63, math.maxinteger, math.mininteger)
print(math.maxinteger + 1 == math.mininteger, math.type(1), math.type(1.0), math.type("1"))
print(7 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2, -7.5 % 2, 1 / 0, -1 / 0, 0/0 ~= 0/0)
print(3 & 5, 3 | 5, 3 ~ 5, ~0, 1 << 62, 1 << 64, -1 >> 1)
for _, x in ipairs({0.1, 1/3, 2/3, 1e-10, 123456789.123, -5.5, 1e21, 2^-1074}) do
  print(string.format("%.17g %.3f %e %g %a", x, x, x, x, x))
end
print(string.format("%.14g", math.pi), math.huge, -math.huge)
print(math.floor(-3.5), math.ceil(-3.5), math.floor(3.7), math.fmod(7, 3), math.fmod(-7, 3))
print(string.format("%.17g %.17g %.17g", math.sqrt(2), math.exp(1), math.log(10)))
print(string.format("%.17g %.17g %.17g", math.sin(1), math.cos(1), math.atan(1, 2)))
print(string.format("%.17g %.17g", math.log(8, 2), 10 ^ 0.5))
print(math.tointeger(3.0), math.tointeger(3.5), math.abs(math.mininteger), math.ult(1, -1))
print(tostring(1e15), tostring(1e16), tostring(-1e-7), 2^31 | 0, 3.0 == 3)
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5))
math.randomseed(42)
local r = {}
for i = 1, 5 do r[i] = math.random(1, 1000) end
print("random", table.concat(r, " "))
print(math.random() < 1, math.random(7) <= 7)
local s = 0
for i = 1, 1000000 do s = s + i * 0.5 end
print("float sum", s)
local acc = 0
for i = 1, 100000 do acc = (acc * 31 + i) % 1000000007 end
print("int acc", acc)
print(8 // 0.0, -8 // 0.0, pcall(function() return 1 // 0 end))
print(string.format("%5.1f|%-8.3e|%+d", 3.14159, 12345.678, 5))
