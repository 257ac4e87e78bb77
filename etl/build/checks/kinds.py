"""The kinds of cross-consistency check, each one function registered with @kind and its
typed parameters. Every kind reads the published tables through the context, which
records what it read."""

from __future__ import annotations

from typing import Any

import polars as pl

from etl.build.checks.model import (
    CheckContext,
    CheckSpec,
    Outcome,
    choice,
    figure_groups,
    figure_id,
    finding,
    kind,
    number,
    pairs,
)
from etl.build.load import SourceText
from etl.report.catalogue import NUMBER_NOT_TRANSCRIBED
from etl.report.findings import Finding, Involved, Severity
from etl.text.intervals import Comparison, Interval, Verdict, at_most, overlaps
from etl.text.quotes import Span, numbers

#: The fields of a figure its interval is made of (etl.text.intervals.Interval.of_figure).
INTERVAL_FIELDS = (
    "figure_as_printed",
    "comparator",
    "value",
    "lower_bound",
    "lower_inclusive",
    "upper_bound",
    "upper_inclusive",
)


def _interval(ctx: CheckContext, figure: str, *more: str) -> tuple[dict[str, Any], Interval]:
    row = ctx.figure(figure, *INTERVAL_FIELDS, *more)
    return row, Interval.of_figure(row, ctx.approximately)


def _cells(ctx: CheckContext, *figures: dict[str, Any], fld: str = "value") -> list[Involved]:
    return [ctx.involved("figures", "figure_id", r["figure_id"], fld) for r in figures]


def _judge(spec: CheckSpec, comparison: Comparison, involved: list[Involved], what: str) -> Outcome:
    """An outcome from a comparison: fails at the check's severity, undecided as a warning."""
    if comparison.verdict is Verdict.HOLDS:
        return Outcome([], f"{what}: holds, because {comparison.reason}")
    if comparison.verdict is Verdict.FAILS:
        return Outcome([finding(spec, f"{what} is false: {comparison.reason}", involved)], "")
    message = f"{what} cannot be decided: {comparison.reason}"
    return Outcome([finding(spec, message, involved, severity=Severity.WARNING)], "")


