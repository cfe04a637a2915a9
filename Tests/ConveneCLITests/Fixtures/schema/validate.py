#!/usr/bin/env python3
"""Validates workflows against the JSON Schema `convene schema` prints, as an editor's YAML
language server would: YAML 1.2's core schema (dates stay strings), then jsonschema.

  validate.py SCHEMA WORKFLOW...

Prints one line per workflow, `ok` or its errors; exits 1 if any workflow is invalid.
"""
import json
import re
import sys

import jsonschema
import yaml


class CoreLoader(yaml.SafeLoader):
    """YAML 1.2's core schema: timestamps are strings; only true and false are booleans (on,
    off, yes and no are strings)."""


CoreLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = False
    for path in sys.argv[2:]:
        document = yaml.load(open(path, encoding="utf-8"), Loader=CoreLoader)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if errors:
            failed = True
            for error in errors:
                print("%s: %s: %s" % (path, "/".join(str(p) for p in error.path), error.message))
        else:
            print("%s: ok" % path)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
