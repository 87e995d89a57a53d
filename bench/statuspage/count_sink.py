#!/usr/bin/env python3
"""A counting SMTP sink for bench/statuspage/fanout: accepts every message (aiosmtpd, like tests/support/smtp_sink.py)
but stores nothing; counts the messages, and those carrying List-Unsubscribe and List-Unsubscribe-Post, into
--count-file (rewritten as "<messages> <with both headers>" at most every 0.2 s and at the end). Prints
"LISTENING <port>" once it accepts connections; runs until SIGTERM. Needs Debian's python3-aiosmtpd."""
import argparse
import os
import signal
import socket
import threading
import time

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self, path):
        self.path = path
        self.messages = 0
        self.unsubscribable = 0
        self.written = 0.0
        self.lock = threading.Lock()

    def write(self, force=False):
        now = time.monotonic()
        if not force and now - self.written < 0.2:
            return
        self.written = now
        tmp = self.path + ".tmp"
        with open(tmp, "w") as out:
            out.write("%d %d\n" % (self.messages, self.unsubscribable))
        os.replace(tmp, self.path)

    async def handle_DATA(self, server, session, envelope):
        head = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        with self.lock:
            self.messages += 1
            if b"\r\nList-Unsubscribe: <" in head and b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click" in head:
                self.unsubscribable += 1
            self.write()
        return "250 OK"


class BoundController(Controller):
    """Serves on a socket bound beforehand, so that port 0 works (as in tests/support/smtp_sink.py)."""

    def __init__(self, handler, sock, **kwargs):
        self.sock = sock
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock, ssl=self.ssl_context)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count-file", required=True)
    args = parser.parse_args()
    handler = CountingHandler(args.count_file)
    handler.write(force=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    controller = BoundController(handler, sock, decode_data=False, enable_SMTPUTF8=True, ready_timeout=10)
    controller.start()
    print("LISTENING %d" % controller.port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.2):
        with handler.lock:
            handler.write(force=True)
    controller.stop()
    with handler.lock:
        handler.write(force=True)


main()
