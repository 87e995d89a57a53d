#!/usr/bin/env python3
"""A local stand-in for Twilio's REST API (2010-04-01) for tests: records what it accepts in a directory.

Endpoints (Twilio's documented shapes):

  POST /2010-04-01/Accounts/{AccountSid}/Messages.json   form fields To, From, Body
  POST /2010-04-01/Accounts/{AccountSid}/Calls.json      form fields To, From, Twiml (or Url)

Both need HTTP basic auth AccountSid:AuthToken matching --account-sid/--auth-token and the SID in the path;
otherwise 401 with Twilio's error JSON {"code": 20003, "message": "Authenticate", "more_info": ..., "status": 401}.
A missing field is a 400 in the same shape (21604 "A 'To' phone number is required." and so on). An accepted
request is answered 201 with a Twilio-shaped resource (sid "SM"/"CA" + 32 hex, status "queued", date_created in
RFC 2822, uri, ...) and appended as one JSON line to DIR/requests.jsonl (flushed and fsynced per line):
  {"kind": "sms"|"call", "to", "from", "body"|"twiml", "sid", "account_sid", "received_at"}

Test controls (no auth):

  POST /_control  JSON {"fail_status": 500, "fail_count": N, "hang_seconds": S, "hang_count": N}
      The next fail_count API requests are answered fail_status with a Twilio error body (nothing recorded);
      the next hang_count (default 1 when hang_seconds is set) API requests wait hang_seconds before being handled.
      {"reset": true} clears both. Answers the resulting settings.
  POST /_simulate/inbound-sms  JSON {"url", "from", "to", "body", "bad_signature": false}
      Builds the form Twilio posts for an incoming SMS (MessageSid, SmsSid, AccountSid, From, To, Body,
      NumMedia=0, FromCountry, ...), signs it with X-Twilio-Signature (this file's own implementation of Twilio's
      algorithm, keyed with --auth-token; a wrong one with bad_signature), POSTs it form-encoded to url and answers
      {"status": <the target's HTTP status, 0 if unreachable>, "body": <its answer>, "error": <why, if unreachable>}.

  POST /_simulate/key-press  JSON {"url", "digits", "from", "to", "bad_signature": false}
      The form Twilio posts to a <Gather> action when the callee presses keys (CallSid, Digits, CallStatus, ...),
      signed and posted the same way; the same answer.

Command line: --port 0 --dir DIR --account-sid AC... --auth-token TOKEN [--fail-status S --fail-count N]
[--hang-seconds S --hang-count N]. Binds 127.0.0.1, prints "PORT <port>" as the first line on stdout once it
listens, and runs until SIGTERM or SIGINT. Standard library only.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\.json$")

ERROR_MESSAGES = {
    400: "Bad Request",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def rfc2822_now():
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())


def twilio_error(status, code, message):
    return {"code": code, "message": message,
            "more_info": "https://www.twilio.com/docs/errors/%d" % code, "status": status}


def signature(auth_token, url, params):
    """Twilio's X-Twilio-Signature: Base64(HMAC-SHA1(auth token, url + name1 + value1 + ... sorted by name))."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class State:
    def __init__(self, args):
        self.directory = args.dir
        self.account_sid = args.account_sid
        self.auth_token = args.auth_token
        self.lock = threading.Lock()
        self.fail_status = args.fail_status
        self.fail_count = args.fail_count
        self.hang_seconds = args.hang_seconds
        self.hang_count = args.hang_count if args.hang_seconds > 0 else 0

    def settings(self):
        return {"fail_status": self.fail_status, "fail_count": self.fail_count,
                "hang_seconds": self.hang_seconds, "hang_count": self.hang_count}

    def take_fault(self):
        """(hang seconds, fail status) for the next API request, consuming one of each that is pending."""
        with self.lock:
            hang = 0.0
            if self.hang_count > 0 and self.hang_seconds > 0:
                self.hang_count -= 1
                hang = self.hang_seconds
            fail = 0
            if self.fail_count > 0 and self.fail_status:
                self.fail_count -= 1
                fail = self.fail_status
            return hang, fail

    def record(self, entry):
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            with open(os.path.join(self.directory, "requests.jsonl"), "a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two send() calls; without TCP_NODELAY the body waits ~40 ms for the client's delayed
    # ACK on a kept-alive connection, which real Twilio does not do.
    disable_nagle_algorithm = True
    server_version = "TwilioStandIn/1.0"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        sys.stderr.write("twilio_standin: %s\n" % (format % args))

    @property
    def state(self):
        return self.server.state

    def send_json(self, status, document, extra_headers=()):
        body = json.dumps(document).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):
        self.read_body()
        self.send_json(404, twilio_error(404, 20404, "The requested resource %s was not found" % self.path))

    def do_POST(self):
        raw = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_control":
            return self.control(raw)
        if path == "/_simulate/inbound-sms":
            return self.simulate_inbound_sms(raw)
        if path == "/_simulate/key-press":
            return self.simulate_key_press(raw)
        match = API_PATH.match(path)
        if not match:
            return self.send_json(404, twilio_error(404, 20404,
                                                    "The requested resource %s was not found" % path))
        hang, fail = self.state.take_fault()
        if hang:
            time.sleep(hang)
        if fail:
            message = ERROR_MESSAGES.get(fail, "Error")
            return self.send_json(fail, twilio_error(fail, 20000 + fail, message))
        if not self.authenticated(match.group(1)):
            return self.send_json(401, twilio_error(401, 20003, "Authenticate"),
                                  [("WWW-Authenticate", 'Basic realm="Twilio API"')])
        fields = urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        form = {name: values[-1] for name, values in fields.items()}
        if match.group(2) == "Messages":
            return self.create_message(form)
        return self.create_call(form)

    def authenticated(self, path_sid):
        header = self.headers.get("Authorization") or ""
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:], validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return (hmac.compare_digest(user.encode("utf-8"), self.state.account_sid.encode("utf-8")) and
                hmac.compare_digest(password.encode("utf-8"), self.state.auth_token.encode("utf-8")) and
                path_sid == self.state.account_sid)

    def create_message(self, form):
        to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to:
            return self.send_json(400, twilio_error(400, 21604, "A 'To' phone number is required."))
        if not from_ and not form.get("MessagingServiceSid"):
            return self.send_json(400, twilio_error(400, 21603, "A 'From' phone number is required."))
        if not body and not form.get("MediaUrl") and not form.get("ContentSid"):
            return self.send_json(400, twilio_error(400, 21602, "Message body is required."))
        if len(body) > 1600:
            return self.send_json(400, twilio_error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."))
        sid = "SM" + secrets.token_hex(16)
        account = self.state.account_sid
        uri = "/2010-04-01/Accounts/%s/Messages/%s.json" % (account, sid)
        now = rfc2822_now()
        self.state.record({"kind": "sms", "to": to, "from": from_, "body": body, "sid": sid,
                           "account_sid": account, "received_at": time.time()})
        self.send_json(201, {
            "account_sid": account, "api_version": "2010-04-01", "body": body,
            "date_created": now, "date_sent": None, "date_updated": now, "direction": "outbound-api",
            "error_code": None, "error_message": None, "from": from_,
            "messaging_service_sid": form.get("MessagingServiceSid"), "num_media": "0",
            "num_segments": str(max(1, (len(body) + 152) // 153)), "price": None, "price_unit": "USD",
            "sid": sid, "status": "queued",
            "subresource_uris": {"media": uri[:-5] + "/Media.json"}, "to": to, "uri": uri,
        })

    def create_call(self, form):
        to, from_ = form.get("To", ""), form.get("From", "")
        twiml, url = form.get("Twiml", ""), form.get("Url", "")
        if not to:
            return self.send_json(400, twilio_error(400, 21201, "No 'To' number is specified"))
        if not from_:
            return self.send_json(400, twilio_error(400, 21213, "No 'From' number is specified"))
        if not twiml and not url and not form.get("ApplicationSid"):
            return self.send_json(400, twilio_error(
                400, 21205, "Either a 'Url', 'Twiml' or 'ApplicationSid' parameter is required."))
        sid = "CA" + secrets.token_hex(16)
        account = self.state.account_sid
        uri = "/2010-04-01/Accounts/%s/Calls/%s.json" % (account, sid)
        now = rfc2822_now()
        entry = {"kind": "call", "to": to, "from": from_, "twiml": twiml, "sid": sid,
                 "account_sid": account, "received_at": time.time()}
        if url:
            entry["url"] = url
        self.state.record(entry)
        base = uri[:-5]
        self.send_json(201, {
            "account_sid": account, "annotation": None, "answered_by": None, "api_version": "2010-04-01",
            "caller_name": None, "date_created": now, "date_updated": now, "direction": "outbound-api",
            "duration": None, "end_time": None, "forwarded_from": None, "from": from_, "from_formatted": from_,
            "group_sid": None, "parent_call_sid": None, "phone_number_sid": None, "price": None,
            "price_unit": "USD", "queue_time": "0", "sid": sid, "start_time": None, "status": "queued",
            "subresource_uris": {"notifications": base + "/Notifications.json",
                                 "recordings": base + "/Recordings.json",
                                 "events": base + "/Events.json"},
            "to": to, "to_formatted": to, "trunk_sid": None, "uri": uri,
        })

    def control(self, raw):
        try:
            command = json.loads(raw or b"{}")
            state = self.state
            with state.lock:
                if command.get("reset"):
                    state.fail_status, state.fail_count, state.hang_seconds, state.hang_count = 0, 0, 0.0, 0
                if "fail_status" in command or "fail_count" in command:
                    state.fail_status = int(command.get("fail_status", state.fail_status or 500))
                    state.fail_count = int(command.get("fail_count", 1))
                if "hang_seconds" in command:
                    state.hang_seconds = float(command["hang_seconds"])
                    state.hang_count = int(command.get("hang_count", 1)) if state.hang_seconds > 0 else 0
                settings = state.settings()
        except (ValueError, TypeError, AttributeError) as error:
            return self.send_json(400, {"error": "bad control request: %s" % error})
        self.send_json(200, settings)

    def simulate_inbound_sms(self, raw):
        try:
            command = json.loads(raw or b"{}")
            url = command["url"]
            from_, to, body = command.get("from", ""), command.get("to", ""), command.get("body", "")
        except (ValueError, KeyError, TypeError) as error:
            return self.send_json(400, {"error": "bad simulate request: %s" % error})
        sid = "SM" + secrets.token_hex(16)
        params = [
            ("ToCountry", "US"), ("ToState", "CA"), ("SmsMessageSid", sid), ("NumMedia", "0"),
            ("ToCity", ""), ("FromZip", ""), ("SmsSid", sid), ("FromState", "CA"), ("SmsStatus", "received"),
            ("FromCity", ""), ("Body", body), ("FromCountry", "US"), ("To", to), ("ToZip", ""),
            ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", self.state.account_sid),
            ("From", from_), ("ApiVersion", "2010-04-01"),
        ]
        if command.get("messaging_service_sid"):
            params.append(("MessagingServiceSid", command["messaging_service_sid"]))
        return self.post_signed(command, url, params, {"message_sid": sid})

    def simulate_key_press(self, raw):
        try:
            command = json.loads(raw or b"{}")
            url = command["url"]
        except (ValueError, KeyError, TypeError) as error:
            return self.send_json(400, {"error": "bad simulate request: %s" % error})
        sid = "CA" + secrets.token_hex(16)
        params = [
            ("AccountSid", self.state.account_sid), ("ApiVersion", "2010-04-01"), ("CallSid", sid),
            ("CallStatus", "in-progress"), ("Called", command.get("to", "")), ("Caller", command.get("from", "")),
            ("Digits", command.get("digits", "")), ("Direction", "outbound-api"), ("FinishedOnKey", ""),
            ("From", command.get("from", "")), ("To", command.get("to", "")), ("msg", "Gather End"),
        ]
        return self.post_signed(command, url, params, {"call_sid": sid})

    def post_signed(self, command, url, params, extra):
        """POSTs params form-encoded to url as Twilio does, signed (or wrongly with bad_signature), and answers
        {"status", "body"} of the target, or status 0 and "error" when it could not be reached."""
        signed = signature(self.state.auth_token, url, params)
        if command.get("bad_signature"):
            signed = signature(self.state.auth_token + "-wrong", url, params)
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(params).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "X-Twilio-Signature": signed, "User-Agent": "TwilioProxy/1.1",
                     "I-Twilio-Idempotency-Token": secrets.token_hex(16), "Connection": "close"})
        try:
            with urllib.request.urlopen(request, timeout=float(command.get("timeout", 10))) as answer:
                status, text = answer.status, answer.read().decode("utf-8", "replace")
            return self.send_json(200, {"status": status, "body": text, **extra})
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            return self.send_json(200, {"status": error.code, "body": text, **extra})
        except (urllib.error.URLError, OSError, ValueError) as error:
            return self.send_json(200, {"status": 0, "body": "", "error": str(error), **extra})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--account-sid", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--fail-status", type=int, default=0)
    parser.add_argument("--fail-count", type=int, default=0)
    parser.add_argument("--hang-seconds", type=float, default=0.0)
    parser.add_argument("--hang-count", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args)

    def stop(*_):
        # shutdown() waits for serve_forever() to return, so it must not run on the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    print("PORT %d" % server.server_address[1], flush=True)
    # Nothing else goes to stdout: the reader may stop reading once it has the port.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)

    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    main()
