"""Reading a JSON or YAML descriptor file safely: a syntax error is a finding with its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from etl.report.catalogue import SCHEMA_ERROR
from etl.report.findings import Finding


def read_descriptor(path: Path, shown_path: str) -> tuple[Any, list[Finding]]:
    """Parse a YAML or JSON file safely; a syntax error becomes a finding with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [SCHEMA_ERROR.at(shown_path, problem=f"cannot read: {exc}")]
    try:
        if path.suffix == ".json":
            return json.loads(text), []
        return yaml.safe_load(text), []
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} - fix the syntax"
        return None, [SCHEMA_ERROR.at(shown_path, exc.lineno, problem=msg)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"not valid YAML: {problem} - fix the syntax"
        return None, [SCHEMA_ERROR.at(shown_path, line, problem=msg)]
