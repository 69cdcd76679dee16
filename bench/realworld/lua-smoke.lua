-- SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
-- lua-smoke.lua: a smoke suite for a Lua 5.4 interpreter built by
-- scripts/realworld.sh (Lua's own test suite is a separate upstream tarball
-- that Debian's source package does not carry).  Each check exercises one
-- area of the VM or the standard library with a known answer; the last line
-- is "N passed, N failed" and the exit status is non-zero on any failure.
local passed, failed = 0, 0
local function check(name, f)
  local ok, err = pcall(f)
  if ok then passed = passed + 1 else failed = failed + 1; print("FAIL " .. name .. ": " .. tostring(err)) end
end
local function eq(a, b, msg) if a ~= b then error((msg or "") .. " expected " .. tostring(b) .. ", got " .. tostring(a), 2) end end

check("arith int/float", function()
  eq(7 // 2, 3); eq(7 / 2, 3.5); eq(-7 // 2, -4); eq(7 % -3, -2); eq(2^10, 1024.0)
  eq(math.maxinteger + 1, math.mininteger); eq(1 << 63, math.mininteger); eq(5 & 3, 1); eq(5 | 3, 7); eq(5 ~ 3, 6)
  eq(math.type(1), "integer"); eq(math.type(1.0), "float"); eq(3 == 3.0, true); eq(tostring(1e15), "1e+15")
end)
check("string basics", function()
  eq(("abc"):upper(), "ABC"); eq(("hello"):sub(2, -2), "ell"); eq(("x"):rep(3, ","), "x,x,x")
  eq(#("\0a\0"), 3); eq(("abc"):byte(2), 98); eq(string.char(72, 105), "Hi"); eq(("abc"):reverse(), "cba")
end)
check("string.format", function()
  eq(string.format("%5.2f|%d|%s|%q", 3.14159, 42, "x", "a\nb"), " 3.14|42|x|\"a\\\nb\"")
  eq(string.format("%x %X %o", 255, 255, 8), "ff FF 10"); eq(string.format("%-5s|", "ab"), "ab   |")
  eq(string.format("%g", 1e20), "1e+20"); eq(string.format("%a", 1.0), "0x1p+0")
end)
check("patterns", function()
  eq(("hello world"):match("(%w+) (%w+)"), "hello"); eq(select(2, ("hello world"):match("(%w+) (%w+)")), "world")
  eq(("a1b22c333"):gsub("%d+", "#"), "a#b#c#"); eq(("  trim  "):match("^%s*(.-)%s*$"), "trim")
  local t = {}; for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do t[k] = tonumber(v) end
  eq(t.a + t.b + t.c, 6); eq(("THE (quick) fox"):find("%((%a+)%)"), 5); eq(("f(a(b)c)"):match("%b()"), "(a(b)c)")
  eq(("key = value"):gsub("(%w+) = (%w+)", "%2 = %1"), "value = key"); eq(("abc"):gsub("", "-"), "-a-b-c-")
  eq(("THE fox"):find("fox", 1, true), 5); eq(("x"):match("%f[%w]%w+"), "x")
end)
check("tables and sort", function()
  local t = {}
  for i = 1, 1000 do t[i] = (i * 7919) % 1000 end
  table.sort(t); for i = 2, #t do assert(t[i - 1] <= t[i]) end
  table.sort(t, function(a, b) return a > b end); eq(t[1], 999)
  eq(table.concat({1, 2, 3}, "-"), "1-2-3"); eq(select("#", table.unpack({1, 2, nil, 4}, 1, 4)), 4)
  local u = {1, 2, 3}; table.insert(u, 1, 0); table.remove(u); eq(table.concat(u, ","), "0,1,2")
  eq(#table.move({1, 2, 3}, 1, 3, 2, {}), 4); local p = table.pack(1, nil, 3); eq(p.n, 3)
end)
check("hash part, next, rehash", function()
  local t, n = {}, 0
  for i = 1, 5000 do t["k" .. i] = i end
  for i = 1, 5000, 2 do t["k" .. i] = nil end
  for k, v in pairs(t) do n = n + v end
  eq(n, 2500 * 2501); t[1.5] = "f"; t[true] = "b"; eq(t[1.5], "f"); eq(t[true], "b"); eq(t[2^53], nil)
end)
check("closures and upvalues", function()
  local function counter() local c = 0; return function() c = c + 1; return c end end
  local a, b = counter(), counter(); a(); a(); eq(a(), 3); eq(b(), 1)
  local fs = {}; for i = 1, 3 do fs[i] = function() return i end end; eq(fs[1]() + fs[3](), 4)
end)
check("varargs and multiple results", function()
  local function f(...) return select("#", ...), ... end
  eq(f(nil, nil), 2); eq(select(-1, 1, 2, 3), 3)
  local function g() return 1, 2, 3 end; local t = {g(), g()}; eq(#t, 4)
end)
check("metatables", function()
  local V = {}; V.__index = V
  V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
  V.__eq = function(a, b) return a.x == b.x end; V.__lt = function(a, b) return a.x < b.x end
  V.__le = function(a, b) return a.x <= b.x end; V.__tostring = function(a) return "V(" .. a.x .. ")" end
  V.__len = function() return 42 end; V.__call = function(self, y) return self.x * y end
  V.__concat = function(a, b) return tostring(a) .. tostring(b) end
  local a, b = setmetatable({x = 1}, V), setmetatable({x = 2}, V)
  eq((a + b).x, 3); eq(a == setmetatable({x = 1}, V), true); eq(a < b, true); eq(b <= a, false)
  eq(tostring(a), "V(1)"); eq(#a, 42); eq(a(5), 5); eq(a .. b, "V(1)V(2)")
  local ro = setmetatable({}, {__newindex = function() error("ro") end}); eq(pcall(function() ro.x = 1 end), false)
  local d = setmetatable({}, {__index = function(_, k) return k .. "!" end}); eq(d.hi, "hi!")
end)
check("coroutines", function()
  local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end return "done" end)
  eq(gen(), 1); eq(gen(), 2); eq(gen(), 3); eq(gen(), "done")
  local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b); error("boom" .. c) end)
  local ok, v = coroutine.resume(co, 1, 2); eq(ok, true); eq(v, 3)
  ok, v = coroutine.resume(co, "!"); eq(ok, false); assert(tostring(v):find("boom!"))
  eq(coroutine.status(co), "dead"); eq(coroutine.isyieldable(), false)
  local co2 = coroutine.create(function() coroutine.yield() end); coroutine.resume(co2); eq(coroutine.close(co2), true)
end)
check("errors, pcall, xpcall, error objects", function()
  local ok, e = pcall(error, {code = 7}); eq(ok, false); eq(e.code, 7)
  local ok2, msg = xpcall(function() local x = nil; return x.y end, function(m) return "H:" .. m end)
  eq(ok2, false); assert(msg:find("^H:")); assert(select(2, pcall(error, "x", 0)) == "x")
  local ok3, tb = xpcall(function() error("deep") end, debug.traceback); assert(tb:find("stack traceback"))
end)
check("to-be-closed and goto", function()
  local log = {}
  do local x <close> = setmetatable({}, {__close = function() log[#log + 1] = "closed" end}) end
  eq(log[1], "closed")
  local i = 0; ::top:: i = i + 1; if i < 5 then goto top end; eq(i, 5)
  local c <const> = 10; eq(c, 10)
end)
check("integer/float conversion and tonumber", function()
  eq(tonumber("0x10"), 16); eq(tonumber("10", 2), 2); eq(tonumber("  1e2  "), 100.0); eq(tonumber("z", 36), 35)
  eq(math.tointeger(3.0), 3); eq(math.tointeger(3.5), nil); eq(string.format("%d", 3.0), "3")
  eq(math.floor(-3.5), -4); eq(math.ceil(-3.5), -3); eq(math.fmod(7, 3), 1); eq(math.abs(math.mininteger), math.mininteger)
  eq(math.ult(1, -1), true); eq(tostring(0/0) == tostring(0/0), true); eq(math.huge > math.maxinteger, true)
end)
check("string.pack/unpack", function()
  local s = string.pack("<i4 >I2 z s1 d", -2, 513, "zz", "abc", 1.5)
  local a, b, c, d, e = string.unpack("<i4 >I2 z s1 d", s)
  eq(a, -2); eq(b, 513); eq(c, "zz"); eq(d, "abc"); eq(e, 1.5); eq(string.packsize("i4i8"), 12); eq(string.packsize("!8i4i8"), 16)
end)
check("utf8", function()
  local s = utf8.char(72, 228, 8364, 128512); eq(utf8.len(s), 4); eq(#s, 1 + 2 + 3 + 4)
  local cps = {}; for _, c in utf8.codes(s) do cps[#cps + 1] = c end; eq(cps[3], 8364)
  eq(utf8.offset(s, 3), 4); eq(utf8.codepoint(s, 4), 8364)
end)
check("load, env, string.dump", function()
  local f = load("return 1 + ..."); eq(f(41), 42)
  local env = {y = 5}; local g = load("return y * 2", "chunk", "t", env); eq(g(), 10)
  local h = load(string.dump(function(a) return a .. "!" end), "bin", "b"); eq(h("x"), "x!")
  eq(load("syntax error here"), nil); local parts = {"return ", "7"}; local i = 0
  eq(load(function() i = i + 1; return parts[i] end)(), 7)
end)
check("garbage collector and weak tables", function()
  local w = setmetatable({}, {__mode = "k"})
  for i = 1, 100 do w[{}] = i end
  collectgarbage(); collectgarbage(); local n = 0; for _ in pairs(w) do n = n + 1 end; eq(n, 0)
  local fin = 0; for i = 1, 50 do setmetatable({}, {__gc = function() fin = fin + 1 end}) end
  collectgarbage(); collectgarbage(); eq(fin, 50)
  collectgarbage("generational"); local big = {}; for i = 1, 20000 do big[i] = {i} end; big = nil
  collectgarbage(); collectgarbage("incremental"); assert(collectgarbage("count") > 0)
end)
check("deep recursion and stack growth", function()
  local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
  eq(depth(10000), 10000)
  local function tail(n) if n == 0 then return "t" end return tail(n - 1) end; eq(tail(1000000), "t")
  eq(select("#", table.unpack({}, 1, 5000)), 5000)
  local ok = pcall(function() local function inf() return 1 + inf() end return inf() end); eq(ok, false)
end)
check("string building and buffers", function()
  local parts = {}; for i = 1, 10000 do parts[i] = tostring(i) end
  local s = table.concat(parts); eq(#s, 38894); local t = {}
  for i = 1, 200 do t[#t + 1] = string.rep("ab", i) end; eq(#table.concat(t), 200 * 201)
  eq(("%d"):rep(3):format(1, 2, 3), "123")
end)
check("os and io basics", function()
  local name = os.tmpname(); local f = assert(io.open(name, "w")); f:write("line1\n", 42, "\n"); f:close()
  local lines = {}; for l in io.lines(name) do lines[#lines + 1] = l end; eq(lines[2], "42")
  f = io.open(name); eq(f:read("n"), nil); f:seek("set", 6); eq(f:read("n"), 42); f:close(); os.remove(name)
  assert(os.time{year = 2020, month = 1, day = 1, hour = 12} > 0); eq(os.date("!%Y", 0), "1970"); assert(os.clock() >= 0)
end)
check("debug library", function()
  local function f() return debug.getinfo(1, "nSl") end
  local info = f(); eq(info.what, "Lua"); assert(info.currentline > 0)
  local x = 5; local name, val = debug.getlocal(1, 1); assert(name ~= nil)
  local up = 1; local function g() return up end; eq(debug.getupvalue(g, 1), "up"); eq(x, 5); eq(val ~= nil, true)
end)
check("integer for loops and overflow edges", function()
  local n = 0; for i = math.maxinteger - 2, math.maxinteger do n = n + 1 end; eq(n, 3)
  n = 0; for i = 1, 0 do n = n + 1 end; eq(n, 0); n = 0; for x = 1.0, 2.0, 0.25 do n = n + 1 end; eq(n, 5)
  n = 0; for i = 10, 1, -3 do n = n + i end; eq(n, 10 + 7 + 4 + 1)
end)

print(string.format("%d passed, %d failed", passed, failed))
os.exit(failed == 0 and 0 or 1)
