-- wrk script: GET one document and print a machine-readable summary line. It defines no response() callback, so
-- wrk does not hand each response to Lua: the load generator costs the same against Lifeline and nginx.
--
--   wrk -t2 -c64 -d10s [-H 'Accept-Encoding: gzip'] -s report.lua http://127.0.0.1:PORT/status -- label=NAME
--
-- done() prints:
--   RESULT label=... requests=... non2xx=... socket_errors=... duration_s=... rps=... bytes_per_response=...
--          p50_ms=... p90_ms=... p99_ms=... max_ms=...
-- non2xx counts answers that are not 2xx or 3xx (wrk's own status count).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   opts = {}
   for _, a in ipairs(args or {}) do
      local k, v = a:match("^([%w_]+)=(.*)$")
      if k then opts[k] = v end
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   -- done() runs in the main Lua state, where init() never ran; read the options back from a thread.
   local label = "run"
   if threads[1] then label = (threads[1]:get("opts") or {}).label or label end
   io.write(string.format(
      "RESULT label=%s requests=%d non2xx=%d socket_errors=%d duration_s=%.2f rps=%.1f bytes_per_response=%.0f " ..
      "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
      label, summary.requests, e.status, e.connect + e.read + e.write + e.timeout, secs, summary.requests / secs,
      summary.requests > 0 and summary.bytes / summary.requests or 0, latency:percentile(50) / 1000,
      latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
