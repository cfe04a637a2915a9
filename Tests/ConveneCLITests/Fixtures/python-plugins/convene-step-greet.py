#!/usr/bin/env python3
"""The `greet` step as an out-of-process Convene plugin, in Python with its standard library only.

It does what the Swift plugin in ../ExternalPlugin does: each invitee gets a one-line greeting
in its letter language, and is marked invited on the step's tracks. It speaks the plugin
protocol, version 1: frames of a 4-byte big-endian length and UTF-8 JSON on standard input and
output; anything it has to say to a person goes to standard error.
"""
import json
import struct
import sys

MANIFEST = {
    "id": "greet",
    "version": "1.2.0",
    "summary": "Sends a one-line greeting.",
    "configuration": {
        "type": "object",
        "fields": [
            {"name": "greeting", "type": "per-language", "of": {"type": "string"}, "required": True,
             "summary": "The greeting, per language."},
        ],
    },
}


class StepError(Exception):
    """A request the step refuses; the host fails the step with the message."""


def read_frame():
    header = sys.stdin.buffer.read(4)
    if len(header) < 4:
        return None  # the host closed our standard input: time to go
    (length,) = struct.unpack(">I", header)
    return json.loads(sys.stdin.buffer.read(length))


def write_frame(message):
    body = json.dumps(message).encode("utf-8")
    sys.stdout.buffer.write(struct.pack(">I", len(body)) + body)
    sys.stdout.buffer.flush()


def greetings(configuration):
    texts = {language: text for language, text in (configuration.get("greeting") or {}).items()}
    if not texts:
        raise StepError("greeting: give at least one language")
    return texts


def letter_language(event, delegation):
    return delegation["language"] if delegation["language"] in event["languages"] else event["fallback-language"]


def first(*candidates):
    """The first candidate that is not None, like Swift's `??`."""
    return next(c for c in candidates if c is not None)


def name(delegation, language):
    names = delegation["names"]
    return first(names.get(language), names.get("en"), min(names.values(), default=None), delegation["id"])


def run(configuration, batch):
    texts = greetings(configuration)
    event = batch["event"]
    effects = []
    for invitee in batch["invitees"]:
        delegation = invitee["delegation"]
        language = letter_language(event, delegation)
        text = first(texts.get(language), texts.get(event["fallback-language"]), min(texts.values()))
        effects.append({
            "type": "send",
            "delegation": delegation["id"],
            "to": [{"name": a["name"], "email": a["email"]} for a in delegation["addresses"] if a["role"] == "principal"],
            "subject": text,
            "language": language,
            "text": f"{text}, {name(delegation, language)}.",
        })
        for track in sorted(invitee["states"]):
            effects.append({"type": "set-status", "delegation": delegation["id"], "track": track, "status": "invited"})
    return effects


def serve(step):
    """Answers the host's requests until it says shutdown or closes our input."""
    hello = read_frame()
    if hello is None or hello.get("type") != "hello":
        sys.exit("expected the host's hello")
    write_frame({"type": "manifest", "protocol": 1, "manifest": step.MANIFEST})
    while (request := read_frame()) is not None:
        kind = request.get("type")
        if kind == "shutdown":
            return
        try:
            if kind == "configure":
                step.configure(request["configuration"])
                write_frame({"type": "ok"})
            elif kind == "run":
                write_frame({"type": "effects", "effects": step.run(request["configuration"], request["batch"])})
            elif kind == "follow-up":
                write_frame({"type": "effects", "effects": step.follow_up(request["configuration"], request["batch"])})
            else:
                write_frame({"type": "error", "message": f"unknown request {kind!r}"})
        except StepError as error:
            write_frame({"type": "error", "message": str(error)})


configure = greetings


def follow_up(configuration, batch):
    return []


if __name__ == "__main__":
    serve(sys.modules[__name__])
