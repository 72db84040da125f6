-- wrk script for bench/edge_cache.py: anonymous readers across many pages.
-- Usage: wrk ... -s bench/readers.lua <base url> -- <file of paths, one per line>
-- Each request picks a random line of the file (repeat a line to weight it), and each response
-- is counted by its X-Newsroom-Cache header; done() prints "EDGE hits=.. misses=.. others=..".

local threads = {}
local next_seed = 1

function setup(thread)
  thread:set("seed", next_seed)
  next_seed = next_seed + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() * 100 + seed)
  hits, misses, others = 0, 0, 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  local state = headers["X-Newsroom-Cache"]
  if state == "hit" then
    hits = hits + 1
  elseif state == "miss" then
    misses = misses + 1
  else
    others = others + 1
  end
end

function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    o = o + thread:get("others")
  end
  io.write(string.format("EDGE hits=%d misses=%d others=%d\n", h, m, o))
end
