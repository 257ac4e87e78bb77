"""Stage 5, check: cross-consistency checks declared in schemas/checks.yaml, run over the tables.

A check of a known kind is data (an entry in the YAML file); a new kind is one function in
etl/check_kinds.py registered with @kind("name").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from etl.findings import CheckResult, Finding, Involved, Severity, Status
from etl.load import SourceText
from etl.quotes import Span
from etl.schemas import TableSchema, read_descriptor

CHECKS_FILE = "schemas/checks.yaml"
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class CheckSpec:
    """One declared check: what it is called, says, weighs, reads, and its parameters."""

    id: str
    kind: str
    description: str
    severity: Severity
    reads: tuple[str, ...]
    params: dict[str, Any]
    line: int | None = None


@dataclass
class CheckContext:
    """What checks read: the published tables, where their rows came from, the sources."""

    tables: dict[str, pl.DataFrame]
    schemas: dict[str, TableSchema]
    texts: dict[str, SourceText] = field(default_factory=dict)
    covered: dict[str, list[Span]] = field(default_factory=dict)
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    approximately: float = 0.1

    def row(self, table: str, key: str, value: str) -> dict[str, Any] | None:
        """The row of `table` whose `key` column holds `value`."""
        rows = self.tables[table].filter(pl.col(key) == value).to_dicts()
        return rows[0] if rows else None

    def involved(self, table: str, key: str, row: dict[str, Any], fld: str) -> Involved:
        """A cell a check read, with its raw origin and, for figures, quote and offsets."""
        file, line = self.origins.get((table, row[key]), (f"dist/data/{table}.csv", None))
        shown = (
            row["figure_as_printed"]
            if fld == "value" and "figure_as_printed" in row
            else row.get(fld)
        )
        return Involved(
            table=table,
            id=str(row[key]),
            field=fld,
            value=None if shown is None else str(shown),
            file=file,
            row=line,
            quote=row.get("quote"),
            source_id=row.get("source_id"),
            start=row.get("figure_start", row.get("quote_start")),
            end=row.get("figure_end", row.get("quote_end")),
        )


@dataclass
class Outcome:
    """What one check found, and a sentence saying what it verified."""

    findings: list[Finding]
    message: str


class UnknownReference(LookupError):
    """A check's parameters name a row that the published tables do not have."""


CheckFunction = Callable[[CheckSpec, CheckContext], Outcome]


@dataclass(frozen=True)
class Kind:
    """A registered kind of check: its function and the parameters it needs."""

    name: str
    function: CheckFunction
    params: tuple[str, ...]


KINDS: dict[str, Kind] = {}


