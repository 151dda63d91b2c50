-- Every request differs (a counter in a query parameter the providers ignore), so no response
-- comes from the sandbox's page cache: this measures building each page from the indexes.
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "&_bench=" .. n)
end
