"""Where the package comes from: the published sources table (each text shipped inside the
package as sources/ID.txt), publication dates checked against their stated precision, and
the release the package is built as (its version and created date, from raw/releases.csv)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from etl.build.load import SourceText
from etl.report.catalogue import PUBLICATION_DATE_ERROR, RELEASE_ERROR
from etl.report.findings import Finding
from etl.tableschema.table import Table


def shipped_path(source_id: str) -> str:
    """Where the text of a source stands inside the published package."""
    return f"sources/{source_id}.txt"


def text_resource_name(source_id: str) -> str:
    """The datapackage.json resource name of a source's shipped text."""
    return f"source-{source_id}"


def sources_table(table: Table, texts: dict[str, SourceText]) -> pl.DataFrame:
    """The published sources: the raw rows, each pointing at its text as shipped, with the
    text's length in code points (what the offsets of the other tables count)."""
    lengths = {sid: len(t.text) for sid, t in texts.items()}
    shipped = [shipped_path(sid) for sid in table.frame.get_column("source_id")]
    frame = table.frame.with_columns(pl.Series("path", shipped, dtype=pl.String))
    return frame.select(
        "source_id",
        "language",
        "title_as_printed",
        "title_language",
        "title_en",
        "section",
        "author",
        "publisher",
        "url",
        "published_precision",
        "published_not_before",
        "published_not_after",
        "accessed",
        "licence",
        "rights",
        "path",
        "sha256",
        pl.col("source_id")
        .replace_strict(lengths, default=None, return_dtype=pl.Int64)
        .alias("characters"),
        "rouble_currency",
        "rouble_note",
        "note",
    )


def _window_problem(precision: str, first: date | None, last: date | None) -> str | None:
    """What is wrong with the dates for the precision stated, if anything."""
    if precision == "window":
        return None if first or last else "needs published_not_before, published_not_after or both"
    if first is None or last is None:
        return "needs both published_not_before and published_not_after"
    if precision == "day":
        expected = (first, first)
    elif precision == "month":
        end = calendar.monthrange(first.year, first.month)[1]
        expected = (first.replace(day=1), first.replace(day=end))
    else:
        expected = (date(first.year, 1, 1), date(first.year, 12, 31))
    if (first, last) == expected:
        return None
    return (
        f"needs published_not_before {expected[0]} and published_not_after {expected[1]} "
        f"for a {precision} starting {first}"
    )


def publication_findings(table: Table) -> list[Finding]:
    """Each source's publication dates must be what its published_precision says."""
    out = []
    for row, r in table.records():
        precision = r["published_precision"]
        first, last = r["published_not_before"], r["published_not_after"]
        problem = _window_problem(precision, first, last)
        if problem is not None:
            value = f"{first or ''}..{last or ''}"
            out.append(
                PUBLICATION_DATE_ERROR.at(
                    table.file,
                    row,
                    "published_precision",
                    value,
                    precision=precision,
                    problem=problem,
                )
            )
    return out


@dataclass(frozen=True)
class Release:
    """A release of the data package, as declared in raw/releases.csv."""

    version: str
    released: date
    change: str
    summary: str

    @property
    def created(self) -> str:
        """The package's `created` datetime: the release day at 00:00 UTC."""
        return f"{self.released.isoformat()}T00:00:00Z"


def _parts(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def _next(previous: str, change: str) -> str:
    """The version a change of `change` makes of `previous`, by the version rule."""
    major, minor, patch = _parts(previous)
    if change == "major":
        return f"{major + 1}.0.0"
    if change == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def current_release(table: Table) -> tuple[Release | None, list[Finding]]:
    """The release being built (the last row) and what is wrong with the history: the first
    release is `initial`, each later one raises the version by its change, never earlier."""
    out: list[Finding] = []
    previous: dict[str, Any] | None = None
    for row, r in table.records():
        problem = None
        if previous is None and r["change"] != "initial":
            problem = f"the first release is 'initial', not {r['change']!r}"
        elif previous is not None and r["change"] == "initial":
            problem = (
                f"only the first release is 'initial'; {r['version']} follows {previous['version']}"
            )
        elif previous is not None and r["version"] != _next(previous["version"], r["change"]):
            expected = _next(previous["version"], r["change"])
            problem = (
                f"a {r['change']} release after {previous['version']} is {expected}, "
                f"not {r['version']}"
            )
        elif previous is not None and r["released"] < previous["released"]:
            problem = (
                f"released {r['released']}, before {previous['version']} ({previous['released']})"
            )
        if problem is not None:
            out.append(RELEASE_ERROR.at(table.file, row, "version", r["version"], problem=problem))
        previous = r
    if previous is None:
        problem = "there is no release: add the one being built"
        return None, [RELEASE_ERROR.at(table.file, problem=problem)]
    last = previous
    return Release(last["version"], last["released"], last["change"], last["summary"]), out
