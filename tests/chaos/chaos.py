#!/usr/bin/env python3
"""Crash safety, proven: the real server under mixed load, killed with SIGKILL at random moments, then audited.

Load (one thread each, as clients that retry what got no answer until it is answered):
  api     POST /api/v1/tickets with an Idempotency-Key; retried with the same key
  mail    a new email over LMTP with its own Message-ID; retried with the same Message-ID
  reply   an email reply over LMTP to a ticket an earlier answer named; retried with the same Message-ID
  events  PagerDuty Events v2 critical triggers with a dedup key; each pages Ana by SMS at once and Tom by SMS and
          email when nobody acknowledges within --step-seconds; retried with the same dedup key

The server is started, killed with SIGKILL --kills times (a quarter of the kills while it is still starting), started
once more, the clients' unanswered requests are retried until answered, every due escalation step is awaited and the
outbox drains; then the server is stopped with SIGTERM and its SQLite file, the real SMTP sink's mailbox and the
Twilio stand-in's request log are audited:
  - every answered ticket, email, reply and event is present exactly once (tickets by subject, emails by Message-ID,
    replies by body on the ticket named, alerts by dedup key, one escalation each);
  - every escalation step that fell due ran exactly once: one page per (escalation, level, loop), the second level
    reached for every alert, no job still pending past its time;
  - the outbox delivered every message at least once and nothing is left queued or dead; a message reached the sink
    or the stand-in twice only if a restart's log named it as in flight when the process died (the one window no
    sender can close: the relay accepted it, the kill came before the commit that records it) or it was retried
    after a timeout the provider had in fact outlived.

Exit status 0 when everything holds; 1 with the violations listed otherwise. The short form (CI) is the default;
the long form is e.g. `--kills 200 --max-up 6`. Needs Debian's python3-aiosmtpd: run with /usr/bin/python3.
"""

