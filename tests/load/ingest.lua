-- POST /api/ingest/ticks with a batch of fresh trades each time, time moving forward one second per trade. Requests
-- cycle through 500 symbols per wrk thread: a symbol comes back only 500 requests later, so connections running side by
-- side never deliver one symbol's trades out of order (the service rejects those), and every request is real work.
local counter = 0
local threads = 0
local batch = tonumber(os.getenv("BATCH") or "10")

function setup(thread)
  threads = threads + 1
  thread:set("symbol", "LOAD" .. threads)
end

function init(args)
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Api-Key"] = os.getenv("KEY")
end

function request()
  local items = {}
  local sym = symbol .. "X" .. (math.floor(counter / batch) % 500)
  for i = 1, batch do
    counter = counter + 1
    local t = os.date("!%Y-%m-%dT%H:%M:%SZ", 1714570200 + counter)
    items[i] = string.format('{"symbol":"%s","time":"%s","price":%.2f,"size":10}', sym, t, 100 + (counter % 50) / 10)
  end
  return wrk.format(nil, "/api/ingest/ticks", nil, "[" .. table.concat(items, ",") .. "]")
end

local shown = false
function response(status, headers, body)
  if status >= 300 and not shown then
    shown = true
    io.write(string.format("first non-2xx answer: %d %s\n", status, string.sub(body, 1, 400)))
  end
end
