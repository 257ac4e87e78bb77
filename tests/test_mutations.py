"""Mutation tests: one changed figure or sentence in a copy of the project fails the right check.

Each mutation edits the source text (keeping raw/sources.csv's checksum true) and the raw cells
that quote it, so that only the declared check can catch it; dist/ must stay untouched.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import etl.build.package
import etl.build.pipeline
from etl.build.package import TABLE_ORDER
from etl.build.pipeline import BuildResult, run
from etl.build.settings import Settings
from etl.report.findings import Severity
from tests.projects import copy_project, drop_rows, edit_cell, tree_digest

SOURCE = "raw/texts/by-infomaterial-2023-s4.txt"


def mutate_source(
    project: Path, source_old: str, source_new: str, csv_old: str, csv_new: str
) -> None:
    """Replace text in the source (updating its recorded SHA-256) and in every raw CSV cell."""
    path = project / SOURCE
    text = path.read_text(encoding="utf-8")
    assert text.count(source_old) == 1, source_old
    path.write_text(text.replace(source_old, source_new), encoding="utf-8")
    old_hash = "942a9db4b88e13e2d0f60243b3da5fc56de3acd1d44a5bb62bca6c244857ebaf"
    new_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    sources = project / "raw/sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace(old_hash, new_hash), "utf-8")
    for table in (project / "raw").glob("*.csv") if csv_old else ():
        content = table.read_text(encoding="utf-8")
        table.write_text(content.replace(csv_old, csv_new), encoding="utf-8")


def build(project: Path, *, strict: bool = False) -> BuildResult:
    """Build the copy, asserting that a failed build leaves dist/ exactly as it was."""
    before = tree_digest(project / "dist")
    result = run(Settings.for_project(project), write=True, strict=strict)
    if not result.written:
        assert tree_digest(project / "dist") == before
    return result


def failing_checks(result: BuildResult) -> list[str | None]:
    """The check ids of the errors found."""
    return [f.check for f in result.report.errors]


@pytest.mark.parametrize(
    ("source", "csv", "figure", "check"),
    [
        pytest.param(
            ("выполнялось 29 проектов", "выполнялось 69 проектов"),
            ("выполнялось 29 проектов", "выполнялось 69 проектов"),
            ("horizon2020-projects-ongoing-2022", "69"),
            "horizon-ongoing-within-total",
            id="part-exceeds-whole",
        ),
        pytest.param(
            ("реализовано 7 научно", "реализовано 70 научно"),
            ("реализовано 7 научно", "реализовано 70 научно"),
            ("union-state-space-programmes", "70"),
            "space-programmes-within-all-programmes",
            id="part-exceeds-an-approximate-whole",
        ),
        pytest.param(
            ("действует более \n100 договоров", "действует менее \n80 договоров"),
            ("действует более 100 договоров", "действует менее 80 договоров"),
            ("nasb-cooperation-agreements", "менее 80"),
            "agreements-cover-partner-states",
            id="interval-comparison",
        ),
        pytest.param(
            ("из 3 стран", "из 4 стран"),
            ("из 3 стран", "из 4 стран"),
            ("international-project-countries-2013", "4"),
            "countries-2013-match-their-list",
            id="listed-count",
        ),
        pytest.param(
            ("19 декабря 2022 г.", "19 декабря 2023 г."),
            ("19 декабря 2022 г.", "19 декабря 2023 г."),
            None,
            "dates-in-order",
            id="date-after-the-document",
        ),
        pytest.param(
            ("Справочно:\nС 2014", "Справочно:\nВ 2015 году создано 12 лабораторий.\nС 2014"),
            ("", ""),
            None,
            "every-number-accounted-for",
            id="number-not-transcribed",
        ),
    ],
)
def test_mutation_fails_the_right_check(
    tmp_path: Path,
    source: tuple[str, str],
    csv: tuple[str, str],
    figure: tuple[str, str] | None,
    check: str,
) -> None:
    """The mutated build fails with exactly the expected check, and publishes nothing."""
    project = copy_project(tmp_path)
    mutate_source(project, *source, *csv)
    if figure is not None:
        edit_cell(project / "raw/figures.csv", figure[0], "figure", figure[1])
    result = build(project)
    assert not result.written
    assert set(failing_checks(result)) == {check}


def test_overlapping_intervals_warn_and_say_why(tmp_path: Path) -> None:
    """Agreements "более 100" against 187 states cannot be decided: a warning naming both."""
    project = copy_project(tmp_path)
    mutate_source(
        project, "из 87 государств", "из 187 государств", "из 87 государств", "из 187 государств"
    )
    edit_cell(project / "raw/figures.csv", "nasb-agreement-partner-states", "figure", "187")
    result = build(project)
    assert result.report.errors == []
    warned = [f for f in result.report.warnings if f.check == "agreements-cover-partner-states"]
    assert len(warned) == 1
    assert warned[0].severity is Severity.WARNING
    assert warned[0].message == (
        "'187' (nasb-agreement-partner-states) ≤ 'более 100' (nasb-cooperation-agreements) "
        "cannot be decided: '187' (nasb-agreement-partner-states) allows [187, 187] and "
        "'более 100' (nasb-cooperation-agreements) allows (100, ∞): the intervals overlap, so "
        "the printed figures cannot settle it"
    )


def test_conflicting_statements_warn_and_fail_only_when_strict(tmp_path: Path) -> None:
    """The Интеграция-СГ conflict is a warning; --strict fails the build and keeps dist/."""
    project = copy_project(tmp_path)
    relaxed = build(project)
    assert relaxed.written
    assert [f.check for f in relaxed.report.warnings] == ["programme-statements-consistent"]
    strict = build(project, strict=True)
    assert not strict.written
    assert [f.check for f in strict.report.warnings] == ["programme-statements-consistent"]


def test_removing_one_statement_clears_the_conflict(tmp_path: Path) -> None:
    """Without the "реализуется" statement, no programme is stated two ways."""
    project = copy_project(tmp_path)
    drop_rows(project / "raw/programme_statements.csv", "statement_id", "integratsiya-sg-under-way")
    result = run(Settings.for_project(project), write=False)
    assert result.report.findings == []


def test_corrupted_derived_figure_fails_the_recomputation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Derived values are never typed in, so the mutation corrupts the computed table."""
    real = etl.build.pipeline.transform

    def corrupted(*args: Any, **kwargs: Any) -> Any:
        built = real(*args, **kwargs)
        frame = built.tables["derived_figures"]
        built.tables["derived_figures"] = frame.with_columns(pl.col("value") * 1.01)
        return built

    monkeypatch.setattr(etl.build.pipeline, "transform", corrupted)
    project = copy_project(tmp_path)
    result = build(project)
    assert not result.written
    assert set(failing_checks(result)) == {"derived-figures-recomputed"}


