#!/usr/bin/env python3
"""A Convene plugin that misbehaves on request, for the host's isolation tests.

Without a fault it is a small step that takes all its invitees at once: its run marks them
invited and publishes the list of their names, and its follow-up writes to each. `with: {fault:
…}` makes its run crash, hang, write garbage or break the rules instead; FAULTY_HANDSHAKE in the
environment does the same to the handshake. Every request is logged to standard error with the
process id, so that tests can see one process serve a whole run.
"""
import importlib.util
import json
import os
import signal
import struct
import sys
import time

spec = importlib.util.spec_from_file_location(
    "greet", os.path.join(os.path.dirname(os.path.realpath(__file__)), "convene-step-greet.py"))
greet = importlib.util.module_from_spec(spec)
spec.loader.exec_module(greet)

FAULTS = ["none", "crash", "exit", "signal", "hang", "garbage", "bad-json", "wrong-answer", "oversized",
          "bad-effect", "unknown-delegation", "no-recipient", "unknown-track", "refuse"]

MANIFEST = {
    "id": "faulty",
    "version": "1.0.0",
    "summary": "Misbehaves on request.",
    "configuration": {
        "type": "object",
        "fields": [
            {"name": "fault", "type": "string", "one-of": FAULTS, "default": "none"},
        ],
    },
    "batching": "all",
    "follow-up": 2,
}


def log(text):
    print(f"faulty[{os.getpid()}]: {text}", file=sys.stderr, flush=True)


def configure(configuration):
    log("configure")


def run(configuration, batch):
    invitees = batch["invitees"]
    log(f"run with {len(invitees)} invitees")
    fault = configuration["fault"]
    first = invitees[0]["delegation"]["id"] if invitees else "NONE"
    if fault == "crash":
        return 1 / 0
    if fault == "exit":
        sys.exit(3)
    if fault == "signal":
        os.kill(os.getpid(), signal.SIGSEGV)
    if fault == "hang":
        time.sleep(3600)
    if fault == "garbage":
        print("Processing the batch...", flush=True)
        time.sleep(3600)
    if fault == "bad-json":
        sys.stdout.buffer.write(struct.pack(">I", 9) + b"{not json")
        sys.stdout.buffer.flush()
        time.sleep(3600)
    if fault == "oversized":
        sys.stdout.buffer.write(struct.pack(">I", 0x7FFFFFF0) + b"\x00")
        sys.stdout.buffer.flush()
        time.sleep(3600)
    if fault == "wrong-answer":
        greet.write_frame({"type": "ok"})
        return None
    if fault == "bad-effect":
        return [{"type": "send", "delegation": first, "to": "minister@example.org", "subject": "Hi", "language": "en", "text": "Hi"}]
    if fault == "unknown-delegation":
        return [{"type": "set-status", "delegation": "XXX", "track": batch["tracks"][0]["id"], "status": "invited"}]
    if fault == "no-recipient":
        return [{"type": "send", "delegation": first, "to": [], "subject": "Hi", "language": "en", "text": "Hi"}]
    if fault == "unknown-track":
        return [{"type": "set-status", "delegation": first, "track": "no-such-track", "status": "invited"}]
    if fault == "refuse":
        raise greet.StepError("cannot run today")
    effects = []
    for invitee in invitees:
        for track in sorted(invitee["states"]):
            effects.append({"type": "set-status", "delegation": invitee["delegation"]["id"], "track": track, "status": "invited"})
    names = "\n".join(invitee["delegation"]["names"].get("en", invitee["delegation"]["id"]) for invitee in invitees)
    effects.append({"type": "publish", "name": "faulty-invitees.txt", "media-type": "text/plain", "content": names + "\n"})
    return effects


def follow_up(configuration, batch):
    invitees = batch["invitees"]
    log(f"follow-up with {len(invitees)} invitees")
    effects = []
    for invitee in invitees:
        delegation = invitee["delegation"]
        statuses = ", ".join(f"{track}: {state['status']}" for track, state in sorted(invitee["states"].items()))
        effects.append({
            "type": "send",
            "delegation": delegation["id"],
            "to": [{"email": a["email"]} for a in delegation["addresses"] if a["role"] == "principal"],
            "subject": "Your invitation",
            "language": "en",
            "text": f"{statuses}\n",
        })
    return effects


def handshake_fault():
    fault = os.environ.get("FAULTY_HANDSHAKE", "")
    if fault == "garbage":
        print("faulty plugin starting up", flush=True)
        time.sleep(3600)
    if fault == "hang":
        time.sleep(3600)
    if fault == "exit":
        print("faulty: cannot start", file=sys.stderr, flush=True)
        sys.exit(2)
    if fault in ("protocol", "bad-manifest"):
        greet.read_frame()
        if fault == "protocol":
            greet.write_frame({"type": "manifest", "protocol": 2, "manifest": MANIFEST})
        else:
            greet.write_frame({"type": "manifest", "protocol": 1, "manifest": dict(MANIFEST, version="one")})
        time.sleep(3600)


if __name__ == "__main__":
    handshake_fault()
    greet.serve(sys.modules[__name__])
