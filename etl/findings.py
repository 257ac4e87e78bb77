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


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in one place: where (file, row, field), what (value), and why."""

    file: str
    row: int | None
    field: str | None
    kind: str
    message: str
    value: str | None = None
    severity: Severity = Severity.ERROR

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
        """A JSON-ready mapping."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


@dataclass
class Report:
    """Every finding of a run, in the order found."""

    findings: list[Finding] = field(default_factory=list)

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
