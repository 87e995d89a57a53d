#!/usr/bin/env python3
"""Load driver for bench/alerts (Python 3 standard library only).

  alertload.py setup --url URL [--phone +15550000001]
      With the admin token in $LIFELINE_TOKEN: an agent (bench-oncall@bench.test) with one SMS contact method and a
      notification rule at 0 s, an escalation policy whose only level pages them (timeout 3600 s, so no second level
      fires during a run) and a service using it. Prints "KEY <integration key>".

  alertload.py paced --url URL --key KEY --standin-dir DIR [--rate 1000] [--duration 20] [--connections 32]
                     [--unique-every 10] [--hot 10] [--nonce TEXT] [--wait 30] [--label NAME]
      Open loop at --rate events/s on kept-alive HTTP/1.1 connections (asyncio): event i is due at start + i/rate
      and goes out on the first free connection; a connection sends its next event only after the previous answer,
      so if all are busy, events queue in the driver and the delay shows as "lag" (send time - due time). Every
      --unique-every-th event has a new dedup key and a summary carrying a token ("pg<nonce>x<i>t"); the rest cycle
      through --hot repeated keys, which are triggered once (and their pages awaited) before the clock starts, so
      during the run they only deduplicate. Afterwards it waits up to --wait s for a page per unique trigger in
      DIR/requests.jsonl (the Twilio stand-in's log; the SMS body contains the summary), matches them by token and
      prints one line:
        RESULT label=... sent=... accepted=... non202=... errors=... duration_s=... per_s=...
               p50_ms=... p99_ms=... max_ms=...                    (202 latency: send -> answer)
               lag_p99_ms=... lag_max_ms=...                      (send time - due time)
               unique=... paged=... missing=... duplicate_pages=...
               page_p50_ms=... page_p90_ms=... page_p99_ms=... page_max_ms=...   (202 received -> stand-in received_at)
               page_from_send_p99_ms=...                           (request written -> received_at)
               arrive_p50_ms=... arrive_p99_ms=...                 (202 received -> stand-in started do_POST)
      and a NON202 line with counts per status if any, and writes per-page figures to DIR/../paced.jsonl.

Percentiles are nearest-rank over all samples.
"""

import argparse
import asyncio
import http.client
import json
import math
import os
import re
import sys
import time
import urllib.parse


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100.0 * len(ordered)) - 1)]


# --- setup --------------------------------------------------------------------------------------

def api(conn, method, path, body, token):
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    res = conn.getresponse()
    text = res.read().decode("utf-8", "replace")
    if res.status not in (200, 201):
        sys.exit("setup: %s %s answered %d: %s" % (method, path, res.status, text))
    return json.loads(text)