@kind("compare", figure_id("left"), figure_id("right"), choice("op", "<=", ">=", "overlaps"))
def compare(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """left ≤ right (or `op`: <=, >=, overlaps), on the intervals the figures allow."""
    left, a = _interval(ctx, spec.params["left"])
    right, b = _interval(ctx, spec.params["right"])
    cells = _cells(ctx, left, right)
    match spec.params["op"]:
        case "<=":
            return _judge(spec, at_most(a, b), cells, f"{a.label} ≤ {b.label}")
        case ">=":
            return _judge(spec, at_most(b, a), cells, f"{a.label} ≥ {b.label}")
        case "overlaps":
            return _judge(spec, overlaps(a, b), cells, f"{a.label} can equal {b.label}")
    raise ValueError(f"check {spec.id}: op {spec.params['op']!r} is not declared by compare")


@kind("part_le_whole", figure_id("part"), figure_id("whole"))
def part_le_whole(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """A part never exceeds its whole; a share part is taken of the whole (a share of at most 1)."""
    part, a = _interval(ctx, spec.params["part"], "unit")
    whole, b = _interval(ctx, spec.params["whole"])
    cells = _cells(ctx, part, whole)
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


@kind(
    "listed_count", figure_id("figure"), figure_id("list", required=False), choice("op", "==", "<=")
)
def listed_count(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """The partners listed for a figure match a stated count (op ==), or do not exceed it (<=)."""
    count, stated = _interval(ctx, spec.params["figure"])
    listed_for = spec.params["list"] or spec.params["figure"]
    lister = ctx.figure(listed_for, "partner_list")
    names = (
        ctx.frame("figure_partners", "figure_id", "position", "name_as_printed")
        .filter(pl.col("figure_id") == listed_for)
        .sort("position")
        .get_column("name_as_printed")
        .to_list()
    )
    listed = Interval.point(float(len(names)), f"the {len(names)} listed ({', '.join(names)})")
    cells = [*_cells(ctx, count), *_cells(ctx, lister, fld="partner_list")]
    if spec.params["op"] == "<=":
        return _judge(spec, at_most(listed, stated), cells, f"{listed.label} ≤ {stated.label}")
    if lister["partner_list"] != "complete":
        message = f"{listed.label} cannot be counted against {stated.label}: the list is partial"
        return Outcome([finding(spec, message, cells, severity=Severity.WARNING)], "")
    return _judge(spec, overlaps(listed, stated), cells, f"{listed.label} = {stated.label}")


@kind("sum_equals", figure_groups("groups"))
def sum_equals(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Per group, a total equals the sum of its parts, within the printed figures' rounding."""
    findings: list[Finding] = []
    verified: list[str] = []
    for group in spec.params["groups"]:
        total, whole = _interval(ctx, group["total"])
        parts = [_interval(ctx, p) for p in group["parts"]]
        intervals = [i for _, i in parts]
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
        cells = _cells(ctx, total, *(row for row, _ in parts))
        outcome = _judge(spec, overlaps(whole, summed), cells, f"{whole.label} = {summed.label}")
        findings.extend(outcome.findings)
        verified.append(outcome.message)
    return Outcome(findings, "; ".join(m for m in verified if m))


@kind("dates_in_order")
def dates_in_order(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Every period starts before it ends, and no date is later than its source can speak of."""
    latest = {
        r["source_id"]: r["published_not_before"]
        for r in ctx.rows("sources", "source_id", "published_not_before")
    }
    dated = [
        ("figures", "figure_id", "period_start", r["figure_id"], r)
        for r in ctx.rows("figures", "figure_id", "source_id", "period_start", "period_end")
    ] + [
        ("events", "event_id", "start_date", r["event_id"], r)
        for r in ctx.rows("events", "event_id", "source_id", "start_date", "end_date")
    ]
    findings = []
    count = 0
    for table, key, start_field, row_id, row in dated:
        start = row[start_field]
        end = row["period_end" if table == "figures" else "end_date"]
        if start is None:
            continue
        count += 1
        cell = ctx.involved(table, key, row_id, start_field)
        if end is not None and end < start:
            findings.append(
                finding(spec, f"{row_id} ends on {end}, before it starts on {start}", [cell])
            )
        bound = latest.get(row["source_id"])
        if bound is not None and start > bound:
            findings.append(
                finding(
                    spec,
                    f"{row_id} starts on {start}, after {bound}, the latest date its source "
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


@kind("consistent_statements", pairs("conflicts"))
def consistent_statements(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """A programme stated two ways (implemented, and under way) is reported with both quotes."""
    conflicting = {frozenset(p) for p in spec.params["conflicts"]}
    statements = ctx.frame(
        "programme_statements", "statement_id", "programme_id", "status", "quote"
    )
    findings = []
    for (programme,), group in statements.group_by(["programme_id"], maintain_order=True):
        rows = group.to_dicts()
        for i, first in enumerate(rows):
            for second in rows[i + 1 :]:
                if frozenset((first["status"], second["status"])) not in conflicting:
                    continue
                cells = [
                    ctx.involved(
                        "programme_statements", "statement_id", r["statement_id"], "status"
                    )
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


@kind("derived_recomputed", number("tolerance", 1e-12))
def derived_recomputed(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Each derived figure equals its formula recomputed from the published input figures."""
    tolerance = float(spec.params["tolerance"])
    values = dict(ctx.frame("figures", "figure_id", "value").iter_rows())
    findings = []
    derived = ctx.rows(
        "derived_figures", "derived_id", "formula", "numerator_id", "denominator_id", "value"
    )
    for row in derived:
        expected = values[row["numerator_id"]] / values[row["denominator_id"]]
        if abs(row["value"] - expected) > tolerance * max(abs(expected), 1.0):
            cell = ctx.involved("derived_figures", "derived_id", row["derived_id"], "value")
            findings.append(
                finding(
                    spec,
                    f"{row['derived_id']} is {row['value']!r} but {row['formula']} gives "
                    f"{expected!r}",
                    [cell],
                )
            )
    return Outcome(findings, f"{len(derived)} derived figures match their formulas")


@kind("numbers_accounted")
def numbers_accounted(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Every number in every source is a figure, part of a period or date, or waived."""
    findings = []
    total = 0
    texts = ctx.source_texts()
    for source_id, text in texts.items():
        total += len(numbers(text.text))
        for found in uncovered_numbers(text, ctx.cited_spans(source_id)):
            findings.append(
                NUMBER_NOT_TRANSCRIBED.at(
                    found.file,
                    found.row,
                    None,
                    found.value,
                    severity=spec.severity,
                    check=spec.id,
                    context=found.context,
                )
            )
    return Outcome(findings, f"all {total} numbers of {len(texts)} sources are accounted for")


class Uncovered:
    """A number of a source text that nothing accounts for: where it is, and around it."""

    def __init__(self, file: str, row: int, value: str, context: str) -> None:
        self.file, self.row, self.value, self.context = file, row, value, context


def uncovered_numbers(text: SourceText, covered: list[Span]) -> list[Uncovered]:
    """Every number in a source that no figure, period, event date or waiver accounts for."""
    out = []
    for found in numbers(text.text):
        if any(c.start <= found.start and found.end <= c.end for c in covered):
            continue
        line = text.text.count("\n", 0, found.start) + 1
        context = " ".join(text.text[max(0, found.start - 30) : found.end + 30].split())
        out.append(Uncovered(text.file, line, text.text[found.start : found.end], context))
    return out
