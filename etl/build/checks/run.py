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
from etl.report.findings import CheckResult, Finding, Severity, Status


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
