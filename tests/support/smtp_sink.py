#!/usr/bin/env python3
"""A real SMTP server for tests: stores every message it accepts in a directory.

Each accepted message N (numbered from 1, continuing after any already in --dir) becomes N.eml (the raw DATA
bytes, CRLF line endings as received, dot-stuffing removed) and then N.json, the envelope:
{"mail_from": ..., "rcpt_tos": [...], "mail_options": [...], "rcpt_options": [...]}. The .json is written last
(atomically), so a reader that sees it also sees the complete .eml. mail_from is "" for the null sender.

Binds 127.0.0.1 on --port (0: any free port), prints "LISTENING <port>" on stdout once it accepts connections,
and runs until SIGTERM or SIGINT.

  --fail-rcpt ADDRESS   answer 550 to RCPT TO for ADDRESS (case-insensitive; may be repeated)
  --tempfail-first N    answer 451 at the end of DATA for the first N messages (nothing is stored for them)

Needs Debian's python3-aiosmtpd; run it with /usr/bin/python3 where another python3 comes first on PATH.
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading

try:
    from aiosmtpd.controller import Controller
except ImportError:
    sys.stderr.write("smtp_sink: aiosmtpd is missing (apt-get install python3-aiosmtpd; "
                     "run with /usr/bin/python3)\n")
    sys.exit(2)


class StoringHandler:
    def __init__(self, directory, fail_rcpt, tempfail_first):
        self.directory = directory
        self.fail_rcpt = {address.lower() for address in fail_rcpt}
        self.tempfail_left = tempfail_first
        self.lock = threading.Lock()
        existing = [int(name[:-5]) for name in os.listdir(directory)
                    if name.endswith(".json") and name[:-5].isdigit()]
        self.next_number = max(existing, default=0) + 1

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.fail_rcpt:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.tempfail_left > 0:
                self.tempfail_left -= 1
                return "451 4.3.0 Temporary failure, try again later"
            number = self.next_number
            self.next_number += 1
        raw = envelope.original_content
        if raw is None:
            raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        base = os.path.join(self.directory, str(number))
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        sidecar = {
            "mail_from": "" if envelope.mail_from == "<>" else envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "rcpt_options": list(envelope.rcpt_options),
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(sidecar, f)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 2.0.0 OK: queued as %d" % number


class BoundController(Controller):
    """A Controller on a socket bound before start(), so port 0 works and the real port is known."""

    def __init__(self, handler, sock, **kwargs):
        self.sock = sock
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock, ssl=self.ssl_context)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-rcpt", action="append", default=[])
    parser.add_argument("--tempfail-first", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(64)
    sock.setblocking(False)

    handler = StoringHandler(args.dir, args.fail_rcpt, args.tempfail_first)
    controller = BoundController(handler, sock, server_hostname="sink.test", decode_data=False,
                                 enable_SMTPUTF8=True, ready_timeout=10)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()

    print("LISTENING %d" % controller.port, flush=True)
    # Nothing else goes to stdout: the reader may stop reading once it has the port.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)

    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
