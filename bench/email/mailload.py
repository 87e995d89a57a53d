#!/usr/bin/python3
"""Load generator for Lifeline's email intake: LMTP (RFC 2033) and `lifeline mailgate`. Python 3 stdlib only.

  mailload.py lmtp --port PORT [--connections 8] [--duration 10] [--size 4k|200k] [--senders 200] [--label NAME]
  mailload.py mailgate --binary PATH [--workers 8] [--duration 10] [--size 4k|200k] [--senders 200] [--label NAME]
                                     (needs LIFELINE_URL and LIFELINE_TOKEN in the environment)
  mailload.py spawn --binary PATH [--count 200]      cost of starting the binary (`lifeline version`), sequentially
  mailload.py template --size 4k|200k --out FILE     a message with @@ID@@, @@N@@ and @@NAME@@ placeholders,
                                                     for intake_email.lua (wrk)

lmtp: opens C connections to 127.0.0.1:PORT, sends LHLO once per connection, then per message MAIL FROM, RCPT TO and
DATA in one write (PIPELINING, RFC 2920), waits for 250/250/354, sends the content and waits for the 250 that Lifeline
gives only after the message is committed and fsynced. Closed loop: one message in flight per connection.

mailgate: W threads, each running `lifeline mailgate` once per message (one process per message, as a Postfix pipe
transport does) with the message on stdin.

Every message has a unique Message-ID (nothing is deduplicated) and comes from one of --senders addresses in turn, so
contacts are reused. Prints one machine-readable line on stdout:

  RESULT label=... messages=... ok=... failed=... duration_s=... per_s=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
         commit_p50_ms=... commit_p99_ms=... gen_cores=... child_cores=...

Latency (lmtp): from writing MAIL/RCPT/DATA to reading the final 250, i.e. the whole transaction including the 354
round trip; commit_*: from writing the final "." to the 250 (parse + group commit + fsync). mailgate: the lifetime of
one mailgate process (fork + exec + connect + POST + exit). gen_cores is this script's own CPU time (user + system) per
second of wall time; child_cores is the same for the mailgate processes it started.
"""

import argparse
import asyncio
import base64
import os
import random
import resource
import subprocess
import sys
import threading
import time

RECIPIENT = "support@bench.test"
FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tony",
               "Margaret", "Dennis", "Hedy", "John", "Leslie", "Niklaus", "Shafi", "Vint", "Whitfield", "Yukihiro"]
PARAGRAPHS = [
    "Since this morning the label printer in the dispatch room stops after every third job and shows error E-204 "
    "on its display. We have restarted it twice and replaced the roll, but the error comes back within minutes.",
    "Our warehouse team cannot scan incoming pallets: the handheld terminals connect to the network, open the "
    "receiving screen and then time out when they submit a scan. Nothing changed on our side over the weekend.",
    "The nightly export to the accounting system did not run. The last successful file in the outbound folder "
    "is from Tuesday, and the job history shows it as skipped without an error message.",
    "Two of our users get a blank page after signing in. Clearing the browser cache helps for an hour or so, then "
    "the page is blank again. Other users in the same office are not affected.",
    "Could you please check whether the maintenance window announced for Thursday affects the API? We run a "
    "batch import at 02:00 local time and would like to move it if the service will be unavailable.",
    "The invoice for last month lists forty seats, but we reduced the subscription to thirty-two seats at the "
    "start of the month. Please send a corrected invoice; our finance team needs it before the end of the week.",
]
SIGNATURE = ("\r\nKind regards,\r\n{name}\r\nOperations, Customer {n} Ltd\r\nPhone +44 20 7946 {n:04d}\r\n\r\n"
             "This message and any attachments are confidential and intended for the named recipient only.\r\n")


def parse_size(text):
    t = text.lower().rstrip("b")
    if t.endswith("k"):
        return int(float(t[:-1]) * 1024)
    if t.endswith("m"):
        return int(float(t[:-1]) * 1024 * 1024)
    return int(t)


