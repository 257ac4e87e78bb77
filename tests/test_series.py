"""Series across sources: a cumulative indicator never falls from an earlier report to a
later one, ordered by the reports' publication dates, with no check entry per source."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from etl.build.pipeline import BuildResult, run
from etl.build.settings import Settings
from tests.conftest import DATA
from tests.projects import add_source, copy_project, raw_row_count

PROJECTS = DATA / "projects"
CHECK = "horizon-projects-never-fall"


def build_with(tmp_path: Path, *fixtures: str) -> BuildResult:
    """The real project with the fixture sources added as data only, built in memory."""
    project = copy_project(tmp_path, with_dist=False)
    for fixture in fixtures:
        add_source(project, PROJECTS / fixture)
    return run(Settings.for_project(project), write=False)


def status(result: BuildResult, check: str) -> tuple[str, str]:
    """The status and message of one check in the build's report."""
    (found,) = [c for c in result.report.checks if c.check == check]
    return str(found.status), found.message


def test_the_seed_alone_has_no_series_to_check(tmp_path: Path) -> None:
    """With one report, the series check is not run and says why."""
    result = run(Settings.for_project(copy_project(tmp_path, with_dist=False)), write=False)
    found = [c for c in result.report.checks if c.check == CHECK]
    assert [(c.status, c.message) for c in found] == [
        ("not_run", "no two reports of different dates give horizon2020-projects figures")
    ]


def test_a_rising_series_from_three_reports_passes(tmp_path: Path) -> None:
    """30 (2017, in words, "to date") → 41 (2019) → 59 (the seed, 2022): the series holds."""
    result = build_with(tmp_path, "horizon-series-rises")
    assert result.report.errors == []
    assert status(result, CHECK) == (
        "passed",
        "3 pairs of horizon2020-projects figures from 3 reports, earlier to later by "
        "publication date, never fall",
    )
    english = result.tables["figures"].filter(
        pl.col("source_id").is_in(["fixture-horizon-news-2017", "fixture-horizon-news-2019"])
    )
    assert english.select("figure_id", "value", "period_kind", "period_start").rows() == [
        ("fixture-horizon-projects-2017", 30.0, "as_of_publication", date(2017, 11, 20)),
        ("fixture-horizon-projects-2018", 41.0, "as_of", date(2018, 12, 31)),
    ]


def test_a_later_report_with_fewer_projects_fails_naming_both(tmp_path: Path) -> None:
    """A report of 2023 with 25 projects after the seed's 59 of 2022 is an error naming both."""
    result = build_with(tmp_path, "horizon-series-falls")
    found = [(f.kind, f.file, f.row, f.field, f.value, f.message) for f in result.report.errors]
    assert found == [
        (
            "cumulative_never_falls",
            "raw/figures.csv",
            raw_row_count("figures") + 2,  # the fixture's row, after the project's own
            "value",
            "25",
            "horizon2020-projects is cumulative, but it falls from '59' "
            "(horizon2020-projects-since-2014, by-infomaterial-2023-s4, published 2022-12-19) "
            "to the later '25' (fixture-horizon-projects-2023, fixture-horizon-obzor-2023, "
            "published 2023-03-01): the lower bound of '59' (horizon2020-projects-since-2014, "
            "by-infomaterial-2023-s4, published 2022-12-19), 59, is above the upper bound of "
            "'25' (fixture-horizon-projects-2023, fixture-horizon-obzor-2023, published "
            "2023-03-01), 25",
        )
    ]
    assert status(result, CHECK)[0] == "failed"


def test_reports_are_ordered_by_date_not_by_their_rows(tmp_path: Path) -> None:
    """Added in either order, the three rising reports give the same passing series."""
    result = build_with(tmp_path, "horizon-series-rises")
    project = tmp_path / "again"
    project.mkdir()
    reordered = build_with(project, "horizon-series-falls", "horizon-series-rises")
    assert status(result, CHECK)[0] == "passed"
    failed = [f.message for f in reordered.report.errors]
    assert len(failed) == 3  # 25 of 2023 falls below 59 of 2022, 41 of 2019 and 30 of 2017
    assert all("to the later '25'" in m for m in failed)


def test_two_reports_that_disagree_on_one_period_are_reported(tmp_path: Path) -> None:
    """150 projects in 2021 (an English note) and the seed's 164 in 2021 cannot both be true."""
    result = build_with(tmp_path, "projects-2021-conflict")
    found = [(f.kind, f.file, f.row, f.message) for f in result.report.errors]
    assert found == [
        (
            "same_period_agree",
            "raw/figures.csv",
            raw_row_count("figures") + 2,  # the fixture's row, after the project's own
            "two reports disagree on international-projects for 2021-01-01 to 2021-12-31: "
            "'164' (international-projects-2021, by-infomaterial-2023-s4, published "
            "2022-12-19) allows [164, 164] and '150' (fixture-international-projects-2021, "
            "fixture-projects-note-2022, published 2022-03-01) allows [150, 150]: no value "
            "is in both",
        )
    ]


def test_the_seed_alone_has_no_period_given_twice(tmp_path: Path) -> None:
    """With one report, the agreement check is not run and says why."""
    result = run(Settings.for_project(copy_project(tmp_path, with_dist=False)), write=False)
    assert status(result, "international-projects-agree") == (
        "not_run",
        "no two reports give international-projects figures for the same period",
    )
