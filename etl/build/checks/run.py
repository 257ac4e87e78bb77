"""Running the declared checks over the published tables, and the published `checks` table."""

from __future__ import annotations

import polars as pl

from etl.build.checks.model import (
    CHECKS_FILE,
    KINDS,
    CheckContext,
    CheckSpec,
    Outcome,
    UnknownReference,
)
from etl.report.catalogue import CHECK_REFERENCE
from etl.report.findings import CheckResult, Finding, Report, Severity, Status


def run_checks(
    specs: tuple[CheckSpec, ...], ctx: CheckContext
) -> tuple[list[CheckResult], list[Finding]]:
    """Run every declared check: a result per check (with the fields it read) and every
    finding, in declaration order."""
    results: list[CheckResult] = []
    findings: list[Finding] = []
    for spec in specs:
        ctx.reads = set()
        try:
            outcome = KINDS[spec.kind].function(spec, ctx)
        except UnknownReference as exc:
            problem = CHECK_REFERENCE.at(
                CHECKS_FILE, spec.line, "params", check=spec.id, problem=exc.args[0]
            )
            outcome = Outcome([problem], "")
        findings.extend(outcome.findings)
        severities = {f.severity for f in outcome.findings}
        if outcome.not_run is not None and not outcome.findings:
            status = Status.NOT_RUN
        elif Severity.ERROR in severities:
            status = Status.FAILED
        elif Severity.WARNING in severities:
            status = Status.WARNING
        else:
            status = Status.PASSED
        message = outcome.message if outcome.not_run is None else outcome.not_run
        if outcome.findings:
            message = "; ".join(f.message for f in outcome.findings)
        results.append(
            CheckResult(
                spec.id,
                spec.kind,
                spec.description,
                spec.severity,
                status,
                message,
                tuple(sorted(ctx.reads)),
            )
        )
    return results, findings


def not_run(specs: tuple[CheckSpec, ...], report: Report) -> list[CheckResult]:
    """Every declared check as not run, saying why: the errors found before the checks."""
    first = report.errors[0].where() if report.errors else "an earlier stage"
    reason = (
        f"not run: the build found {len(report.errors)} error(s) before the checks "
        f"(the first at {first}) - fix them and run again"
    )
    return [
        CheckResult(s.id, s.kind, s.description, s.severity, Status.NOT_RUN, reason) for s in specs
    ]


def checks_frame(results: list[CheckResult]) -> pl.DataFrame:
    """The published `checks` table: what was verified, what each check read, what is in doubt."""
    rows = [
        {
            "check_id": r.check,
            "kind": r.kind,
            "description": r.description,
            "severity": str(r.severity),
            "status": str(r.status),
            "message": r.message,
            "reads": ", ".join(r.reads),
        }
        for r in results
    ]
    names = ("check_id", "kind", "description", "severity", "status", "message", "reads")
    return pl.DataFrame(rows, schema={n: pl.String for n in names})
