"""Reading a JSON or YAML descriptor file safely: a syntax error is a finding with its line.

A descriptor comes from anyone, so it is read within limits: lists and mappings nested at
most MAX_DEPTH levels deep (deeper nesting would exhaust Python's stack), and no YAML
anchors or aliases (a few lines of aliases expand into gigabytes: the "billion laughs").
YAML is read by the safe loader, so no tag runs code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from etl.report.catalogue import SCHEMA_ERROR
from etl.report.findings import Finding
from etl.tableschema.descriptor_limits import MAX_DEPTH, TOO_DEEP, Refused

__all__ = ["MAX_DEPTH", "read_descriptor"]

#: A JSON string (its escapes included) or a bracket: what tells the nesting of JSON text.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def read_descriptor(path: Path, shown_path: str) -> tuple[Any, list[Finding]]:
    """Parse a YAML or JSON file safely; a syntax error, nesting deeper than MAX_DEPTH or
    (in YAML) an anchor or alias becomes a finding with its line, and so does a file that
    is missing or not UTF-8. Other errors of reading (OSError) are raised."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, UnicodeDecodeError) as exc:
        return None, [SCHEMA_ERROR.at(shown_path, problem=f"cannot read: {exc}")]
    # Any other OSError (permission denied, an I/O error) is the machine's, not the
    # descriptor's: it goes up to the command, which exits 2 naming the file.
    try:
        if path.suffix == ".json":
            _check_json_depth(text)
            return json.loads(text), []
        from etl.tableschema.descriptor_yaml import load_yaml  # PyYAML: 8 ms to import

        return load_yaml(text), []
    except Refused as exc:
        return None, [SCHEMA_ERROR.at(shown_path, exc.line, problem=exc.problem)]
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} - fix the syntax"
        return None, [SCHEMA_ERROR.at(shown_path, exc.lineno, problem=msg)]
    except ValueError as exc:  # a number of more than 4,300 digits, in JSON or YAML
        kind = "JSON" if path.suffix == ".json" else "YAML"
        msg = f"not a readable {kind} descriptor: {exc} - write the value as a string"
        return None, [SCHEMA_ERROR.at(shown_path, problem=msg)]


def _check_json_depth(text: str) -> None:
    """Refuse JSON text whose lists and objects nest deeper than MAX_DEPTH (json.loads
    would raise RecursionError at about a thousand), naming the line that goes too deep."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        char = text[token.start()]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(text.count("\n", 0, token.start()) + 1, TOO_DEEP)
        elif char in "]}":
            depth -= 1
