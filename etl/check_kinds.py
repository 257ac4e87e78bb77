"""The kinds of cross-consistency check, each one function registered by name with @kind."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

from etl.check import CheckContext, CheckSpec, Outcome, UnknownReference, finding, kind
from etl.findings import Finding, Involved, Severity
from etl.intervals import Comparison, Interval, Verdict, at_most, overlaps
from etl.load import SourceText
from etl.quotes import Span, numbers


def _figure(ctx: CheckContext, spec: CheckSpec, figure_id: str) -> dict[str, Any]:
    row = ctx.row("figures", "figure_id", str(figure_id))
    if row is None:
        raise UnknownReference(f"the check names figure '{figure_id}', which is not published")
    return row


def _judge(spec: CheckSpec, comparison: Comparison, involved: list[Involved], what: str) -> Outcome:
    """An outcome from a comparison: fails at the check's severity, undecided as a warning."""
    if comparison.verdict is Verdict.HOLDS:
        return Outcome([], f"{what}: holds, because {comparison.reason}")
    if comparison.verdict is Verdict.FAILS:
        return Outcome([finding(spec, f"{what} is false: {comparison.reason}", involved)], "")
    message = f"{what} cannot be decided: {comparison.reason}"
    return Outcome([finding(spec, message, involved, severity=Severity.WARNING)], "")