def wrap(text, width=72):
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = word if not line else line + " " + word
    if line:
        out.append(line)
    return "\r\n".join(out) + "\r\n"


def headers(boundary=None):
    # Placeholders: @@ID@@ (unique per message), @@N@@ (sender number), @@NAME@@ (sender's name).
    h = (
        "Return-Path: <customer@@N@@@customer@@N@@.test>\r\n"
        "Received: from mx.customer@@N@@.test (mx.customer@@N@@.test [192.0.2.10])\r\n"
        "\tby mail.bench.test (Postfix) with ESMTPS id 4Xk2Lq1Zr9z9sW\r\n"
        "\tfor <support@bench.test>; Mon, 23 Nov 2026 06:00:00 +0000 (UTC)\r\n"
        "Received: from laptop.customer@@N@@.test (unknown [198.51.100.7])\r\n"
        "\tby mx.customer@@N@@.test (Postfix) with ESMTPSA id 9F2C3A0\r\n"
        "\tfor <support@bench.test>; Mon, 23 Nov 2026 05:59:59 +0000 (UTC)\r\n"
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=customer@@N@@.test; s=mail;\r\n"
        "\tt=1795413599; bh=2jmj7l5rSw0yVb/vlWAYkK/YBwk=; h=From:To:Subject:Date:Message-ID;\r\n"
        "\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaGFzIHRoZSByaWdodCBzaGFwZSBmb3IgYSBiZW5jaG1hcms=\r\n"
        "From: \"@@NAME@@\" <customer@@N@@@customer@@N@@.test>\r\n"
        "To: Support <support@bench.test>\r\n"
        "Subject: Printer and scanner problems at site @@N@@ (case @@ID@@)\r\n"
        "Date: Mon, 23 Nov 2026 05:59:59 +0000\r\n"
        "Message-ID: <@@ID@@@laptop.customer@@N@@.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "User-Agent: Mozilla/5.0 Thunderbird/128.4.0\r\n"
        "Content-Language: en-GB\r\n"
    )
    if boundary:
        h += "Content-Type: multipart/mixed; boundary=\"%s\"\r\n" % boundary
    else:
        h += "Content-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: 8bit\r\n"
    return h + "\r\n"


def body_text(target):
    """A greeting, paragraphs of a support request and a signature: about `target` bytes, cut at a line end."""
    sig = SIGNATURE.replace("{name}", "@@NAME@@").replace("{n:04d}", "@@N@@").replace("{n}", "@@N@@")
    out, size, i = ["Hello support team,\r\n\r\n"], 0, 0
    size = len(out[0]) + len(sig)
    while True:
        for line in (wrap(PARAGRAPHS[i % len(PARAGRAPHS)]) + "\r\n").split("\r\n")[:-1]:
            if size + len(line) + 2 > target:
                return "".join(out) + sig
            out.append(line + "\r\n")
            size += len(line) + 2
        i += 1


