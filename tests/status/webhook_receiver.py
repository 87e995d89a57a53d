#!/usr/bin/env python3
"""A test receiver for status page webhooks: records every POST (path, the X-Lifeline-Timestamp and
X-Lifeline-Signature headers, the raw body) as one JSON line in <dir>/hooks.jsonl. POSTs to a path starting with
/fail are answered 500 (recorded too); everything else 200.

Usage: webhook_receiver.py DIR. Prints "LISTENING <port>" once it accepts connections."""
import http.server
import json
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        record = {
            "path": self.path,
            "timestamp": self.headers.get("X-Lifeline-Timestamp", ""),
            "signature": self.headers.get("X-Lifeline-Signature", ""),
            "content_type": self.headers.get("Content-Type", ""),
            "body": body,
        }
        with open(os.path.join(sys.argv[1], "hooks.jsonl"), "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        status = 500 if self.path.startswith("/fail") else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("LISTENING %d" % server.server_address[1], flush=True)
server.serve_forever()