@kind("compare", "left", "right")
def compare(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """left ≤ right (or `op`: <=, >=, overlaps), on the intervals the figures allow."""
    left, right = _figure(ctx, spec, spec.params["left"]), _figure(ctx, spec, spec.params["right"])
    a = Interval.of_figure(left, ctx.approximately)
    b = Interval.of_figure(right, ctx.approximately)
    op = spec.params.get("op", "<=")
    cells = [ctx.involved("figures", "figure_id", r, "value") for r in (left, right)]
    if op == "<=":
        return _judge(spec, at_most(a, b), cells, f"{a.label} ≤ {b.label}")
    if op == ">=":
        return _judge(spec, at_most(b, a), cells, f"{a.label} ≥ {b.label}")
    if op == "overlaps":
        return _judge(spec, overlaps(a, b), cells, f"{a.label} can equal {b.label}")
    raise ValueError(f"check {spec.id}: unknown op {op!r}")


@kind("part_le_whole", "part", "whole")
def part_le_whole(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """A part never exceeds its whole; a share part is taken of the whole (a share of at most 1)."""
    part, whole = _figure(ctx, spec, spec.params["part"]), _figure(ctx, spec, spec.params["whole"])
    cells = [ctx.involved("figures", "figure_id", r, "value") for r in (part, whole)]
    a = Interval.of_figure(part, ctx.approximately)
    b = Interval.of_figure(whole, ctx.approximately)
    if part["unit"].startswith("share"):
        one = Interval.point(1.0, "the whole (a share of 1)")
        above_one = a.lower is not None and (
            a.lower > 1 or (a.lower == 1 and not a.lower_inclusive)
        )
        # A share is at most 1 by definition: an open upper side closes there, unless the
        # share's own lower bound is already past it (then the check must fail).
        share = (
            a
            if a.upper is not None or above_one
            else Interval(a.lower, a.lower_inclusive, 1.0, True, a.label)
        )
        implied = share.scaled(b, f"{a.label} of {b.label}")
        outcome = _judge(spec, at_most(share, one), cells, f"{a.label} ≤ the whole")
        if not outcome.findings:
            printed = share.scaled(Interval.point(whole["value"], ""), "")
            outcome.message = (
                f"{a.label} of {b.label} is {printed.describe()} as printed and "
                f"{implied.describe()} within the bounds checks give {b.label}; "
                f"a share of {share.describe()} never exceeds the whole"
            )
        return outcome
    return _judge(spec, at_most(a, b), cells, f"{a.label} ≤ {b.label}")


@kind("listed_count", "figure")
def listed_count(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """The partners listed for a figure match a stated count (op ==), or do not exceed it (<=)."""
    count = _figure(ctx, spec, spec.params["figure"])
    listed_for = spec.params.get("list", spec.params["figure"])
    lister = _figure(ctx, spec, listed_for)
    names = (
        ctx.tables["figure_partners"]
        .filter(pl.col("figure_id") == listed_for)
        .sort("position")
        .get_column("name_as_printed")
        .to_list()
    )
    listed = Interval.point(float(len(names)), f"the {len(names)} listed ({', '.join(names)})")
    stated = Interval.of_figure(count, ctx.approximately)
    cells = [
        ctx.involved("figures", "figure_id", count, "value"),
        ctx.involved("figures", "figure_id", lister, "partner_list"),
    ]
    op = spec.params.get("op", "==")
    if op == "<=":
        return _judge(spec, at_most(listed, stated), cells, f"{listed.label} ≤ {stated.label}")
    if lister["partner_list"] != "complete":
        message = f"{listed.label} cannot be counted against {stated.label}: the list is partial"
        return Outcome([finding(spec, message, cells, severity=Severity.WARNING)], "")
    return _judge(spec, overlaps(listed, stated), cells, f"{listed.label} = {stated.label}")


@kind("sum_equals", "groups")
def sum_equals(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Per group, a total equals the sum of its parts, within the printed figures' rounding."""
    findings: list[Finding] = []
    verified: list[str] = []
    for group in spec.params["groups"]:
        total = _figure(ctx, spec, group["total"])
        parts = [_figure(ctx, spec, p) for p in group["parts"]]
        intervals = [Interval.of_figure(p, ctx.approximately) for p in parts]
        lower = (
            None
            if any(i.lower is None for i in intervals)
            else sum(i.lower for i in intervals if i.lower is not None)
        )
        upper = (
            None
            if any(i.upper is None for i in intervals)
            else sum(i.upper for i in intervals if i.upper is not None)
        )
        summed = Interval(
            lower,
            all(i.lower_inclusive for i in intervals),
            upper,
            all(i.upper_inclusive for i in intervals),
            "the sum of " + " + ".join(i.label for i in intervals),
        )
        whole = Interval.of_figure(total, ctx.approximately)
        cells = [ctx.involved("figures", "figure_id", r, "value") for r in (total, *parts)]
        outcome = _judge(spec, overlaps(whole, summed), cells, f"{whole.label} = {summed.label}")
        findings.extend(outcome.findings)
        verified.append(outcome.message)
    return Outcome(findings, "; ".join(m for m in verified if m))


def _dated_rows(
    ctx: CheckContext,
) -> list[tuple[str, str, dict[str, Any], date | None, date | None]]:
    rows = []
    for r in ctx.tables["figures"].iter_rows(named=True):
        rows.append(("figures", "figure_id", r, r["period_start"], r["period_end"]))
    for r in ctx.tables["events"].iter_rows(named=True):
        rows.append(("events", "event_id", r, r["start_date"], r["end_date"]))
    return rows


@kind("dates_in_order")
def dates_in_order(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Every period starts before it ends, and no date is later than its source can speak of."""
    latest = {
        r["source_id"]: r["published_not_before"]
        for r in ctx.tables["sources"].iter_rows(named=True)
    }
    findings = []
    count = 0
    for table, key, row, start, end in _dated_rows(ctx):
        if start is None:
            continue
        count += 1
        cell = ctx.involved(table, key, row, "period_start" if table == "figures" else "start_date")
        if end is not None and end < start:
            findings.append(
                finding(spec, f"{row[key]} ends on {end}, before it starts on {start}", [cell])
            )
        bound = latest.get(row["source_id"])
        if bound is not None and start > bound:
            findings.append(
                finding(
                    spec,
                    f"{row[key]} starts on {start}, after {bound}, the latest date its source "
                    f"{row['source_id']} is recorded to mention (published_not_before) - fix the "
                    "date or the source's published_not_before",
                    [cell],
                )
            )
    return Outcome(
        findings,
        f"{count} dated rows start no later than they end and no later "
        "than their source's published_not_before",
    )


@kind("consistent_statements", "conflicts")
def consistent_statements(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """A programme stated two ways (implemented, and under way) is reported with both quotes."""
    pairs = {frozenset(p) for p in spec.params["conflicts"]}
    statements = ctx.tables["programme_statements"]
    findings = []
    for (programme,), group in statements.group_by(["programme_id"], maintain_order=True):
        rows = group.to_dicts()
        for i, first in enumerate(rows):
            for second in rows[i + 1 :]:
                if frozenset((first["status"], second["status"])) not in pairs:
                    continue
                cells = [
                    ctx.involved("programme_statements", "statement_id", r, "status")
                    for r in (first, second)
                ]
                quotes = " / ".join(f'"{" ".join(r["quote"].split())}"' for r in (first, second))
                findings.append(
                    finding(
                        spec,
                        f"programme {programme} is stated as {first['status']} and as "
                        f"{second['status']}: {quotes}",
                        cells,
                    )
                )
    return Outcome(findings, f"no programme of {statements.height} statements is stated two ways")


@kind("derived_recomputed")
def derived_recomputed(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Each derived figure equals its formula recomputed from the published input figures."""
    tolerance = float(spec.params.get("tolerance", 1e-12))
    values = dict(ctx.tables["figures"].select("figure_id", "value").iter_rows())
    findings = []
    derived = ctx.tables["derived_figures"]
    for row in derived.iter_rows(named=True):
        expected = values[row["numerator_id"]] / values[row["denominator_id"]]
        if abs(row["value"] - expected) > tolerance * max(abs(expected), 1.0):
            cell = ctx.involved("derived_figures", "derived_id", row, "value")
            findings.append(
                finding(
                    spec,
                    f"{row['derived_id']} is {row['value']!r} but {row['formula']} gives "
                    f"{expected!r}",
                    [cell],
                )
            )
    return Outcome(findings, f"{derived.height} derived figures match their formulas")


@kind("csv_parquet_parity")
def csv_parquet_parity(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Every published table written as CSV and as Parquet reads back to the same frame."""
    from etl.publish import read_back, write_csv, write_parquet

    findings = []
    for name, frame in ctx.tables.items():
        csv, parquet = io.BytesIO(), io.BytesIO()
        write_csv(frame, csv)
        write_parquet(frame, parquet)
        csv.seek(0)
        parquet.seek(0)
        try:
            assert_frame_equal(
                read_back(csv, ctx.schemas[name]), pl.read_parquet(parquet), check_exact=True
            )
        except AssertionError as exc:
            cell = Involved(name, "", "", None, f"dist/data/{name}.csv", None)
            findings.append(
                finding(
                    spec,
                    f"the CSV and the Parquet of {name} differ: " + " ".join(str(exc).split()),
                    [cell],
                )
            )
    return Outcome(findings, f"{len(ctx.tables)} tables read back the same from CSV and Parquet")


@kind("numbers_accounted")
def numbers_accounted(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Every number in every source is a figure, part of a period or date, or waived."""
    findings = []
    total = 0
    for source_id, text in ctx.texts.items():
        total += len(numbers(text.text))
        for found in uncovered_numbers(text, ctx.covered.get(source_id, [])):
            findings.append(
                Finding(
                    found.file,
                    found.row,
                    found.field,
                    spec.kind,
                    found.message,
                    found.value,
                    spec.severity,
                    spec.id,
                )
            )
    return Outcome(findings, f"all {total} numbers of {len(ctx.texts)} sources are accounted for")


def uncovered_numbers(text: SourceText, covered: list[Span]) -> list[Finding]:
    """Every number in a source that no figure, period, event date or waiver accounts for."""
    out = []
    for number in numbers(text.text):
        if any(c.start <= number.start and number.end <= c.end for c in covered):
            continue
        line = text.text.count("\n", 0, number.start) + 1
        context = " ".join(text.text[max(0, number.start - 30) : number.end + 30].split())
        out.append(
            Finding(
                text.file,
                line,
                None,
                "number-not-transcribed",
                f"the number stands in '…{context}…' but no figure, period, event date or waiver "
                "accounts for it - transcribe it in raw/figures.csv or waive it in raw/waivers.csv",
                text.text[number.start : number.end],
            )
        )
    return out
