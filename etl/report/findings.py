"""Validation results as data: one Finding per problem, collected into a Report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters: errors fail the build, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Involved:
    """One cell a cross-table check read: where it is, its value, and the quote behind it."""

    table: str
    id: str
    field: str
    value: str | None
    file: str
    row: int | None
    quote: str | None = None
    source_id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, order=True, slots=True)
class Finding:
    """One problem found in one place: where (file, row, field), what (value), and why.

    Findings of a declared check also carry the check's id and every cell it read.
    """

    file: str
    row: int | None
    field: str | None
    kind: str
    message: str
    value: str | None = None
    severity: Severity = Severity.ERROR
    check: str | None = None
    involved: tuple[Involved, ...] = ()

    def where(self) -> str:
        """`file:row (field)` as far as it is known."""
        place = self.file
        if self.row is not None:
            place += f":{self.row}"
        if self.field:
            place += f" ({self.field})"
        return place

    def render(self) -> str:
        """One line of text: where, what, why."""
        value = f" {self.value!r}:" if self.value is not None else ""
        return f"{self.where()}: {self.severity} [{self.kind}]{value} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (built field by field: asdict is slow on 100k findings)."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "kind": self.kind,
            "message": self.message,
            "value": self.value,
            "severity": str(self.severity),
            "check": self.check,
            "involved": [asdict(item) for item in self.involved],
        }


class Status(StrEnum):
    """Outcome of one declared check."""

    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    NOT_RUN = "not_run"


@dataclass(frozen=True)
class CheckResult:
    """What one declared check concluded, in a sentence."""

    check: str
    kind: str
    description: str
    severity: Severity
    status: Status
    message: str
    #: The `table.field` cells (and "source texts", "cited spans") the check read.
    reads: tuple[str, ...] = ()


@dataclass
class Report:
    """Every finding of a run in the order found, and the outcome of each declared check."""

    findings: list[Finding] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Record one finding."""
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Record several findings."""
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that fail a build."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that do not fail a build."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)
