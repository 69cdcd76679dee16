-- SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
-- lua-strings.lua N: string library work (format, gsub, find, concat,
-- table.sort with a comparator), N rounds.
local N = tonumber(arg and arg[1]) or 20
local words = {}
for i = 1, 20000 do words[i] = string.format("w%05d-%x", (i * 7919) % 20000, i) end
local total = 0
for r = 1, N do
  local t = {}
  for i = 1, #words do t[i] = words[i]:upper():gsub("%-(%x+)", function(h) return "_" .. #h end) end
  table.sort(t, function(a, b) return a > b end)
  local s = table.concat(t, ",")
  for m in s:gmatch("W(%d+)_") do total = total + #m end
  total = total + select(2, s:gsub(",", ";")) + (s:find("W00042", 1, true) or 0)
end
print(total)