def setup(args):
    token = os.environ.get("LIFELINE_TOKEN", "")
    if not token:
        sys.exit("setup: set LIFELINE_TOKEN to the admin's API token")
    u = urllib.parse.urlsplit(args.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    person = api(conn, "POST", "/api/v1/people",
                 {"email": "bench-oncall@bench.test", "name": "Bench On-call", "role": "agent"}, token)
    method = api(conn, "POST", "/api/v1/users/%d/contact-methods" % person["id"],
                 {"channel": "sms", "address": args.phone}, token)
    api(conn, "POST", "/api/v1/users/%d/notification-rules" % person["id"],
        {"contact_method_id": method["id"], "delay_seconds": 0}, token)
    policy = api(conn, "POST", "/api/v1/escalation-policies",
                 {"name": "Bench", "levels": [{"timeout_seconds": 3600,
                                               "targets": [{"type": "user", "email": "bench-oncall@bench.test"}]}]},
                 token)
    service = api(conn, "POST", "/api/v1/services", {"name": "Bench checkout", "escalation_policy_id": policy["id"]},
                  token)
    print("KEY %s" % service["integration_key"], flush=True)


# --- paced run ----------------------------------------------------------------------------------

def event_body(key, dedup_key, summary):
    return json.dumps({"routing_key": key, "event_action": "trigger", "dedup_key": dedup_key,
                       "payload": {"summary": summary, "source": "bench-host", "severity": "critical",
                                   "component": "checkout", "group": "bench", "class": "load"}}).encode()


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path, body):
        """Sends one POST and reads the answer; (status, send time, answer time)."""
        if self.writer is None:
            await self.open()
        head = ("POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (path, self.host, self.port, len(body))).encode()
        sent_at = time.time()
        self.writer.write(head + body)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length, close = 0, False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if length:
            await self.reader.readexactly(length)
        answered_at = time.time()
        if close:
            self.writer.close()
            self.writer = None
        return status, sent_at, answered_at


def read_pages(path):
    """token -> list of (received_at, started_at) from the stand-in's requests.jsonl."""
    out = {}
    token = re.compile(r"pg[0-9a-z]+x[0-9]+t")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # a line still being written
                entry = json.loads(line)
                m = token.search(entry.get("body", ""))
                if m:
                    out.setdefault(m.group(0), []).append((entry["received_at"], entry.get("started_at")))
    except FileNotFoundError:
        pass
    return out


async def paced(args):
    u = urllib.parse.urlsplit(args.url)
    host, port = u.hostname, u.port
    requests_path = os.path.join(args.standin_dir, "requests.jsonl")

    # Warm-up: open the hot alerts (each pages once) and the connections.
    conns = [Connection(host, port) for _ in range(args.connections)]
    await asyncio.gather(*(c.open() for c in conns))
    for h in range(args.hot):
        status, _, _ = await conns[0].post("/v2/enqueue", event_body(args.key, "hot-%d" % h,
                                                                     "Bench hot alert %d on bench-host" % h))
        if status != 202:
            sys.exit("paced: warm-up trigger answered %d" % status)

    def lines():
        try:
            with open(requests_path, encoding="utf-8") as f:
                return sum(1 for _ in f)
        except FileNotFoundError:
            return 0
    deadline = time.time() + 30
    while lines() < args.hot and time.time() < deadline:
        await asyncio.sleep(0.05)
    base_pages = lines()

    total = int(args.rate * args.duration)
    queue = asyncio.Queue()
    results = []  # (i, due, sent_at, answered_at, status)
    errors = [0]

    async def worker(conn):
        while True:
            item = await queue.get()
            if item is None:
                return
            i, due, body = item
            try:
                status, sent_at, answered_at = await conn.post("/v2/enqueue", body)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[0] += 1
                conn.writer = None
                continue
            results.append((i, due, sent_at, answered_at, status))

    workers = [asyncio.create_task(worker(c)) for c in conns]
    tokens = {}
    start = time.time() + 0.05
    next_i = 0
    while next_i < total:
        now = time.time()
        due_count = min(total, int((now - start) * args.rate) + 1) if now >= start else 0
        while next_i < due_count:
            i = next_i
            due = start + i / args.rate
            if i % args.unique_every == 0:
                token = "pg%sx%dt" % (args.nonce, i)
                tokens[i] = token
                body = event_body(args.key, "u-" + token, "Bench page " + token + " on bench-host")
            else:
                h = i % args.hot
                body = event_body(args.key, "hot-%d" % h, "Bench hot alert %d on bench-host" % h)
            queue.put_nowait((i, due, body))
            next_i += 1
        await asyncio.sleep(0.0005)
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    end = max((r[3] for r in results), default=time.time())
    for c in conns:
        if c.writer:
            c.writer.close()

    by_i = {r[0]: r for r in results}
    accepted_unique = {i: tokens[i] for i, r in by_i.items() if i in tokens and r[4] == 202}

    # Wait for a page per accepted unique trigger.
    deadline = time.time() + args.wait
    pages = read_pages(requests_path)
    while time.time() < deadline and any(t not in pages for t in accepted_unique.values()):
        await asyncio.sleep(0.2)
        pages = read_pages(requests_path)
    time.sleep(0.5)  # a duplicate page, if any, would come right after
    pages = read_pages(requests_path)

    page_ms, page_send_ms, arrive_ms, per_page = [], [], [], []
    missing = duplicates = 0
    for i, token in accepted_unique.items():
        got = pages.get(token)
        if not got:
            missing += 1
            continue
        duplicates += len(got) - 1
        received_at, started_at = min(got)
        _, due, sent_at, answered_at, _ = by_i[i]
        page_ms.append((received_at - answered_at) * 1000)
        page_send_ms.append((received_at - sent_at) * 1000)
        if started_at is not None:
            arrive_ms.append((started_at - answered_at) * 1000)
        per_page.append({"i": i, "due": due, "sent_at": sent_at, "answered_at": answered_at,
                         "received_at": received_at, "started_at": started_at})
    out_path = os.path.join(os.path.dirname(os.path.abspath(args.standin_dir)), "paced.jsonl")
    with open(out_path, "w", encoding="utf-8") as f:
        for p in per_page:
            f.write(json.dumps(p) + "\n")

    statuses = {}
    for r in results:
        statuses[r[4]] = statuses.get(r[4], 0) + 1
    accepted = statuses.get(202, 0)
    non202 = len(results) - accepted
    latency = [(r[3] - r[2]) * 1000 for r in results]
    lag = [(r[2] - r[1]) * 1000 for r in results]
    duration = end - start
    all_pages = sum(1 for _ in open(requests_path, encoding="utf-8")) if os.path.exists(requests_path) else 0

    def f(v):
        return "nan" if v != v else "%.2f" % v
    print("RESULT label=%s sent=%d accepted=%d non202=%d errors=%d duration_s=%.2f per_s=%.1f "
          "p50_ms=%s p99_ms=%s max_ms=%s lag_p99_ms=%s lag_max_ms=%s "
          "unique=%d paged=%d missing=%d duplicate_pages=%d stand_in_pages=%d "
          "page_p50_ms=%s page_p90_ms=%s page_p99_ms=%s page_max_ms=%s page_from_send_p99_ms=%s "
          "arrive_p50_ms=%s arrive_p99_ms=%s"
          % (args.label, len(results) + errors[0], accepted, non202, errors[0], duration, accepted / duration,
             f(percentile(latency, 50)), f(percentile(latency, 99)), f(max(latency) if latency else float("nan")),
             f(percentile(lag, 99)), f(max(lag) if lag else float("nan")),
             len(accepted_unique), len(page_ms), missing, duplicates, all_pages - base_pages,
             f(percentile(page_ms, 50)), f(percentile(page_ms, 90)), f(percentile(page_ms, 99)),
             f(max(page_ms) if page_ms else float("nan")), f(percentile(page_send_ms, 99)),
             f(percentile(arrive_ms, 50)), f(percentile(arrive_ms, 99))), flush=True)
    if non202:
        print("NON202 " + " ".join("%s:%d" % (s, c) for s, c in sorted(statuses.items()) if s != 202), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--url", required=True)
    s.add_argument("--phone", default="+15550000001")
    p = sub.add_parser("paced")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--standin-dir", required=True)
    p.add_argument("--rate", type=float, default=1000)
    p.add_argument("--duration", type=float, default=20)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--unique-every", type=int, default=10)
    p.add_argument("--hot", type=int, default=10)
    p.add_argument("--nonce", default=str(int(time.time())))
    p.add_argument("--wait", type=float, default=30)
    p.add_argument("--label", default="paced")
    args = parser.parse_args()
    if args.command == "setup":
        setup(args)
    else:
        args.nonce = re.sub(r"[^0-9a-z]", "", args.nonce.lower())
        asyncio.run(paced(args))


if __name__ == "__main__":
    main()
