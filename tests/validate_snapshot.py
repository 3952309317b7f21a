#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""validate_snapshot.py SCHEMA < LINES

Check every line on stdin (tracetop -j output, JSON Lines) against the
JSON Schema file SCHEMA. Exit 0 when all lines are valid; otherwise print
the first error with its line number and JSON path on stderr and exit 1.
Exit 2 when the schema itself is broken or jsonschema is missing, so a
broken test set-up is never mistaken for a valid snapshot.
"""
import json
import sys

try:
    import jsonschema
    from jsonschema.validators import validator_for
except ImportError as e:
    print(f"validate_snapshot: {e} (apt-get install python3-jsonschema)",
          file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 2:
        print("usage: validate_snapshot.py SCHEMA < LINES", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1]) as f:
            schema = json.load(f)
        cls = validator_for(schema)
        cls.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"validate_snapshot: {sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    validator = cls(schema)

    n = 0
    for n, line in enumerate(sys.stdin, 1):
        try:
            doc = json.loads(line)
        except ValueError as e:
            print(f"line {n}: not JSON: {e}", file=sys.stderr)
            return 1
        err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
        if err is not None:
            path = "/".join(str(p) for p in err.absolute_path) or "(root)"
            print(f"line {n}: {path}: {err.message}", file=sys.stderr)
            return 1
    if n == 0:
        print("validate_snapshot: no lines to check", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
