-- SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
-- lua-fib.lua N: naive recursive Fibonacci (calls, integer arithmetic).
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local n = tonumber(arg and arg[1]) or 30
print(fib(n))
