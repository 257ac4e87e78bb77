"""A new source is data only: added to a copy of the project, it builds and the tests pass."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl

from etl.build.pipeline import run
from etl.build.settings import Settings
from tests.conftest import DATA
from tests.projects import (
    ROOT,
    add_source,
    copy_project,
    drop_rows,
    raw_row_count,
    tree_digest,
)

SECOND_SOURCE = DATA / "projects" / "second-source-data-only"
# The tests that read the real project's raw/ and dist/, run again on the copy.
DATA_TESTS = (
    "tests/test_readers.py",
    "tests/test_transform.py",
    "tests/test_check_declarations.py",
    "tests/test_pipeline.py::test_build_reproduces_committed_dist_byte_for_byte",
)


def test_second_source_with_data_only_builds(tmp_path: Path) -> None:
    """A second source's text and rows, and nothing else, go through every stage and check."""
    project = copy_project(tmp_path, with_dist=False)
    figures_before = raw_row_count("figures", project)
    add_source(project, SECOND_SOURCE)
    result = run(Settings.for_project(project), write=False)
    assert result.report.errors == []
    figures = result.tables["figures"]
    assert figures.height == figures_before + 4
    added = figures.filter(pl.col("source_id") == "fixture-institute-review-2023")
    assert added.select("figure_id", "value", "comparator", "currency").rows() == [
        ("fixture-joint-projects-2023", 12.0, "exact", None),
        ("fixture-joint-project-funding-2023", 2_000_000.0, "more_than", "RUB"),
        ("fixture-joint-laboratories", 5.0, "exact", None),
        ("fixture-programme-directions", 7.0, "exact", None),
    ]
    waived = result.tables["waivers"].filter(pl.col("source_id") == "fixture-institute-review-2023")
    assert waived.select("number", "quote").rows() == [("64", "Программа «Наука64»")]
    checks = dict(result.tables["checks"].select("check_id", "status").iter_rows())
    assert checks["every-number-accounted-for"] == "passed"


def _project_with_code(target: Path) -> Path:
    """A copy of the whole project, code and tests included, to run the test suite in."""
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", ".*_cache", ".hypothesis")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def test_data_tests_pass_on_a_project_with_a_second_source(tmp_path: Path) -> None:
    """With a source added as data only and dist/ rebuilt, the tests of the real data pass."""
    project = _project_with_code(tmp_path / "project")
    code_before = {name: tree_digest(project / name) for name in ("etl", "tests")}
    add_source(project, SECOND_SOURCE)
    build = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--project", str(project)],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATA_TESTS],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert {name: tree_digest(project / name) for name in ("etl", "tests")} == code_before


def test_a_figure_stated_for_now_takes_the_publication_date(tmp_path: Path) -> None:
    """A figure printed with "Уже" is dated by its source's publication window."""
    project = copy_project(tmp_path, with_dist=False)
    add_source(project, SECOND_SOURCE)
    result = run(Settings.for_project(project), write=False)
    row = result.tables["figures"].filter(pl.col("figure_id") == "fixture-joint-laboratories")
    assert row.select("period_as_printed", "period_kind", "period_start", "period_end").rows() == [
        ("Уже", "as_of_publication", date(2024, 1, 15), date(2024, 1, 15))
    ]


def test_a_number_in_words_left_untranscribed_is_reported(tmp_path: Path) -> None:
    """ "семь" is a number: without its figure row the number check names it."""
    project = copy_project(tmp_path, with_dist=False)
    add_source(project, SECOND_SOURCE)
    drop_rows(project / "raw" / "figures.csv", "figure_id", "fixture-programme-directions")
    result = run(Settings.for_project(project), write=False)
    found = [(f.kind, f.file, f.row, f.value) for f in result.report.errors]
    text = "raw/texts/fixture-institute-review-2023.txt"
    assert found == [("number-not-transcribed", text, 5, "семь")]
