-- wrk script: post raw messages to POST /api/v1/intake/email (what `lifeline mailgate` does, without the process).
--
--   LIFELINE_TOKEN=ll_... wrk -t2 -c32 -d10s -s intake_email.lua http://127.0.0.1:PORT -- template=FILE [options]
--
-- Options after "--" (key=value):
--   template=FILE  the message, with @@ID@@, @@N@@ and @@NAME@@ placeholders (mailload.py template --out FILE);
--                  required
--   label=NAME     tag printed on the RESULT line (default "run")
--   senders=N      number of distinct sender addresses to cycle through (default 200)
--   nonce=TEXT     prefix for Message-IDs so they never repeat across runs (default: os.time())
--
-- Every request carries a unique Message-ID, so nothing is deduplicated. Lifeline answers 202 after the message is
-- parsed, stored and committed (fsync). The token comes from the LIFELINE_TOKEN environment variable.
-- done() prints one machine-readable line:
--   RESULT label=... requests=... ok=... non202=... socket_errors=... duration_s=... rps=... per_s=...
--          p50_ms=... p90_ms=... p99_ms=... max_ms=...
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

local first_names = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tony",
                     "Margaret", "Dennis", "Hedy", "John", "Leslie", "Niklaus", "Shafi", "Vint", "Whitfield",
                     "Yukihiro"}
local parts, headers, senders, nonce, n

function init(args)
   opts = parse_args(args)
   local token = os.getenv("LIFELINE_TOKEN")
   if not token or token == "" then
      io.stderr:write("intake_email.lua: set LIFELINE_TOKEN to an API token\n")
      os.exit(2)
   end
   local f = opts.template and io.open(opts.template, "rb")
   if not f then
      io.stderr:write("intake_email.lua: pass template=FILE (mailload.py template --out FILE)\n")
      os.exit(2)
   end
   local text = f:read("*a")
   f:close()
   -- Split once at the placeholders; each request only concatenates.
   parts = {}
   local pos = 1
   while true do
      local s, e, name = text:find("@@([A-Z0-9]+)@@", pos)
      if not s then break end
      table.insert(parts, text:sub(pos, s - 1))
      table.insert(parts, {name})
      pos = e + 1
   end
   table.insert(parts, text:sub(pos))
   senders = tonumber(opts.senders or "200")
   nonce = opts.nonce or tostring(os.time())
   headers = {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "message/rfc822",
   }
   n, ok, non202 = 0, 0, 0
   by_status = {}
end

function request()
   n = n + 1
   local s = (n * 7 + tid) % senders + 1
   local values = {
      ID = string.format("%s.%d.%d", nonce, tid, n),
      N = tostring(s),
      NAME = first_names[s % #first_names + 1] .. " Customer" .. s,
   }
   local out = {}
   for i, p in ipairs(parts) do
      if type(p) == "table" then out[i] = values[p[1]] or "" else out[i] = p end
   end
   return wrk.format("POST", "/api/v1/intake/email", headers, table.concat(out))
end

function response(status, hdrs, body)
   if status == 202 then
      ok = ok + 1
   else
      non202 = non202 + 1
      by_status[status] = (by_status[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local ok_all, non202_all, statuses = 0, 0, {}
   for _, t in ipairs(threads) do
      ok_all = ok_all + (t:get("ok") or 0)
      non202_all = non202_all + (t:get("non202") or 0)
      local bs = t:get("by_status")
      if bs then
         for s, c in pairs(bs) do statuses[s] = (statuses[s] or 0) + c end
      end
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   local label = "run"
   if threads[1] then label = (threads[1]:get("opts") or {}).label or label end
   io.write(string.format(
      "RESULT label=%s requests=%d ok=%d non202=%d socket_errors=%d duration_s=%.2f rps=%.1f " ..
      "per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      label, summary.requests, ok_all, non202_all, socket_errors, secs, summary.requests / secs,
      ok_all / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
   if non202_all > 0 then
      local list = {}
      for s, c in pairs(statuses) do table.insert(list, string.format("%s:%d", tostring(s), c)) end
      table.sort(list)
      io.write("NON202 " .. table.concat(list, " ") .. "\n")
   end
end
