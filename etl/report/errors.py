"""The project's exceptions: a small family with one common base."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.report.findings import Report


class EtlError(Exception):
    """Base of every error this project raises on purpose."""

    exit_code = 2


class UsageError(EtlError):
    """The command was called wrongly, or a path or setting is unusable."""

    exit_code = 2


class EnvironmentProblem(EtlError):
    """The machine is not fit to run the build (lock held, disk, permissions)."""

    exit_code = 2


class DeclarationError(UsageError):
    """A declaration the build reads (schemas/checks.yaml) is unusable; the message lists why."""

    exit_code = 2


class DataError(EtlError):
    """The input data has errors; the report holds every finding."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"{len(report.errors)} error(s) in the input data")
