#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for Convene's tests (aiosmtpd), recording what it receives.

Each message accepted is written to DIR as NNNN.eml, with NNNN.json beside it holding the
envelope (sender, recipients). Behaviours for tests:
  --defer-first N    answer the first N messages with 451 (try again later), then accept
  --reject ADDRESS   answer RCPT TO for ADDRESS with 550 (repeatable)
  --starttls CERT KEY   offer STARTTLS with this certificate, and require it
  --tls CERT KEY        speak TLS from the first byte (SMTPS)
Prints "PORT <n>" on standard output once it listens, then serves until its standard input
closes (the test that started it ends) or it is killed.
"""
import argparse
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory, defer_first, rejected):
        self.directory = directory
        self.defer_left = defer_first
        self.rejected = {a.lower() for a in rejected}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer_left > 0:
            self.defer_left -= 1
            return "451 4.3.0 Try again later"
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as SINK%04d" % self.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--defer-first", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        options = {"tls_context": context, "require_starttls": True}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        options = {"ssl_context": context}
    controller = Controller(Recorder(args.dir, args.defer_first, args.reject), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("PORT %d" % port, flush=True)
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
