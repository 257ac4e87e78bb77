"""Series checks across sources: one declaration per indicator, whatever sources there are:
a cumulative indicator never falls, and reports of one period agree.

Reports are ordered by their publication windows (published_not_before to
published_not_after): one is earlier than another when its latest possible date is before
the other's earliest. Figures are compared on the intervals they allow, naming the bound
that decided.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations
from typing import Any

from etl.build.checks.kinds import INTERVAL_FIELDS
from etl.build.checks.model import (
    CheckContext,
    CheckSpec,
    Outcome,
    UnknownReference,
    finding,
    indicator_id,
    kind,
)
from etl.text.intervals import Interval, Verdict, at_most, overlaps

Window = tuple[date, date]


def _windows(ctx: CheckContext) -> dict[str, Window]:
    """Each dated source's publication window; an undated source is left out."""
    out = {}
    fields = ("source_id", "published_not_before", "published_not_after")
    for r in ctx.rows("sources", *fields):
        start = r["published_not_before"] or r["published_not_after"]
        if start is not None:
            out[r["source_id"]] = (start, r["published_not_after"] or start)
    return out


def _when(window: Window) -> str:
    start, end = window
    return f"published {start}" if start == end else f"published {start} to {end}"


def _label(row: dict[str, Any], window: Window) -> str:
    return f"'{row['figure_as_printed']}' ({row['figure_id']}, {row['source_id']}, {_when(window)})"


def _interval(row: dict[str, Any], window: Window, approximately: float) -> Interval:
    """The interval a figure allows, labelled with its source and publication date."""
    found = Interval.of_figure(row, approximately)
    return Interval(
        found.lower, found.lower_inclusive, found.upper, found.upper_inclusive, _label(row, window)
    )


def _published_indicator(spec: CheckSpec, ctx: CheckContext) -> str:
    """The indicator the check names; UnknownReference when it is not published."""
    indicator = str(spec.params["indicator"])
    known = {r["indicator_id"] for r in ctx.rows("indicators", "indicator_id")}
    if indicator not in known:
        raise UnknownReference(f"the check names indicator '{indicator}', which is not published")
    return indicator


@kind("cumulative_never_falls", indicator_id("indicator"))
def cumulative_never_falls(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """A cumulative indicator never falls from an earlier report to a later one."""
    indicator = _published_indicator(spec, ctx)
    windows = _windows(ctx)
    figures = [
        r
        for r in ctx.rows("figures", "figure_id", "source_id", "indicator_id", *INTERVAL_FIELDS)
        if r["indicator_id"] == indicator and r["source_id"] in windows
    ]
    ordered = []
    for a, b in combinations(figures, 2):
        wa, wb = windows[a["source_id"]], windows[b["source_id"]]
        if wa[1] < wb[0]:
            ordered.append((a, b))
        elif wb[1] < wa[0]:
            ordered.append((b, a))
    if not ordered:
        return Outcome(
            [], "", not_run=f"no two reports of different dates give {indicator} figures"
        )
    findings, undecided = [], 0
    for early, late in sorted(
        ordered, key=lambda p: (windows[p[0]["source_id"]], p[0]["figure_id"])
    ):
        we, wl = windows[early["source_id"]], windows[late["source_id"]]
        before = _interval(early, we, ctx.approximately)
        after = _interval(late, wl, ctx.approximately)
        comparison = at_most(before, after)
        if comparison.verdict is Verdict.FAILS:
            cells = [
                ctx.involved("figures", "figure_id", r["figure_id"], "value") for r in (late, early)
            ]
            message = (
                f"{indicator} is cumulative, but it falls from {before.label} to the later "
                f"{after.label}: {comparison.reason}"
            )
            findings.append(finding(spec, message, cells))
        elif comparison.verdict is Verdict.UNDECIDED:
            undecided += 1
    sources = len({r["source_id"] for pair in ordered for r in pair})
    settled = f"; {undecided} of them the printed bounds cannot settle" if undecided else ""
    return Outcome(
        findings,
        f"{len(ordered)} pairs of {indicator} figures from {sources} reports, earlier to later "
        f"by publication date, never fall{settled}",
    )


@kind("same_period_agree", indicator_id("indicator"))
def same_period_agree(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    """Reports that give one indicator for the same period agree within their intervals."""
    indicator = _published_indicator(spec, ctx)
    windows = _windows(ctx)
    fields = ("figure_id", "source_id", "indicator_id", "period_start", "period_end")
    figures = [
        r
        for r in ctx.rows("figures", *fields, *INTERVAL_FIELDS)
        if r["indicator_id"] == indicator and r["period_start"] and r["period_end"]
    ]
    pairs = [
        (a, b)
        for a, b in combinations(figures, 2)
        if a["source_id"] != b["source_id"]
        and (a["period_start"], a["period_end"]) == (b["period_start"], b["period_end"])
    ]
    if not pairs:
        return Outcome(
            [], "", not_run=f"no two reports give {indicator} figures for the same period"
        )
    findings = []
    for a, b in pairs:
        far = (date.max, date.max)
        first = _interval(a, windows.get(a["source_id"], far), ctx.approximately)
        second = _interval(b, windows.get(b["source_id"], far), ctx.approximately)
        comparison = overlaps(first, second)
        if comparison.verdict is Verdict.FAILS:
            cells = [ctx.involved("figures", "figure_id", r["figure_id"], "value") for r in (b, a)]
            period = f"{a['period_start']} to {a['period_end']}"
            message = f"two reports disagree on {indicator} for {period}: {comparison.reason}"
            findings.append(finding(spec, message, cells))
    return Outcome(
        findings,
        f"{len(pairs)} pairs of {indicator} figures for the same period from different "
        "reports agree within their intervals",
    )
