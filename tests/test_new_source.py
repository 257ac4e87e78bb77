"""A new source is data only: added to a copy of the project, it builds and the tests pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

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
# Set in the environment of the suite run on the copy, so that the copy skips this test.
ON_COPY = "ETL_SUITE_ON_COPY"


def test_second_source_with_data_only_builds(tmp_path: Path) -> None:
    """A second source's text and rows, and nothing else, go through every stage and check."""
    project = copy_project(tmp_path, with_dist=False)
    add_source(project, SECOND_SOURCE)
    result = run(Settings.for_project(project), write=False)
    assert result.report.errors == []
    figures = result.tables["figures"]
    assert figures.height == raw_row_count("figures", project)  # every row is published
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


@pytest.mark.skipif(
    bool(os.environ.get(ON_COPY)), reason="this run is the suite on the copy: no copy of it"
)
def test_whole_suite_passes_on_a_project_with_a_second_source(tmp_path: Path) -> None:
    """With a source added as data only, `etl check` passes and the whole test suite passes
    on the copy, with no file under etl/ or tests/ changed."""
    project = _project_with_code(tmp_path / "project")
    code_before = {name: tree_digest(project / name) for name in ("etl", "tests")}
    add_source(project, SECOND_SOURCE)

    def run_in_copy(*args: str) -> subprocess.CompletedProcess[str]:
        # the environment is this run's (CI=true included), so PostgreSQL and browser
        # tests run or fail in the copy exactly as here
        env = {**os.environ, ON_COPY: "1"}
        return subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, cwd=project, env=env
        )

    imported = run_in_copy("-c", "import etl; print(etl.__file__)")
    assert imported.stdout.strip() == str(project / "etl" / "__init__.py")
    for command in ("check", "build"):
        done = run_in_copy("-m", "etl", command, "--project", str(project))
        assert done.returncode == 0, done.stdout + done.stderr
    basetemp = f"--basetemp={tmp_path / 'copy-tmp'}"  # its own temporary folders
    suite = run_in_copy("-m", "pytest", "-q", "-p", "no:cacheprovider", basetemp, "tests")
    failed = [line for line in suite.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert suite.returncode == 0, "\n".join([*failed, suite.stdout[-3000:], suite.stderr[-2000:]])
    skipped = [line for line in suite.stdout.splitlines() if line.startswith("SKIPPED")]
    if os.environ.get("CI"):  # in CI nothing skips, here or in the copy, but this test
        assert [line.endswith("no copy of it") for line in skipped] == [True]
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
