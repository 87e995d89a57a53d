-- wrk script: create tickets through POST /api/v1/tickets and report durable creations.
--
--   LIFELINE_TOKEN=ll_... wrk -t2 -c64 -d10s -s create_ticket.lua http://127.0.0.1:PORT -- [options]
--
-- Options after "--" (all optional, key=value):
--   label=NAME     tag printed on the RESULT line (default "run")
--   idem=1         send a unique Idempotency-Key with every request
--   contacts=N     number of distinct requester emails to cycle through (default 100)
--   nonce=TEXT     prefix for Idempotency-Keys so keys never repeat across runs (default: os.time())
--   stop_after=N   each thread stops after N 201 responses (used to fill the store to a count)
--
-- The token comes from the LIFELINE_TOKEN environment variable so it does not show in `ps`.
-- done() prints one machine-readable line:
--   RESULT label=... requests=... created=... non201=... socket_errors=... duration_s=...
--          rps=... created_per_s=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
-- and, if anything other than 201 came back, a NON201 line with counts per status.

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

-- Globals (not locals) where done() reads them back with thread:get().
local headers, prebuilt, n, stop_after, idem, contacts, nonce

function init(args)
   opts = parse_args(args)
   local token = os.getenv("LIFELINE_TOKEN")
   if not token or token == "" then
      io.stderr:write("create_ticket.lua: set LIFELINE_TOKEN to an API token\n")
      os.exit(2)
   end
   idem = opts.idem == "1"
   contacts = tonumber(opts.contacts or "100")
   nonce = opts.nonce or tostring(os.time())
   stop_after = tonumber(opts.stop_after or "0")
   headers = {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
   }
   n, created, non201 = 0, 0, 0
   by_status = {}
   -- Without Idempotency-Keys the requests repeat, so build them once (wrk's Lua runs on the
   -- same cores as the server; keep its per-request work small).
   prebuilt = {}
   if not idem then
      for i = 1, contacts do
         prebuilt[i] = wrk.format("POST", "/api/v1/tickets", headers, body_for(i))
      end
   end
end

function body_for(i)
   return string.format(
      '{"subject":"Bench ticket from contact %d","body":"Our printer in room %d shows error E%d and will not print. ' ..
      'We tried turning it off and on again.","priority":"P2","requester":{"email":"contact%d@customer.test","name":"Contact %d"}}',
      i, i, i, i, i)
end

function request()
   n = n + 1
   local i = (n % contacts) + 1
   if not idem then return prebuilt[i] end
   local h = {
      ["Authorization"] = headers["Authorization"],
      ["Content-Type"] = headers["Content-Type"],
      ["Idempotency-Key"] = string.format("%s-%d-%d", nonce, tid, n),
   }
   return wrk.format("POST", "/api/v1/tickets", h, body_for(i))
end

function response(status, hdrs, body)
   if status == 201 then
      created = created + 1
      if stop_after > 0 and created >= stop_after then wrk.thread:stop() end
   else
      non201 = non201 + 1
      by_status[status] = (by_status[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local created_all, non201_all, statuses = 0, 0, {}
   for _, t in ipairs(threads) do
      created_all = created_all + (t:get("created") or 0)
      non201_all = non201_all + (t:get("non201") or 0)
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
      "RESULT label=%s requests=%d created=%d non201=%d socket_errors=%d duration_s=%.2f rps=%.1f " ..
      "created_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      label, summary.requests, created_all, non201_all, socket_errors, secs, summary.requests / secs,
      created_all / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
   if non201_all > 0 then
      local parts = {}
      for s, c in pairs(statuses) do table.insert(parts, string.format("%s:%d", tostring(s), c)) end
      table.sort(parts)
      io.write("NON201 " .. table.concat(parts, " ") .. "\n")
   end
end
