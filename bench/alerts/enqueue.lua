-- wrk script: PagerDuty Events API v2 triggers through POST /v2/enqueue, 10% with unique dedup keys.
--
--   wrk -t2 -c64 -d20s -s enqueue.lua http://127.0.0.1:PORT -- routing_key=KEY [options]
--
-- Options after "--" (key=value):
--   routing_key=KEY  the service's integration key (required)
--   label=NAME       tag printed on the RESULT line (default "run")
--   unique_every=N   every Nth request of a thread carries a new dedup key (default 10: 10% unique); the rest cycle
--                    through the hot set. A unique key opens an alert and, the severity being critical, pages.
--   hot=N            size of the hot set of repeated dedup keys (default 10); after its first trigger each one only
--                    deduplicates onto its open alert (event_count + 1)
--   nonce=TEXT       prefix for unique dedup keys so they never repeat across runs (default: os.time())
--
-- No token: /v2/enqueue authenticates by routing key, as PagerDuty's does.
-- done() prints one machine-readable line:
--   RESULT label=... requests=... accepted=... non202=... socket_errors=... duration_s=... rps=... accepted_per_s=...
--          unique_sent=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
-- and, if anything other than 202 came back, a NON202 line with counts per status.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
   table.insert(threads, thread)
end

local function parse_args(args)
   local o = {}
   for _, a in ipairs(args or {}) do
      local k, v = a:match("^([%w_]+)=(.*)$")
      if k then o[k] = v end
   end
   return o
end

local headers, hot_requests, hot, unique_every, nonce, routing_key

local function body_for(dedup_key, summary)
   return string.format(
      '{"routing_key":"%s","event_action":"trigger","dedup_key":"%s","payload":{"summary":"%s",' ..
      '"source":"bench-host","severity":"critical","component":"checkout","group":"bench","class":"load"}}',
      routing_key, dedup_key, summary)
end

function init(args)
   opts = parse_args(args)
   routing_key = opts.routing_key
   if not routing_key or routing_key == "" then
      io.stderr:write("enqueue.lua: pass routing_key=KEY after --\n")
      os.exit(2)
   end
   unique_every = tonumber(opts.unique_every or "10")
   hot = tonumber(opts.hot or "10")
   nonce = opts.nonce or tostring(os.time())
   headers = { ["Content-Type"] = "application/json" }
   n, accepted, non202, unique_sent = 0, 0, 0, 0
   by_status = {}
   -- The hot-set requests repeat: build them once (wrk's Lua shares the cores with the server).
   hot_requests = {}
   for i = 1, hot do
      hot_requests[i] = wrk.format("POST", "/v2/enqueue", headers,
                                   body_for("hot-" .. i, "Bench hot alert " .. i .. " on bench-host"))
   end
end

function request()
   n = n + 1
   if n % unique_every == 0 then
      unique_sent = unique_sent + 1
      local key = string.format("%s-%d-%d", nonce, tid, n)
      return wrk.format("POST", "/v2/enqueue", headers, body_for(key, "Bench unique alert " .. key))
   end
   return hot_requests[(n % hot) + 1]
end

function response(status, hdrs, body)
   if status == 202 then
      accepted = accepted + 1
   else
      non202 = non202 + 1
      by_status[status] = (by_status[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local accepted_all, non202_all, unique_all, statuses = 0, 0, 0, {}
   for _, t in ipairs(threads) do
      accepted_all = accepted_all + (t:get("accepted") or 0)
      non202_all = non202_all + (t:get("non202") or 0)
      unique_all = unique_all + (t:get("unique_sent") or 0)
      local bs = t:get("by_status")
      if bs then
         for s, c in pairs(bs) do statuses[s] = (statuses[s] or 0) + c end
      end
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   -- done() runs in the main Lua state, where init() never ran; read options back from a thread.
   local label = "run"
   if threads[1] then label = (threads[1]:get("opts") or {}).label or label end
   io.write(string.format(
      "RESULT label=%s requests=%d accepted=%d non202=%d socket_errors=%d duration_s=%.2f rps=%.1f " ..
      "accepted_per_s=%.1f unique_sent=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      label, summary.requests, accepted_all, non202_all, socket_errors, secs, summary.requests / secs,
      accepted_all / secs, unique_all, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
   if non202_all > 0 then
      local parts = {}
      for s, c in pairs(statuses) do table.insert(parts, string.format("%s:%d", tostring(s), c)) end
      table.sort(parts)
      io.write("NON202 " .. table.concat(parts, " ") .. "\n")
   end
end
