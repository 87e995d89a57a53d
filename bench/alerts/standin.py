#!/usr/bin/env python3
"""tests/support/twilio_standin.py, unchanged, with its own handling time measured (for bench/alerts).

Same command line as the stand-in (--port, --dir, --account-sid, --auth-token; prints "PORT <port>" once it listens).
Each accepted request's JSON line in DIR/requests.jsonl gains "started_at": the time.time() at which do_POST began,
that is once the request line and headers had been read. received_at (the stand-in's own field) is taken later,
after the body is read, parsed and checked, just before the line is written and fsynced. On SIGTERM, once the server
has stopped, DIR/handling.json gets a summary of the time each API request spent in do_POST (read body, parse,
authenticate, append + fsync the line, answer): {"count", "p50_ms", "p99_ms", "max_ms", "mean_ms", "record_p50_ms",
"record_p99_ms", "record_max_ms"} where record_* is the append + fsync alone.

One change of behaviour, unless --keep-nagle is given: the accepted sockets get TCP_NODELAY
(StreamRequestHandler.disable_nagle_algorithm). BaseHTTPRequestHandler writes the headers and the body of an answer
in two send() calls; with Nagle on, the body waits for the ACK of the headers, which libcurl (Lifeline's client, on
a kept-alive connection) delays by up to 40 ms. Each SMS then takes ~48 ms instead of ~1 ms, capping the stand-in
at ~80 pages/s over Lifeline's four sender threads; real Twilio shows no such stall. Standard library only.
"""

import importlib.util
import json
import math
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.environ.get("LIFELINE_TWILIO_STANDIN",
                        os.path.join(HERE, "..", "..", "tests", "support", "twilio_standin.py"))

spec = importlib.util.spec_from_file_location("twilio_standin", SCRIPT)
standin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(standin)

local = threading.local()
handled = []   # seconds per API request in do_POST
recorded = []  # seconds per State.record (append + flush + fsync under the lock)
timings_lock = threading.Lock()

original_do_post = standin.Handler.do_POST
original_record = standin.State.record


def timed_do_post(self):
    local.started_at = time.time()
    start = time.perf_counter()
    try:
        return original_do_post(self)
    finally:
        if standin.API_PATH.match(self.path.split("?", 1)[0]):
            elapsed = time.perf_counter() - start
            with timings_lock:
                handled.append(elapsed)


def timed_record(self, entry):
    entry["started_at"] = getattr(local, "started_at", None)
    start = time.perf_counter()
    try:
        return original_record(self, entry)
    finally:
        elapsed = time.perf_counter() - start
        with timings_lock:
            recorded.append(elapsed)


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)  # nearest rank
    return ordered[max(0, math.ceil(p / 100.0 * len(ordered)) - 1)]


def summary():
    with timings_lock:
        h, r = list(handled), list(recorded)
    return {
        "count": len(h),
        "p50_ms": round(percentile(h, 50) * 1000, 3),
        "p99_ms": round(percentile(h, 99) * 1000, 3),
        "max_ms": round(max(h) * 1000, 3) if h else 0.0,
        "mean_ms": round(sum(h) / len(h) * 1000, 3) if h else 0.0,
        "record_p50_ms": round(percentile(r, 50) * 1000, 3),
        "record_p99_ms": round(percentile(r, 99) * 1000, 3),
        "record_max_ms": round(max(r) * 1000, 3) if r else 0.0,
    }


def main():
    if "--keep-nagle" in sys.argv:
        sys.argv.remove("--keep-nagle")
    else:
        standin.Handler.disable_nagle_algorithm = True
    standin.Handler.do_POST = timed_do_post
    standin.State.record = timed_record
    directory = sys.argv[sys.argv.index("--dir") + 1] if "--dir" in sys.argv else "."
    try:
        standin.main()
    finally:
        with open(os.path.join(directory, "handling.json"), "w", encoding="utf-8") as f:
            json.dump(summary(), f)
            f.write("\n")


if __name__ == "__main__":
    main()
