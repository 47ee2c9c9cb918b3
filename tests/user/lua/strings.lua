-- String library: find/match/gsub/gmatch, patterns, byte/char, rep, format.
local s = "The quick brown fox jumps over the lazy dog"
print(#s, s:upper(), s:lower():sub(5, 9))
assert(s:find("fox") == 17)
assert(select(2, s:gsub("o", "0")) == 4)
print((s:gsub("%w+", function(w) return w:sub(1, 1):upper() .. w:sub(2) end)))
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w end
assert(#words == 9)
print(table.concat(words, "|"))
print(s:match("(%a+) (%a+)$"))
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(string.rep("ab", 5, "-"), ("hello"):reverse(), ("%d items"):format(3))
print(("x"):byte(), string.char(72, 105), ("\0\1\2"):len())
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(("2024-01-15"):gsub("(%d+)-(%d+)-(%d+)", "%3/%2/%1"))
print(string.format("%q", 'a "quoted"\n\tstring\0end'))
print(string.format("%5s|%-5s|%05d|%x|%X|%o|%c|%%", "ab", "cd", 42, 255, 255, 8, 65))
print(utf8.char(72, 228, 8364, 128512), utf8.len("häll€"))
for p, c in utf8.codes("aé€") do io.write(p, ":", c, " ") end
print()
print(tostring(nil), tostring(true), tonumber("0x1F"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36))
local packed = string.pack("<i4 d s1", -2, 1.5, "hi")
print(#packed, string.unpack("<i4 d s1", packed))
print(("abc"):rep(0) == "", ("a,b,,c"):find(",,", 1, true))