def template(size):
    """The message as text with placeholders, about `size` bytes once filled in."""
    if size <= 64 * 1024:
        h = headers()
        return h + body_text(size - len(h))
    boundary = "------------bench0boundary0A1B2C3D"
    h = headers(boundary)
    text = body_text(1200)
    # The attachment: random bytes, base64 in 76-character lines. Its first line is "@@B64@@", replaced per
    # message by 57 unique bytes, so every attachment has its own SHA-256 (Lifeline stores blobs by content).
    b64_bytes = (size - len(h) - len(text) - 520) * 76 // 78
    n = max(57, (b64_bytes * 3 // 4) // 57 * 57)
    rng = random.Random(20261123)
    data = bytes(rng.getrandbits(8) for _ in range(n - 57))
    b64 = base64.b64encode(data).decode()
    lines = "\r\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))
    return (h + "This is a multi-part message in MIME format.\r\n"
            "--%s\r\nContent-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            "%s\r\n--%s\r\nContent-Type: application/pdf; name=\"printer-log.pdf\"\r\n"
            "Content-Disposition: attachment; filename=\"printer-log.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "@@B64@@\r\n%s\r\n\r\n--%s--\r\n") % (boundary, text, boundary, lines, boundary)


def dot_stuff(text):
    return text.replace("\r\n.", "\r\n..")


class Factory:
    """Builds messages fast: the template split at its placeholders once, then joined per message."""

    def __init__(self, size, senders, nonce):
        self.parts = []
        t = dot_stuff(template(size))
        import re
        for piece in re.split(r"(@@[A-Z0-9]+@@)", t):
            self.parts.append(piece)
        self.senders = senders
        self.nonce = nonce
        self.seq = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            self.seq += 1
            seq = self.seq
        n = seq % self.senders + 1
        mid = "%s.%d" % (self.nonce, seq)
        values = {"@@ID@@": mid, "@@N@@": str(n),
                  "@@NAME@@": "%s Customer%d" % (FIRST_NAMES[n % len(FIRST_NAMES)], n)}
        out = []
        for p in self.parts:
            if p.startswith("@@") and p.endswith("@@") and len(p) > 4:
                if p == "@@B64@@":
                    out.append(base64.b64encode(("%-57s" % mid)[:57].encode()).decode())
                else:
                    out.append(values[p])
            else:
                out.append(p)
        return n, "".join(out).encode()


def cpu_seconds(who=resource.RUSAGE_SELF):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def report(label, ok, failed, elapsed, lat, commit, cpu, child_cpu, extra=""):
    lat.sort()
    commit.sort()
    ms = lambda v: v * 1000.0
    line = ("RESULT label=%s messages=%d ok=%d failed=%d duration_s=%.2f per_s=%.1f p50_ms=%.2f p90_ms=%.2f "
            "p99_ms=%.2f max_ms=%.2f commit_p50_ms=%.2f commit_p99_ms=%.2f gen_cores=%.2f child_cores=%.2f%s") % (
        label, ok + failed, ok, failed, elapsed, ok / elapsed if elapsed > 0 else 0.0,
        ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 99)), ms(lat[-1] if lat else 0),
        ms(percentile(commit, 50)), ms(percentile(commit, 99)), cpu / elapsed, child_cpu / elapsed, extra)
    print(line, flush=True)


# --- LMTP -----------------------------------------------------------------------------------------------------------

class LmtpError(Exception):
    pass


async def read_reply(reader):
    """One (possibly multi-line) reply; returns (code, text of the last line)."""
    while True:
        line = await reader.readline()
        if not line:
            raise LmtpError("connection closed")
        if len(line) >= 4 and line[3:4] == b"-":
            continue
        return int(line[:3]), line.decode(errors="replace").rstrip()


async def lmtp_connection(port, factory, deadline, stats, errors):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    try:
        code, text = await read_reply(reader)
        if code != 220:
            raise LmtpError("greeting: " + text)
        writer.write(b"LHLO loadgen.bench.test\r\n")
        code, text = await read_reply(reader)
        if code != 250:
            raise LmtpError("LHLO: " + text)
        clock = time.perf_counter
        while clock() < deadline:
            n, msg = factory.next()
            t0 = clock()
            writer.write(b"MAIL FROM:<customer%d@customer%d.test> SIZE=%d\r\nRCPT TO:<%s>\r\nDATA\r\n"
                         % (n, n, len(msg), RECIPIENT.encode()))
            replies = [await read_reply(reader) for _ in range(3)]
            if [r[0] for r in replies] != [250, 250, 354]:
                errors.append("MAIL/RCPT/DATA: " + " | ".join(r[1] for r in replies))
                stats["failed"] += 1
                writer.write(b"RSET\r\n")
                await read_reply(reader)
                continue
            writer.write(msg)
            writer.write(b".\r\n")
            t1 = clock()
            code, text = await read_reply(reader)
            t2 = clock()
            if code == 250:
                stats["ok"] += 1
                stats["lat"].append(t2 - t0)
                stats["commit"].append(t2 - t1)
            else:
                stats["failed"] += 1
                if len(errors) < 20:
                    errors.append("after DATA: " + text)
        writer.write(b"QUIT\r\n")
        await writer.drain()
        try:
            await asyncio.wait_for(read_reply(reader), 5)
        except (asyncio.TimeoutError, LmtpError):
            pass
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


async def lmtp_main(args):
    factory = Factory(parse_size(args.size), args.senders, args.nonce or "%x" % int(time.time() * 1000))
    stats = {"ok": 0, "failed": 0, "lat": [], "commit": []}
    errors = []
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    deadline = start + args.duration
    results = await asyncio.gather(
        *(lmtp_connection(args.port, factory, deadline, stats, errors) for _ in range(args.connections)),
        return_exceptions=True)
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0
    for r in results:
        if isinstance(r, BaseException):
            errors.append("connection: %r" % r)
    report(args.label, stats["ok"], stats["failed"], elapsed, stats["lat"], stats["commit"], cpu, 0.0,
           " bytes=%d" % len(factory.next()[1]))
    for e in errors[:10]:
        print("ERROR " + e, file=sys.stderr)
    return 1 if errors and stats["ok"] == 0 else 0


# --- mailgate -------------------------------------------------------------------------------------------------------

def mailgate_main(args):
    for var in ("LIFELINE_URL", "LIFELINE_TOKEN"):
        if not os.environ.get(var):
            sys.exit("mailload.py mailgate: set %s" % var)
    factory = Factory(parse_size(args.size), args.senders, args.nonce or "%x" % int(time.time() * 1000))
    lock = threading.Lock()
    stats = {"ok": 0, "failed": 0, "lat": []}
    errors = []
    cpu0, child0 = cpu_seconds(), cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    deadline = start + args.duration

    def worker():
        while time.perf_counter() < deadline:
            _, msg = factory.next()
            t0 = time.perf_counter()
            p = subprocess.run([args.binary, "mailgate"], input=msg, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            t1 = time.perf_counter()
            with lock:
                if p.returncode == 0:
                    stats["ok"] += 1
                    stats["lat"].append(t1 - t0)
                else:
                    stats["failed"] += 1
                    if len(errors) < 20:
                        errors.append("exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip()))

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0
    child = cpu_seconds(resource.RUSAGE_CHILDREN) - child0
    report(args.label, stats["ok"], stats["failed"], elapsed, stats["lat"], [], cpu, child)
    for e in errors[:10]:
        print("ERROR " + e, file=sys.stderr)
    return 0


def spawn_main(args):
    child0 = cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for _ in range(args.count):
        subprocess.run([args.binary, "version"], stdout=subprocess.DEVNULL, check=True)
    elapsed = time.perf_counter() - start
    child = cpu_seconds(resource.RUSAGE_CHILDREN) - child0
    print("SPAWN count=%d ms_per_process=%.2f cpu_ms_per_process=%.2f" % (
        args.count, elapsed * 1000 / args.count, child * 1000 / args.count), flush=True)
    return 0


def template_main(args):
    t = template(parse_size(args.size))
    with open(args.out, "w", newline="") as f:
        f.write(t)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    for name in ("lmtp", "mailgate"):
        p = sub.add_parser(name)
        p.add_argument("--duration", type=float, default=10.0)
        p.add_argument("--size", default="4k")
        p.add_argument("--senders", type=int, default=200)
        p.add_argument("--label", default=name)
        p.add_argument("--nonce", default="")
        if name == "lmtp":
            p.add_argument("--port", type=int, required=True)
            p.add_argument("--connections", "-c", type=int, default=8)
        else:
            p.add_argument("--binary", required=True)
            p.add_argument("--workers", "-w", type=int, default=8)
    p = sub.add_parser("spawn")
    p.add_argument("--binary", required=True)
    p.add_argument("--count", type=int, default=200)
    p = sub.add_parser("template")
    p.add_argument("--size", default="4k")
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.mode == "lmtp":
        return asyncio.run(lmtp_main(args))
    if args.mode == "mailgate":
        return mailgate_main(args)
    if args.mode == "spawn":
        return spawn_main(args)
    return template_main(args)


if __name__ == "__main__":
    sys.exit(main())
