"""What a declared check is: its spec, its kind's typed parameters, the context it reads
through (which records every table field read), and the registry of kinds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from etl.build.load import SourceText
from etl.report.catalogue import CATALOGUE, FindingKind, declare
from etl.report.findings import Finding, Involved, Severity
from etl.tableschema.model import TableSchema
from etl.text.quotes import Span

CHECKS_FILE = "schemas/checks.yaml"


@dataclass(frozen=True)
class CheckSpec:
    """One declared check: what it is called, says and weighs, and its parameters (checked
    against its kind's, defaults filled in)."""

    id: str
    kind: str
    description: str
    severity: Severity
    params: dict[str, Any]
    line: int | None = None


@dataclass(frozen=True)
class Param:
    """A parameter of a kind of check: its name, what it must be, and its default when it
    is optional. `problem` says why a value is unfit, or gives None when it is fit."""

    name: str
    what: str
    problem: Callable[[Any], str | None]
    required: bool = True
    default: Any = None


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def figure_id(name: str, *, required: bool = True) -> Param:
    """A parameter naming a published figure by id."""
    return Param(
        name,
        "a figure id",
        lambda v: None if _is_id(v) else "must be a figure id (text)",
        required,
    )


def choice(name: str, *options: str) -> Param:
    """An optional parameter taking one of `options`; the first is the default."""
    listed = ", ".join(options)
    return Param(
        name,
        f"one of {listed}",
        lambda v: None if v in options else f"must be one of {listed}",
        False,
        options[0],
    )


def number(name: str, default: float) -> Param:
    """An optional non-negative number."""

    def problem(value: Any) -> str | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        return None if ok else "must be a number, 0 or more"

    return Param(name, "a number", problem, False, default)


def figure_groups(name: str) -> Param:
    """A list of groups, each a total figure id and a list of part figure ids."""

    def problem(value: Any) -> str | None:
        if not isinstance(value, list) or not value:
            return "must be a list of {total: id, parts: [id, ...]}"
        for group in value:
            if not isinstance(group, dict) or set(group) != {"total", "parts"}:
                return "each group must have exactly 'total' and 'parts'"
            parts = group["parts"]
            if not _is_id(group["total"]) or not isinstance(parts, list) or len(parts) < 2:
                return "each group needs a total figure id and at least two part ids"
            if not all(_is_id(p) for p in parts):
                return "parts must be figure ids"
        return None

    return Param(name, "groups of a total and its parts", problem)


def pairs(name: str) -> Param:
    """A list of pairs of words."""

    def problem(value: Any) -> str | None:
        fit = isinstance(value, list) and all(
            isinstance(p, list) and len(p) == 2 and all(_is_id(w) for w in p) for p in value
        )
        return None if fit and value else "must be a list of pairs such as [implemented, started]"

    return Param(name, "pairs of statuses", problem)


@dataclass
class Outcome:
    """What one check found, and a sentence saying what it verified."""

    findings: list[Finding]
    message: str
    #: Why the check had nothing to check, when it had nothing: it is then not run.
    not_run: str | None = None


class UnknownReference(LookupError):
    """A check's parameters name a row that the published tables do not have."""


@dataclass
class CheckContext:
    """What checks read: the published tables, where their rows came from, the sources.

    Checks read tables through `rows`, `frame` and `figure`, which record each field read,
    so that the `checks` table says truly what every check read.
    """

    tables: dict[str, pl.DataFrame]
    schemas: dict[str, TableSchema]
    texts: dict[str, SourceText] = field(default_factory=dict)
    covered: dict[str, list[Span]] = field(default_factory=dict)
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    approximately: float = 0.1
    reads: set[str] = field(default_factory=set)

    def frame(self, table: str, *fields: str) -> pl.DataFrame:
        """The published table's `fields`, recorded as read."""
        self.reads.update(f"{table}.{name}" for name in fields)
        return self.tables[table].select(fields)

    def rows(self, table: str, *fields: str) -> list[dict[str, Any]]:
        """The published table's rows, with only `fields`, recorded as read."""
        return self.frame(table, *fields).to_dicts()

    def figure(self, figure_id: str, *fields: str) -> dict[str, Any]:
        """One published figure's `fields` (recorded as read), or UnknownReference."""
        found = self.frame("figures", "figure_id", *fields).filter(
            pl.col("figure_id") == str(figure_id)
        )
        if found.is_empty():
            raise UnknownReference(f"the check names figure '{figure_id}', which is not published")
        return found.row(0, named=True)

    def source_texts(self) -> dict[str, SourceText]:
        """The source texts, recorded as read."""
        self.reads.add("source texts")
        return self.texts

    def cited_spans(self, source_id: str) -> list[Span]:
        """The spans of a source that transcribed rows cite, recorded as read."""
        self.reads.add("cited spans")
        return self.covered.get(source_id, [])

    def involved(self, table: str, key: str, row_id: str, fld: str) -> Involved:
        """A cell a check read, located: its raw origin and, for figures, quote and offsets.

        Locating a cell is not reading it: nothing is recorded.
        """
        rows = self.tables[table].filter(pl.col(key) == row_id).to_dicts()
        row: dict[str, Any] = rows[0] if rows else {key: row_id}
        file, line = self.origins.get((table, row_id), (f"dist/data/{table}.csv", None))
        shown = (
            row["figure_as_printed"]
            if fld == "value" and "figure_as_printed" in row
            else row.get(fld)
        )
        return Involved(
            table=table,
            id=str(row_id),
            field=fld,
            value=None if shown is None else str(shown),
            file=file,
            row=line,
            quote=row.get("quote"),
            source_id=row.get("source_id"),
            start=row.get("figure_start", row.get("quote_start")),
            end=row.get("figure_end", row.get("quote_end")),
        )


CheckFunction = Callable[[CheckSpec, CheckContext], Outcome]


@dataclass(frozen=True)
class Kind:
    """A registered kind of check: its function, its typed parameters and its finding kind."""

    name: str
    function: CheckFunction
    params: tuple[Param, ...]
    finding_kind: FindingKind

    def param(self, name: str) -> Param | None:
        """The parameter called `name`, if the kind has one."""
        return next((p for p in self.params if p.name == name), None)


KINDS: dict[str, Kind] = {}


def kind(name: str, *params: Param) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under `name`, with its typed parameters; its docstring's
    first line is the title of the kind of finding it makes."""

    def register(function: CheckFunction) -> CheckFunction:
        title = (function.__doc__ or name).strip().splitlines()[0]
        finding_kind = CATALOGUE.get(name) or declare(name, title, "{problem}", scope="check")
        KINDS[name] = Kind(name, function, params, finding_kind)
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
    return KINDS[spec.kind].finding_kind.at(
        first.file if first else CHECKS_FILE,
        first.row if first else spec.line,
        first.field if first else None,
        first.value if first else None,
        severity=severity or spec.severity,
        check=spec.id,
        involved=cells,
        problem=message,
    )


def indicator_id(name: str) -> Param:
    """A parameter naming a published indicator by id."""
    return Param(
        name, "an indicator id", lambda v: None if _is_id(v) else "must be an indicator id"
    )
