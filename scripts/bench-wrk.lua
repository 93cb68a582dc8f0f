-- wrk script for scripts/bench-gateway.sh: POSTs the body in $BENCH_BODY to the URL's path, with per-thread
-- API keys taken from $BENCH_KEYS (comma-separated; thread i of n uses keys i, i+n, i+2n, ... in turn), and prints
-- one machine-readable line at the end. Latencies are wrk's own HdrHistogram, in microseconds.
local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local all = {}
   for k in string.gmatch(os.getenv("BENCH_KEYS") or "", "[^,]+") do table.insert(all, k) end
   local n = tonumber(os.getenv("BENCH_THREADS") or "1")
   keys = {}
   for i = 1, #all do
      if (i - 1) % n == id then table.insert(keys, all[i]) end
   end
   if #keys == 0 then keys = all end
   body = os.getenv("BENCH_BODY")
   next_key = 1
end

function request()
   local key = keys[next_key]
   next_key = next_key % #keys + 1
   return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH requests=%d non2xx=%d socket_errors=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
      summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
