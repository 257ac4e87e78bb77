"""Loading schemas/checks.yaml: every check's id, kind, severity, description and typed
parameters, checked when the file is read. An unusable declaration is a usage error (exit
2) naming the check and the parameter, one line each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import etl.build.checks.kinds  # registers the kinds
import etl.build.checks.series  # noqa: F401 - registers the series kinds
from etl.build.checks.model import CHECKS_FILE, KINDS, CheckSpec
from etl.report.errors import DeclarationError
from etl.report.findings import Severity
from etl.tableschema.descriptor import read_descriptor

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ENTRY_KEYS = frozenset({"id", "kind", "description", "severity", "params"})
DEFAULT_APPROXIMATELY = 0.1


@dataclass(frozen=True)
class Declarations:
    """The declared checks, and the ± share checks give "approximately" figures."""

    checks: tuple[CheckSpec, ...]
    approximately: float = DEFAULT_APPROXIMATELY


def load_checks(path: Path) -> Declarations:
    """The checks declared in `path`; DeclarationError listing every problem otherwise."""
    data, problems = read_descriptor(path, CHECKS_FILE)
    if problems:
        raise DeclarationError("\n".join(_line(f.row, None, None, f.message) for f in problems))
    text = path.read_text(encoding="utf-8")
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise DeclarationError(_line(None, None, None, "the file must hold a list under 'checks'"))
    for key in sorted(set(data) - {"checks", "settings"}, key=str):
        errors.append(_line(None, None, key, "is not a property of the checks file"))
    approximately = _approximately(data.get("settings"), errors)
    specs: list[CheckSpec] = []
    seen: dict[str, int] = {}
    lines = _entry_lines(text)
    for index, entry in enumerate(data["checks"], start=1):
        line = lines[index - 1] if index <= len(lines) else None
        spec = _parse_spec(entry, index, line, seen, errors)
        if spec is not None:
            specs.append(spec)
    if errors:
        raise DeclarationError("\n".join(errors))
    return Declarations(tuple(specs), approximately)


def _line(line: int | None, check: str | None, where: str | None, problem: str) -> str:
    """One problem: file:line (check ID, where): problem."""
    place = CHECKS_FILE + (f":{line}" if line else "")
    about = ", ".join(part for part in (f"check {check}" if check else None, where) if part)
    return f"{place}{f' ({about})' if about else ''}: {problem}"


def _approximately(settings: Any, errors: list[str]) -> float:
    if settings is None:
        return DEFAULT_APPROXIMATELY
    if not isinstance(settings, dict) or set(settings) - {"approximately"}:
        errors.append(_line(None, None, "settings", "settings holds only 'approximately'"))
        return DEFAULT_APPROXIMATELY
    share = settings.get("approximately", DEFAULT_APPROXIMATELY)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share < 1:
        errors.append(
            _line(
                None,
                None,
                "settings.approximately",
                f"{share!r} must be a share of at least 0 and less than 1",
            )
        )
        return DEFAULT_APPROXIMATELY
    return float(share)


def _parse_spec(
    entry: Any, index: int, line: int | None, seen: dict[str, int], errors: list[str]
) -> CheckSpec | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        errors.append(_line(None, None, f"check {index}", "each check needs an 'id'"))
        return None
    check_id = entry["id"]
    before = len(errors)

    def problem(where: str, message: str) -> None:
        errors.append(_line(line, check_id, where, message))

    if not ID_PATTERN.fullmatch(check_id):
        problem("id", "ids are lower-case words joined by -")
    if check_id in seen:
        problem("id", "two checks have this id - rename one")
    seen[check_id] = seen.get(check_id, 0) + 1
    for key in sorted(set(entry) - ENTRY_KEYS, key=str):
        problem(key, f"is not a property of a check - use {', '.join(sorted(ENTRY_KEYS))}")
    name = entry.get("kind")
    if not isinstance(name, str) or name not in KINDS:
        problem("kind", f"{name!r} is not a kind - use one of {', '.join(sorted(KINDS))}")
    severity = entry.get("severity")
    if severity not in ("error", "warning"):
        problem("severity", f"{severity!r} is not error or warning")
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        problem("description", "say in plain words what is checked")
    raw = entry.get("params", {})
    raw = {} if raw is None else raw
    params: dict[str, Any] = {}
    if not isinstance(raw, dict):
        problem("params", "params must be a mapping of name: value")
    elif isinstance(name, str) and name in KINDS:
        params = _params(KINDS[name].params, raw, name, problem)
    if len(errors) > before:
        return None
    return CheckSpec(
        check_id, str(name), str(description).strip(), Severity(str(severity)), params, line
    )


def _params(
    declared: tuple[Any, ...], raw: dict[str, Any], name: str, problem: Any
) -> dict[str, Any]:
    """The parameters checked against the kind's, with defaults for those left out."""
    out: dict[str, Any] = {}
    known = {p.name for p in declared}
    for key in sorted(set(raw) - known, key=str):
        listed = ", ".join(sorted(known)) or "none"
        problem(f"params.{key}", f"kind {name} has no such parameter - its parameters: {listed}")
    for param in declared:
        if param.name not in raw:
            if param.required:
                problem(f"params.{param.name}", f"kind {name} needs it: {param.what}")
            out[param.name] = param.default
            continue
        value = raw[param.name]
        why = param.problem(value)
        if why is not None:
            problem(f"params.{param.name}", f"{value!r} {why}")
        out[param.name] = value
    return out


def _entry_lines(text: str) -> list[int | None]:
    """The line each entry of `checks` starts on, as the YAML parser places it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "checks" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []
