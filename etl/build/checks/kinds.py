"""The kinds of cross-consistency check, each one function registered with @kind and its
typed parameters. Every kind reads the published tables through the context, which
records what it read."""

from __future__ import annotations

from datetime import date
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
    """Every period starts no later than it ends, and within what its source can speak of."""
    windows = {
        r["source_id"]: (r["published_not_before"], r["published_not_after"])
        for r in ctx.rows("sources", "source_id", "published_not_before", "published_not_after")
    }
    findings = []
    for source_id, (before, after) in windows.items():
        if before is not None and after is not None and after < before:
            cell = ctx.involved("sources", "source_id", source_id, "published_not_after")
            message = (
                f"source {source_id} has published_not_after {after}, before its "
                f"published_not_before {before} - fix the publication window"
            )
            findings.append(finding(spec, message, [cell]))
    dated = [
        ("figures", "figure_id", ("period_start", "period_end"), r)
        for r in ctx.rows("figures", "figure_id", "source_id", "period_start", "period_end")
    ] + [
        ("events", "event_id", ("start_date", "end_date"), r)
        for r in ctx.rows("events", "event_id", "source_id", "start_date", "end_date")
    ]
    count = 0
    for table, key, (start_field, end_field), row in dated:
        start, end = row[start_field], row[end_field]
        if start is None:
            continue
        count += 1
        for problem, field in _date_problems(row[key], start, end, windows[row["source_id"]]):
            cell = ctx.involved(
                table, key, row[key], start_field if field == "start" else end_field
            )
            findings.append(finding(spec, problem, [cell]))
    if count == 0:
        return Outcome(findings, "", not_run="no figure or event has a date to check")
    return Outcome(
        findings,
        f"{count} dated rows start no later than they end and than the latest date their "
        "source speaks of, and end no later than the end of that date's year; every "
        "source's publication window is in order",
    )


def _date_problems(
    row_id: str, start: date, end: date | None, window: tuple[date | None, date | None]
) -> list[tuple[str, str]]:
    """What is wrong with one dated row, each with "start" or "end": the bound that failed.

    The latest date a source speaks of is published_not_after when known, else
    published_not_before. A period may run on past it to the end of that year (a text
    of December 2022 speaks of "2022"), never into a later year.
    """
    before, after = window
    latest = after or before
    out = []
    if end is not None and end < start:
        out.append((f"{row_id} ends on {end}, before it starts on {start}", "start"))
    if latest is not None and start > latest:
        bound = "published_not_after" if after else "published_not_before"
        out.append(
            (
                f"{row_id} starts on {start}, after {latest}, the latest date its source "
                f"speaks of ({bound}) - fix the date or the source's {bound}",
                "start",
            )
        )
    if latest is not None and end is not None and end > date(latest.year, 12, 31):
        bound = "published_not_after" if after else "published_not_before"
        out.append(
            (
                f"{row_id} ends on {end}, after the end of {latest.year}, the year of the "
                f"latest date its source speaks of ({bound}, {latest}) - a report states no "
                "fact of a later year; fix the date or the source's window",
                "end",
            )
        )
    return out


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
    if statements.height == 0:
        return Outcome([], "", not_run="no programme statement to compare")
    return Outcome(findings, f"no programme of {statements.height} statements is stated two ways")


@kind("derived_recomputed", number("tolerance", 1e-12))
def derived_recomputed(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Each derived figure agrees with its printed inputs: its value lies within what their
    printed bounds allow, its bounds are those bounds, and its unit and currency follow."""
    tolerance = float(spec.params["tolerance"])
    inputs = {
        r["figure_id"]: r
        for r in ctx.rows("figures", "figure_id", "lower_bound", "upper_bound", "unit", "currency")
    }
    derived = ctx.rows(
        "derived_figures",
        "derived_id",
        "numerator_id",
        "denominator_id",
        "value",
        "lower_bound",
        "upper_bound",
        "unit",
        "currency",
    )
    findings = []
    for row in derived:
        top, bottom = inputs[row["numerator_id"]], inputs[row["denominator_id"]]
        cell = ctx.involved("derived_figures", "derived_id", row["derived_id"], "value")
        for problem in _derived_problems(row, top, bottom, tolerance):
            findings.append(finding(spec, f"{row['derived_id']}: {problem}", [cell]))
    if not derived:
        return Outcome([], "", not_run="no derived figure to check")
    return Outcome(
        findings,
        f"{len(derived)} derived figures lie within the bounds their printed inputs allow, "
        "publish those bounds, and carry their inputs' units",
    )


def _derived_problems(
    row: dict[str, Any], top: dict[str, Any], bottom: dict[str, Any], tolerance: float
) -> list[str]:
    """What a ratio claims that its printed inputs do not bear out."""
    out = []
    lows = (top["lower_bound"], bottom["upper_bound"])
    highs = (top["upper_bound"], bottom["lower_bound"])
    if None not in lows and None not in highs and highs[1] > 0:
        lower, upper = lows[0] / lows[1], highs[0] / highs[1]
        slack = tolerance * max(abs(upper), 1.0)
        if not lower - slack <= row["value"] <= upper + slack:
            out.append(
                f"the value {row['value']!r} is outside [{lower!r}, {upper!r}], what the "
                "printed bounds of its inputs allow"
            )
        for name, expected in (("lower_bound", lower), ("upper_bound", upper)):
            published = row[name]
            if published is None or abs(published - expected) > slack:
                out.append(f"its {name} is {published!r}, its inputs' bounds give {expected!r}")
    if top["currency"] and bottom["currency"] and top["currency"] != bottom["currency"]:
        out.append(f"it divides {top['currency']} by {bottom['currency']}")
    same = top["unit"] == bottom["unit"]
    unit_ok = row["unit"] == "times" if same else row["unit"].startswith(f"{top['unit']} per ")
    if not unit_ok:
        out.append(
            f"its unit {row['unit']!r} does not follow from {top['unit']!r} / {bottom['unit']!r}"
        )
    currency = None if same or bottom["currency"] else top["currency"]
    if row["currency"] != currency:
        out.append(f"its currency is {row['currency']!r}, its inputs give {currency!r}")
    return out


@kind("numbers_accounted")
def numbers_accounted(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Every number in every source is a figure, part of a period or date, or waived."""
    findings = []
    total = 0
    texts = ctx.source_texts()
    sources = ctx.rows("sources", "source_id", "language") if "sources" in ctx.tables else []
    languages = {r["source_id"]: r["language"] for r in sources}
    for source_id, text in texts.items():
        language = languages.get(source_id)
        total += len(numbers(text.text, language))
        for found in uncovered_numbers(text, ctx.cited_spans(source_id), language):
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
    if total == 0:
        return Outcome([], "", not_run=f"the {len(texts)} source texts hold no number")
    return Outcome(findings, f"all {total} numbers of {len(texts)} sources are accounted for")


class Uncovered:
    """A number of a source text that nothing accounts for: where it is, and around it."""

    def __init__(self, file: str, row: int, value: str, context: str) -> None:
        self.file, self.row, self.value, self.context = file, row, value, context


def uncovered_numbers(
    text: SourceText, covered: list[Span], language: str | None = None
) -> list[Uncovered]:
    """Every number in a source that no figure, period, event date or waiver accounts for
    (with a `language`, numbers printed in its words too)."""
    out = []
    for found in numbers(text.text, language):
        if any(c.start <= found.start and found.end <= c.end for c in covered):
            continue
        line = text.text.count("\n", 0, found.start) + 1
        context = " ".join(text.text[max(0, found.start - 30) : found.end + 30].split())
        out.append(Uncovered(text.file, line, text.text[found.start : found.end], context))
    return out