def test_parquet_that_loses_a_row_fails_parity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Parquet writer that drops a row fails the parity check of the written files, and
    nothing is published."""
    real = etl.build.package.write_parquet

    def lossy(frame: pl.DataFrame, target: Any) -> None:
        real(frame.head(max(frame.height - 1, 0)), target)

    monkeypatch.setattr(etl.build.package, "write_parquet", lossy)
    project = copy_project(tmp_path)
    result = build(project)
    assert not result.written
    tables = [name for name in TABLE_ORDER if result.tables[name].height]
    parity = [f.file for f in result.report.errors if f.kind == "parity-error"]
    assert parity == [f"dist/data/{name}.csv" for name in tables]


def test_written_package_is_validated_by_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build runs `etl validate`'s engine on what it wrote: a wrong hash stops it."""
    real = etl.build.package.resource_descriptors

    def wrong_hash(table: str, *args: Any) -> list[dict[str, Any]]:
        resources = real(table, *args)
        if table == "figures":
            resources[0]["hash"] = "sha256:" + "0" * 64
        return resources

    monkeypatch.setattr(etl.build.package, "resource_descriptors", wrong_hash)
    project = copy_project(tmp_path)
    result = build(project)
    assert not result.written
    assert [(f.file, f.kind) for f in result.report.errors] == [
        ("dist/data/figures.csv", "hash-count")
    ]
