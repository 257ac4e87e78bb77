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

import yaml

from etl.report.catalogue import SCHEMA_ERROR
from etl.report.findings import Finding

#: The deepest nesting of lists and mappings a descriptor may have. A data package needs
#: about eight (package, resources, resource, schema, fields, field, constraints, enum).
MAX_DEPTH = 100
#: A JSON string (its escapes included) or a bracket: what tells the nesting of JSON text.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_TOO_DEEP = (
    f"nested deeper than {MAX_DEPTH} levels of lists and mappings - no descriptor needs "
    "that many: remove the extra nesting"
)
_NO_ALIASES = (
    "anchors and aliases are refused in descriptors, as a few of them can expand into "
    "gigabytes: write the value out in full"
)


class _Refused(Exception):
    """A descriptor read no further: the line and the problem."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


class DescriptorLoader(yaml.SafeLoader):
    """The safe YAML loader, refusing anchors, aliases and nesting deeper than MAX_DEPTH.

    The composer builds nodes recursively, one level of Python's stack per level of the
    document: the depth is counted there, before the stack runs out, and an anchor or an
    alias is refused before anything is built from it.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, f"uses the YAML alias *{event.anchor} - {_NO_ALIASES}")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(line, f"defines the YAML anchor &{anchor} - {_NO_ALIASES}")
        if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(line, _TOO_DEEP)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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
        return yaml.load(text, Loader=DescriptorLoader), []
    except _Refused as exc:
        return None, [SCHEMA_ERROR.at(shown_path, exc.line, problem=exc.problem)]
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} - fix the syntax"
        return None, [SCHEMA_ERROR.at(shown_path, exc.lineno, problem=msg)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"not valid YAML: {problem} - fix the syntax"
        return None, [SCHEMA_ERROR.at(shown_path, line, problem=msg)]
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
                raise _Refused(text.count("\n", 0, token.start()) + 1, _TOO_DEEP)
        elif char in "]}":
            depth -= 1
