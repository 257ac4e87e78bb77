"""Tests for etl.build.provenance: publication dates against their precision, the release
history, and the release a build writes into datapackage.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from etl.build.load import load_tables
from etl.build.pipeline import run
from etl.build.provenance import Release, current_release, publication_findings
from etl.build.settings import Settings
from etl.report.findings import Severity
from etl.tableschema.schema import load_schemas
from etl.tableschema.table import Table
from tests.projects import copy_project


def table(name: str, rows: list[dict[str, Any]]) -> Table:
    """A typed raw table of `rows`, numbered from file row 2."""
    return Table(name, f"raw/{name}.csv", pl.DataFrame(rows), list(range(2, len(rows) + 2)))


def source(precision: str, first: date | None, last: date | None) -> Table:
    """A sources table of one row with these publication facts."""
    row = {
        "published_precision": precision,
        "published_not_before": first,
        "published_not_after": last,
    }
    return table("sources", [row])


@pytest.mark.parametrize(
    ("precision", "first", "last"),
    [
        ("day", date(2019, 4, 3), date(2019, 4, 3)),
        ("month", date(2024, 2, 1), date(2024, 2, 29)),
        ("year", date(2017, 1, 1), date(2017, 12, 31)),
        ("window", date(2022, 12, 19), None),
        ("window", None, date(2023, 6, 30)),
    ],
)
def test_dates_that_fit_their_precision(precision: str, first: date, last: date) -> None:
    """A day, a whole month, a whole year, or a window with at least one bound is fine."""
    assert publication_findings(source(precision, first, last)) == []


@pytest.mark.parametrize(
    ("precision", "first", "last", "message"),
    [
        (
            "day",
            date(2019, 4, 3),
            date(2019, 4, 4),
            "published_precision day needs published_not_before 2019-04-03 and "
            "published_not_after 2019-04-03 for a day starting 2019-04-03",
        ),
        (
            "month",
            date(2024, 2, 1),
            date(2024, 2, 28),
            "published_precision month needs published_not_before 2024-02-01 and "
            "published_not_after 2024-02-29 for a month starting 2024-02-01",
        ),
        (
            "year",
            date(2017, 1, 1),
            None,
            "published_precision year needs both published_not_before and published_not_after",
        ),
        (
            "window",
            None,
            None,
            "published_precision window needs published_not_before, published_not_after or both",
        ),
    ],
)
def test_dates_that_do_not_fit_their_precision(
    precision: str, first: date | None, last: date | None, message: str
) -> None:
    """Dates other than the precision says are one finding on the row, naming the dates."""
    findings = publication_findings(source(precision, first, last))
    assert [(f.kind, f.file, f.row, f.field, f.message) for f in findings] == [
        (
            "publication-date-error",
            "raw/sources.csv",
            2,
            "published_precision",
            f"{message} - fix published_precision or the dates in raw/sources.csv",
        )
    ]
    assert findings[0].value == f"{first or ''}..{last or ''}"


RELEASE_HINT = "give each release in raw/releases.csv the version its change gives, oldest first"


def release(version: str, released: date, change: str) -> dict[str, Any]:
    """A row of raw/releases.csv."""
    return {"version": version, "released": released, "change": change, "summary": "s"}


def test_the_last_release_is_the_one_built() -> None:
    """Each release raises the version by its change; the last one is built."""
    history = table(
        "releases",
        [
            release("0.1.0", date(2026, 1, 1), "initial"),
            release("0.1.1", date(2026, 2, 1), "patch"),
            release("0.2.0", date(2026, 3, 1), "minor"),
            release("1.0.0", date(2026, 3, 1), "major"),
        ],
    )
    assert current_release(history) == (Release("1.0.0", date(2026, 3, 1), "major", "s"), [])
    assert Release("1.0.0", date(2026, 3, 1), "major", "s").created == "2026-03-01T00:00:00Z"


@pytest.mark.parametrize(
    ("rows", "row", "message"),
    [
        (
            [release("1.0.0", date(2026, 1, 1), "minor")],
            2,
            "the first release is 'initial', not 'minor'",
        ),
        (
            [
                release("0.1.0", date(2026, 1, 1), "initial"),
                release("0.2.1", date(2026, 2, 1), "minor"),
            ],
            3,
            "a minor release after 0.1.0 is 0.2.0, not 0.2.1",
        ),
        (
            [
                release("0.1.0", date(2026, 1, 1), "initial"),
                release("0.2.0", date(2026, 2, 1), "initial"),
            ],
            3,
            "only the first release is 'initial'; 0.2.0 follows 0.1.0",
        ),
        (
            [
                release("0.1.0", date(2026, 2, 1), "initial"),
                release("0.1.1", date(2026, 1, 1), "patch"),
            ],
            3,
            "released 2026-01-01, before 0.1.0 (2026-02-01)",
        ),
    ],
)
def test_a_broken_history_is_a_finding(rows: list[dict[str, Any]], row: int, message: str) -> None:
    """A release that does not follow from the one before is a release-error on its row."""
    _, findings = current_release(table("releases", rows))
    assert [(f.kind, f.row, f.field, f.message) for f in findings] == [
        ("release-error", row, "version", f"{message} - {RELEASE_HINT}")
    ]


def test_a_new_release_changes_version_and_created(tmp_path: Path) -> None:
    """Appending a release to raw/releases.csv is all it takes to publish a new version."""
    project = copy_project(tmp_path, with_dist=False)
    releases = project / "raw/releases.csv"
    last = releases.read_text(encoding="utf-8").splitlines()[-1].split(",")[0]
    major, minor, _ = (int(p) for p in last.split("."))
    version = f"{major}.{minor}.1"
    with releases.open("a", encoding="utf-8") as handle:
        handle.write(f"{version},2099-01-31,patch,A correction.\n")
    result = run(Settings.for_project(project), write=True)
    assert result.report.errors == []
    descriptor = json.loads((project / "dist/datapackage.json").read_text(encoding="utf-8"))
    assert (descriptor["version"], descriptor["created"]) == (version, "2099-01-31T00:00:00Z")
    readme = (project / "dist/README.md").read_text(encoding="utf-8")
    assert f"@misc{{{descriptor['name']}-{version}," in readme
    assert "year = {2099}" in readme


def test_version_in_package_yaml_is_refused(tmp_path: Path) -> None:
    """The version has one home, raw/releases.csv: package.yaml saying one is an error."""
    project = copy_project(tmp_path, with_dist=False)
    meta = project / "schemas/package.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "version: 9.9.9\n", encoding="utf-8")
    result = run(Settings.for_project(project), write=False)
    assert [(f.file, f.field, f.message) for f in result.report.errors] == [
        (
            "schemas/package.yaml",
            "version",
            "'version' comes from the last release in raw/releases.csv - remove it here",
        )
    ]


def test_homepage_when_declared_is_published_and_cited(tmp_path: Path) -> None:
    """A homepage in schemas/package.yaml goes into datapackage.json and the BibTeX url."""
    project = copy_project(tmp_path, with_dist=False)
    meta = project / "schemas/package.yaml"
    text = meta.read_text(encoding="utf-8") + "homepage: https://data.example.org/by-science\n"
    meta.write_text(text, encoding="utf-8")
    result = run(Settings.for_project(project), write=True)
    assert result.report.errors == []
    descriptor = json.loads((project / "dist/datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["homepage"] == "https://data.example.org/by-science"
    readme = (project / "dist/README.md").read_text(encoding="utf-8")
    assert "  url = {https://data.example.org/by-science}\n" in readme


def test_a_stated_licence_is_the_text_resource_licence() -> None:
    """A source whose text states a licence has it as its shipped text's `licenses`."""
    from etl.build.package import text_descriptor

    row = {
        "source_id": "press-release",
        "title_en": "A press release",
        "path": "sources/press-release.txt",
        "sha256": "0" * 64,
        "rights": "Published under CC BY 4.0, as its footer says.",
        "licence": "CC-BY-4.0",
    }
    entry = text_descriptor(row, 12)
    assert entry["licenses"] == [{"name": "CC-BY-4.0"}]
    assert (entry["bytes"], entry["hash"], entry["rights"]) == (
        12,
        f"sha256:{'0' * 64}",
        "Published under CC BY 4.0, as its footer says.",
    )
    assert "licenses" not in text_descriptor({**row, "licence": None}, 12)


@pytest.mark.parametrize("field", ["language", "title_language"])
@pytest.mark.parametrize("language", ["be", "en", "de"])
def test_a_source_is_ru_be_or_en(tmp_path: Path, field: str, language: str) -> None:
    """A source's text and title may be Russian, Belarusian or English, and nothing else."""
    from tests.projects import edit_cell

    project = copy_project(tmp_path, with_dist=False)
    sources = project / "raw/sources.csv"
    source_id = sources.read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    edit_cell(sources, source_id, field, language)
    schemas, _ = load_schemas(project / "schemas/raw", "schemas/raw")
    _, findings = load_tables(Settings.for_project(project), {"sources": schemas["sources"]})
    # The table alone: a whole build would go on to read the seed's Russian figures as
    # Belarusian or English, which the text layer decides (test_figures_languages.py).
    errors = [f for f in findings if f.severity is Severity.ERROR]
    found = [(f.file, f.row, f.field, f.kind, f.value, f.message) for f in errors]
    refused = (
        "raw/sources.csv",
        2,
        field,
        "constraint-error",
        "de",
        "is not one of ru, be, en - use one of the listed values",
    )
    assert found == ([refused] if language == "de" else [])
