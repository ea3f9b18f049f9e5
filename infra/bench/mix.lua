-- wrk script of infra/bench/run.sh: asks the paths given after "--" in turn (round robin per thread),
-- counts answers that are not 2xx, and prints one line of figures that run.sh reads:
--   wrk -t1 -c1 -d10s -s mix.lua http://127.0.0.1:PORT -- /path1 /path2 ...
-- Latency percentiles come from wrk's own histogram (latency:percentile), in milliseconds.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for _, path in ipairs(args) do
    table.insert(paths, path)
  end
  if #paths == 0 then
    paths = { "/" }
  end
  position = 0
  non2xx = 0
  bytes = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non = 0
  for _, thread in ipairs(threads) do
    non = non + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f non2xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    non, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout, summary.bytes))
end