def kind(name: str, *params: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under `name`, needing the given parameters."""

    def register(function: CheckFunction) -> CheckFunction:
        KINDS[name] = Kind(name, function, params)
        return function

    return register


def finding(
    spec: CheckSpec,
    message: str,
    involved: Iterable[Involved],
    *,
    severity: Severity | None = None,
) -> Finding:
    """A finding of a check, located at the first cell it involves."""
    cells = tuple(involved)
    first = cells[0] if cells else None
    return Finding(
        file=first.file if first else CHECKS_FILE,
        row=first.row if first else spec.line,
        field=first.field if first else None,
        kind=spec.kind,
        message=message,
        value=first.value if first else None,
        severity=severity or spec.severity,
        check=spec.id,
        involved=cells,
    )


def load_checks(
    path: Path, schemas: dict[str, TableSchema]
) -> tuple[list[CheckSpec], list[Finding]]:
    """The declared checks, each checked for id, kind, severity, reads and parameters."""
    import etl.check_kinds  # noqa: F401 - registers the kinds

    data, problems = read_descriptor(path, CHECKS_FILE)
    if problems:
        return [], problems
    text = path.read_text(encoding="utf-8")
    entries = data.get("checks") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [_spec_problem(None, None, "the file must hold a list under 'checks'")]
    specs: list[CheckSpec] = []
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for entry in entries:
        spec, errors = _parse_spec(entry, text, schemas, seen)
        findings.extend(errors)
        if spec is not None:
            specs.append(spec)
    return specs, findings


def approximately_share(path: Path) -> float:
    """The ± share that checks give "approximately" figures (settings.approximately)."""
    data, _ = read_descriptor(path, CHECKS_FILE)
    settings = data.get("settings", {}) if isinstance(data, dict) else {}
    return float(settings.get("approximately", 0.1))


def _spec_problem(line: int | None, check: str | None, message: str, value: Any = None) -> Finding:
    shown = None if value is None else str(value)
    return Finding(CHECKS_FILE, line, check, "check-declaration", message, shown)


def _parse_spec(
    entry: Any, text: str, schemas: dict[str, TableSchema], seen: dict[str, int]
) -> tuple[CheckSpec | None, list[Finding]]:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return None, [_spec_problem(None, None, "each check needs an 'id'", entry)]
    check_id = entry["id"]
    line = _line_of(text, check_id, seen.get(check_id, 0))
    errors = []
    if not ID_PATTERN.fullmatch(check_id):
        errors.append(_spec_problem(line, "id", "ids are lower-case words joined by -", check_id))
    if check_id in seen:
        errors.append(_spec_problem(line, "id", "two checks have this id - rename one", check_id))
    seen[check_id] = seen.get(check_id, 0) + 1
    name = entry.get("kind")
    if not isinstance(name, str) or name not in KINDS:
        known = ", ".join(sorted(KINDS))
        errors.append(_spec_problem(line, "kind", f"unknown kind - use one of {known}", name))
    severity = entry.get("severity")
    if severity not in ("error", "warning"):
        errors.append(_spec_problem(line, "severity", "severity is error or warning", severity))
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        errors.append(_spec_problem(line, "description", "say in plain words what is checked"))
    reads = entry.get("reads")
    if not isinstance(reads, list) or not reads:
        errors.append(_spec_problem(line, "reads", "list the table.field cells the check reads"))
        reads = []
    for item in reads:
        table, _, column = str(item).partition(".")
        if table not in schemas or column not in schemas[table].field_names:
            errors.append(_spec_problem(line, "reads", "no published table has this field", item))
    params = entry.get("params", {}) or {}
    if not isinstance(params, dict):
        errors.append(_spec_problem(line, "params", "params must be a mapping of name: value"))
    elif isinstance(name, str) and name in KINDS:
        for param in KINDS[name].params:
            if param not in params:
                errors.append(
                    _spec_problem(line, "params", f"kind {name} needs the parameter", param)
                )
    if errors:
        return None, errors
    spec = CheckSpec(
        check_id,
        str(name),
        str(description).strip(),
        Severity(str(severity)),
        tuple(str(r) for r in reads),
        dict(params),
        line,
    )
    return spec, []


def _line_of(text: str, check_id: str, earlier: int = 0) -> int | None:
    """The line of the check's id, skipping `earlier` checks with the same id."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(rf"\bid:\s*{re.escape(check_id)}\s*$", line):
            if earlier == 0:
                return number
            earlier -= 1
    return None


def run_checks(
    specs: list[CheckSpec], ctx: CheckContext
) -> tuple[list[CheckResult], list[Finding]]:
    """Run every declared check: a result per check and every finding, in declaration order."""
    results: list[CheckResult] = []
    findings: list[Finding] = []
    for spec in specs:
        try:
            outcome = KINDS[spec.kind].function(spec, ctx)
        except UnknownReference as exc:
            problem = Finding(
                CHECKS_FILE,
                spec.line,
                "params",
                "check-declaration",
                f"{exc.args[0]} - fix the id in the check's params",
                None,
                Severity.ERROR,
                spec.id,
            )
            outcome = Outcome([problem], "")
        findings.extend(outcome.findings)
        severities = {f.severity for f in outcome.findings}
        if Severity.ERROR in severities:
            status = Status.FAILED
        elif Severity.WARNING in severities:
            status = Status.WARNING
        else:
            status = Status.PASSED
        message = outcome.message
        if outcome.findings:
            message = "; ".join(f.message for f in outcome.findings)
        results.append(
            CheckResult(spec.id, spec.kind, spec.description, spec.severity, status, message)
        )
    return results, findings


def checks_frame(results: list[CheckResult], specs: list[CheckSpec]) -> pl.DataFrame:
    """The published `checks` table: what was verified, and what is in doubt."""
    reads = {s.id: ", ".join(s.reads) for s in specs}
    rows = [
        {
            "check_id": r.check,
            "kind": r.kind,
            "description": r.description,
            "severity": str(r.severity),
            "status": str(r.status),
            "message": r.message,
            "reads": reads.get(r.check, ""),
        }
        for r in results
    ]
    names = ("check_id", "kind", "description", "severity", "status", "message", "reads")
    return pl.DataFrame(rows, schema={n: pl.String for n in names})
