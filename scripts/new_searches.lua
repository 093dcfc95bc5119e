-- wrk script of `make bench` (scripts/bench.py): every request a search never asked before,
-- so that nothing of it is kept: the common word, which ranks its 1,000 newest hits, and a
-- word no article contains, excluded ("-x<thread>n<count>"), which changes the query but not
-- the hits. Each thread numbers its requests from its own prefix.
local threads = 0

function setup(thread)
  thread:set("prefix", "x" .. threads .. "n")
  threads = threads + 1
end

local count = 0

function request()
  count = count + 1
  return wrk.format(nil, "/suche/?q=Jobcenter+-" .. prefix .. count)
end