import argparse
import collections
import email
import email.policy
import glob
import http.client
import json
import os
import random
import re
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORT = os.path.join(HERE, "..", "support")
ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "chaos-auth-token"
ANA, TOM = "+15550000001", "+15550000002"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_helper(args, ready_word):
    """Starts a support script and returns (process, port) once it prints `ready_word PORT`."""
    proc = subprocess.Popen(["/usr/bin/python3"] + args, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != ready_word:
        raise RuntimeError("%s did not start: %r" % (args[0], line))
    return proc, int(line[1])


class Desk:
    """The lifeline server process: started, killed and restarted on the same ports and data dir."""

    def __init__(self, binary, root, smtp_port, twilio_port):
        self.binary = binary
        self.data = os.path.join(root, "data")
        self.logs = os.path.join(root, "logs")
        os.makedirs(self.logs)
        self.port = free_port()
        self.lmtp_port = free_port()
        self.config = os.path.join(root, "lifeline.toml")
        with open(self.config, "w") as f:
            f.write('mail_from = "support@desk.test"\noutbox_retry_base_seconds = 1\naccess_log = false\n'
                    "acknowledgements_per_sender_per_hour = 3600\n")
        self.smtp_port = smtp_port
        self.twilio_port = twilio_port
        self.proc = None
        self.runs = 0

    def init(self):
        out = subprocess.run([self.binary, "init", "--data-dir", self.data, "--admin-email", "admin@desk.test"],
                             capture_output=True, text=True, check=True).stdout
        return out.strip().splitlines()[-1]

    def start(self):
        self.runs += 1
        log = open(os.path.join(self.logs, "run-%03d.log" % self.runs), "w")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", "127.0.0.1:%d" % self.port, "--data-dir", self.data,
             "--config", self.config, "--lmtp-listen", "127.0.0.1:%d" % self.lmtp_port,
             "--smtp-relay", "smtp://127.0.0.1:%d" % self.smtp_port,
             "--twilio-url", "http://127.0.0.1:%d" % self.twilio_port, "--twilio-account-sid", ACCOUNT_SID,
             "--twilio-auth-token", AUTH_TOKEN, "--twilio-from", "+15550009999",
             "--public-url", "http://127.0.0.1:%d" % self.port],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited with %s during start-up (see %s)" % (self.proc.returncode,
                                                                                          self.logs))
            try:
                status, _ = request("GET", self.port, "/healthz", timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("the server did not become ready")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        if self.proc.wait(timeout=30) != 0:
            raise RuntimeError("the server exited with %d on SIGTERM" % self.proc.returncode)

    def in_flight_message_ids(self):
        """Message-IDs a restart named as in flight when the process died."""
        ids = set()
        for path in glob.glob(os.path.join(self.logs, "*.log")):
            with open(path, errors="replace") as f:
                for line in f:
                    if "was in flight at the last stop" in line:
                        m = re.search(r"Message-ID <([^>]*)>", line)
                        if m:
                            ids.add(m.group(1))
        return ids


def request(method, port, path, body=None, headers=None, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


def api(desk, token, method, path, payload):
    status, body = request(method, desk.port, path, json.dumps(payload),
                           {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    if status >= 300:
        raise RuntimeError("%s %s answered %d: %s" % (method, path, status, body[:300]))
    return json.loads(body)


def seed(desk, token, step_seconds):
    """Ana is on call and paged by SMS; Tom is the second level, paged by SMS and email. Returns the routing key."""
    people = {}
    for who, phone in (("ana", ANA), ("tom", TOM)):
        person = api(desk, token, "POST", "/api/v1/people",
                     {"email": who + "@desk.test", "name": who.title(), "role": "agent"})
        people[who] = person["id"]
        channels = [("sms", phone)] + ([("email", "tom@desk.test")] if who == "tom" else [])
        for channel, address in channels:
            method = api(desk, token, "POST", "/api/v1/users/%d/contact-methods" % person["id"],
                         {"channel": channel, "address": address})
            api(desk, token, "POST", "/api/v1/users/%d/notification-rules" % person["id"],
                {"contact_method_id": method["id"], "delay_seconds": 0})
    schedule = api(desk, token, "POST", "/api/v1/schedules",
                   {"name": "Primary", "time_zone": "Europe/Berlin",
                    "layers": [{"participants": ["ana@desk.test"], "start": "2026-01-01T00:00",
                                "length": "weekly"}]})
    policy = api(desk, token, "POST", "/api/v1/escalation-policies",
                 {"name": "Shop", "levels": [
                     {"timeout_seconds": step_seconds, "targets": [{"type": "schedule", "id": schedule["id"]}]},
                     {"timeout_seconds": 3600, "targets": [{"type": "user", "email": "tom@desk.test"}]}]})
    service = api(desk, token, "POST", "/api/v1/services",
                  {"name": "Shop API", "escalation_policy_id": policy["id"]})
    return service["integration_key"]


def mail(message_id, subject, body, sender):
    return ("From: %s\r\nTo: support@desk.test\r\nSubject: %s\r\nMessage-ID: <%s>\r\n"
            "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n" % (sender, subject, message_id, body))


class Client(threading.Thread):
    """One kind of load: makes new items while `producing`, and retries each unanswered item until it is answered.

    An item is answered when the server said it was accepted; an error that is not the server's dying (a 4xx or 5xx
    answer) is a violation and stops the run."""

    def __init__(self, name, desk, send, pause):
        super().__init__(name=name, daemon=True)
        self.desk, self.send, self.pause = desk, send, pause
        self.producing = True
        self.stopping = False
        self.next_number = 1
        self.unanswered = collections.deque()
        self.answered = {}  # number → what the answer said
        self.failures = []
        self.retries = 0

    def run(self):
        while not self.stopping:
            if self.unanswered:
                number, retried = self.unanswered.popleft(), True
            elif self.producing:
                number, retried = self.next_number, False
                self.next_number += 1
            else:
                time.sleep(0.05)
                continue
            try:
                result = self.send(number)
            except (OSError, http.client.HTTPException, smtplib.SMTPException) as e:
                if isinstance(e, smtplib.SMTPResponseException) and e.smtp_code < 421:
                    self.failures.append("%s %d: %s" % (self.name, number, e))
                    return
                self.unanswered.append(number)
                time.sleep(0.05)
                continue
            except RuntimeError as e:
                self.failures.append("%s %d: %s" % (self.name, number, e))
                return
            if result is None:  # not ready to make this item yet
                if retried:
                    self.unanswered.appendleft(number)
                else:
                    self.next_number -= 1
                time.sleep(0.05)
                continue
            self.retries += retried
            self.answered[number] = result
            time.sleep(self.pause)

    def settled(self):
        return not self.unanswered and not self.failures


def make_clients(desk, token, routing_key, pause):
    def send_api(n):
        status, body = request("POST", desk.port, "/api/v1/tickets",
                               json.dumps({"subject": "chaos api %d" % n, "body": "Checkout fails (%d)." % n,
                                           "priority": "P2",
                                           "requester": {"email": "api%d@shop.test" % (n % 50), "name": "Shopper"}}),
                               {"Authorization": "Bearer " + token, "Content-Type": "application/json",
                                "Idempotency-Key": "chaos-api-%d" % n})
        if status in (502, 503):
            raise OSError("answered %d" % status)
        if status not in (200, 201):
            raise RuntimeError("answered %d: %s" % (status, body[:300]))
        return json.loads(body)["ref"]

    def lmtp(message, sender):
        with smtplib.LMTP("127.0.0.1", desk.lmtp_port, timeout=5) as s:
            refused = s.sendmail(sender, ["support@desk.test"], message.encode())
            if refused:
                raise smtplib.SMTPException("refused %r" % refused)

    def send_mail(n):
        sender = "mail%d@shop.test" % (n % 50)
        lmtp(mail("chaos-mail-%d@shop.test" % n, "chaos mail %d" % n, "The shop is down (%d)." % n, sender), sender)
        return sender

    clients = {}
    targets = {}  # reply number → the API ticket it answers, fixed at the first attempt

    def send_reply(n):
        done = clients["api"].answered
        if n not in targets:
            if not done:
                return None
            targets[n] = sorted(done)[(n * 7919) % len(done)]
        target = targets[n]
        sender = "api%d@shop.test" % (target % 50)
        lmtp(mail("chaos-reply-%d@shop.test" % n, "Re: [%s] chaos api %d" % (done[target], target),
                  "chaos reply %d: still broken." % n, sender), sender)
        return done[target]

    def send_event(n):
        status, body = request("POST", desk.port, "/v2/enqueue", json.dumps(
            {"routing_key": routing_key, "event_action": "trigger", "dedup_key": "chaos-alert-%d" % n,
             "payload": {"summary": "chaos alert %d" % n, "source": "db%d" % n, "severity": "critical"}}),
            {"Content-Type": "application/json"})
        if status in (502, 503):
            raise OSError("answered %d" % status)
        if status != 202:
            raise RuntimeError("answered %d: %s" % (status, body[:300]))
        return time.time()

    for name, send in (("api", send_api), ("mail", send_mail), ("reply", send_reply), ("events", send_event)):
        clients[name] = Client(name, desk, send, pause)
    return clients


def audit(desk, clients, sink_dir, twilio_dir):
    problems = []
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(desk.data, "lifeline.db"), uri=True)
    one = lambda sql, *args: db.execute(sql, args).fetchone()[0]

    for n in clients["api"].answered:
        count = one("SELECT count(*) FROM tickets WHERE subject = ?", "chaos api %d" % n)
        if count != 1:
            problems.append("API ticket %d (answered) is present %d times" % (n, count))
    for n in clients["mail"].answered:
        emails = one("SELECT count(*) FROM emails WHERE direction = 'inbound' AND message_id = ?",
                     "chaos-mail-%d@shop.test" % n)
        tickets = one("SELECT count(*) FROM tickets WHERE subject = ?", "chaos mail %d" % n)
        if emails != 1 or tickets != 1:
            problems.append("email %d (answered) is stored %d times with %d tickets" % (n, emails, tickets))
    for n, ref in clients["reply"].answered.items():
        rows = db.execute("SELECT t.id FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body LIKE ?",
                          ("%%chaos reply %d:%%" % n,)).fetchall()
        if len(rows) != 1:
            problems.append("reply %d to %s (answered) is on tickets %d times" % (n, ref, len(rows)))
    for n in clients["events"].answered:
        alerts = one("SELECT count(*) FROM alerts WHERE dedup_key = ?", "chaos-alert-%d" % n)
        escalations = one("SELECT count(*) FROM escalations e JOIN alerts a ON a.id = e.alert_id "
                          "WHERE a.dedup_key = ?", "chaos-alert-%d" % n)
        if alerts != 1 or escalations != 1:
            problems.append("event %d (answered) made %d alerts and %d escalations" % (n, alerts, escalations))

    # Escalation steps: each one due ran exactly once.
    for escalation, level, loop, count in db.execute(
            "SELECT escalation_id, level, loop, count(*) FROM pages GROUP BY 1, 2, 3 HAVING count(*) > 1"):
        problems.append("escalation %d level %d loop %d paged %d times" % (escalation, level, loop, count))
    for (escalation,) in db.execute("SELECT id FROM escalations WHERE id NOT IN "
                                    "(SELECT escalation_id FROM pages WHERE level = 1)"):
        problems.append("escalation %d never reached its second level" % escalation)
    late = one("SELECT count(*) FROM jobs WHERE state = 'pending' AND due_at < ?", int((time.time() - 2) * 1000))
    if late:
        problems.append("%d escalation jobs are still pending past their time" % late)

    # The outbox: everything delivered, nothing twice unless a restart named it as in flight.
    left = db.execute("SELECT state, count(*) FROM outbox WHERE state != 'sent' GROUP BY state").fetchall()
    if left:
        problems.append("outbox rows not sent at the end: %s" % left)
    in_flight = desk.in_flight_message_ids()
    delivered = collections.Counter()
    for path in glob.glob(os.path.join(sink_dir, "*.eml")):
        with open(path, "rb") as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        delivered[str(message["Message-ID"]).strip().strip("<>")] += 1
    by_body = collections.Counter()
    requests_log = os.path.join(twilio_dir, "requests.jsonl")
    if os.path.exists(requests_log):
        with open(requests_log) as f:
            for line in f:
                r = json.loads(line)
                by_body[(r["to"], r.get("body", r.get("twiml", "")))] += 1
    outbox = db.execute("SELECT message_id, channel, recipient, body, attempts FROM outbox").fetchall()
    known = set()
    for message_id, channel, recipient, body, attempts in outbox:
        count = delivered[message_id] if channel == "email" else by_body[(recipient, body)]
        known.add(message_id)
        if count == 0:
            problems.append("outbox message %s (%s to %s) never arrived" % (message_id, channel, recipient))
        elif count > 1 and message_id not in in_flight and attempts < 2:
            # A retry after a timeout may repeat a hand-off the provider did take: at least once, by design.
            problems.append("outbox message %s (%s to %s) arrived %d times, neither retried nor in flight at a kill" %
                            (message_id, channel, recipient, count))
    strangers = [m for m in delivered if m not in known]
    if strangers:
        problems.append("the sink holds messages the outbox never had: %s" % strangers[:5])
    twice = collections.Counter(channel for message_id, channel, recipient, body, _ in outbox
                                if (delivered[message_id] if channel == "email" else by_body[(recipient, body)]) > 1)
    figures = {
        "tickets_api": len(clients["api"].answered), "emails": len(clients["mail"].answered),
        "replies": len(clients["reply"].answered), "events": len(clients["events"].answered),
        "retried_after_no_answer": sum(c.retries for c in clients.values()),
        "pages": one("SELECT count(*) FROM pages"), "outbox_messages": len(outbox),
        "mail_at_sink": sum(delivered.values()), "sms_at_standin": sum(by_body.values()),
        "named_in_flight": len(in_flight), "email_twice_in_flight": twice["email"], "sms_twice_in_flight": twice["sms"],
    }
    db.close()
    return problems, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.environ.get("LIFELINE_BIN", "build/lifeline"))
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--max-up", type=float, default=5, help="longest run between start and kill, seconds")
    parser.add_argument("--step-seconds", type=int, default=3, help="the first escalation level's timeout")
    parser.add_argument("--pause", type=float, default=0.02, help="each client's pause between requests")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    seed_value = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed_value)
    root = tempfile.mkdtemp(prefix="lifeline-chaos-")
    print("chaos: seed %d, %d kills, work in %s" % (seed_value, args.kills, root), flush=True)
    sink_dir, twilio_dir = os.path.join(root, "sink"), os.path.join(root, "twilio")
    os.makedirs(sink_dir)
    os.makedirs(twilio_dir)
    sink, smtp_port = start_helper([os.path.join(SUPPORT, "smtp_sink.py"), "--dir", sink_dir], "LISTENING")
    twilio, twilio_port = start_helper([os.path.join(SUPPORT, "twilio_standin.py"), "--dir", twilio_dir,
                                        "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN], "PORT")
    desk = Desk(os.path.abspath(args.binary), root, smtp_port, twilio_port)
    started = time.monotonic()
    try:
        token = desk.init()
        desk.start()
        desk.wait_ready()
        routing_key = seed(desk, token, args.step_seconds)
        clients = make_clients(desk, token, routing_key, args.pause)
        for c in clients.values():
            c.start()
        for kill in range(1, args.kills + 1):
            if kill % 4 == 0:
                time.sleep(rng.uniform(0, 0.15))  # during start-up and recovery
            else:
                desk.wait_ready()
                time.sleep(rng.uniform(0.1, args.max_up))
            desk.kill()
            failures = [f for c in clients.values() for f in c.failures]
            if failures:
                raise RuntimeError("a client got an answer that is not a success: %s" % failures)
            desk.start()
        desk.wait_ready()
        for c in clients.values():
            c.producing = False
        deadline = time.monotonic() + 60
        while not all(c.settled() for c in clients.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for c in clients.values():
            c.stopping = True
        unsettled = {n: list(c.unanswered) + c.failures for n, c in clients.items() if not c.settled()}
        if unsettled:
            raise RuntimeError("requests never answered after the last restart: %s" % unsettled)
        # Every second level falls due --step-seconds after the last trigger; then the outbox drains.
        time.sleep(args.step_seconds + 1)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            _, metrics = request("GET", desk.port, "/metrics")
            if b"lifeline_outbox_pending 0\n" in metrics:
                break
            time.sleep(0.2)
        time.sleep(0.5)
        desk.stop()
        problems, figures = audit(desk, clients, sink_dir, twilio_dir)
    except Exception:
        if desk.proc and desk.proc.poll() is None:
            desk.kill()
        print("chaos: kept %s for inspection" % root, flush=True)
        raise
    finally:
        for helper in (sink, twilio):
            helper.send_signal(signal.SIGTERM)
            helper.wait()
    figures["kills"] = args.kills
    figures["seconds"] = round(time.monotonic() - started, 1)
    print("chaos: " + json.dumps(figures), flush=True)
    if problems:
        print("chaos: FAILED, %d problems (kept %s):" % (len(problems), root))
        for p in problems[:50]:
            print("  - " + p)
        return 1
    if not args.keep:
        subprocess.run(["rm", "-rf", root])
    print("chaos: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
