"""The whole build: reproducible dist/, nothing written on failure, check writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build.pipeline import run
from etl.build.settings import Settings
from tests.projects import ROOT, copy_project, edit_cell, tree_digest


def test_build_reproduces_committed_dist_byte_for_byte(tmp_path: Path) -> None:
    """Rebuilding from the committed raw/ gives exactly the committed dist/."""
    project = copy_project(tmp_path, with_dist=False)
    result = run(Settings.for_project(project), write=True)
    assert result.report.errors == []
    assert result.written
    assert tree_digest(project / "dist") == tree_digest(ROOT / "dist")


def test_second_build_changes_nothing(tmp_path: Path) -> None:
    """A build over an up-to-date dist/ leaves every byte as it was."""
    project = copy_project(tmp_path)
    before = tree_digest(project / "dist")
    run(Settings.for_project(project), write=True)
    assert tree_digest(project / "dist") == before


def test_check_writes_nothing(tmp_path: Path) -> None:
    """`check` runs every stage but creates no dist/."""
    project = copy_project(tmp_path, with_dist=False)
    result = run(Settings.for_project(project), write=False)
    assert result.report.ok
    published = {p.stem for p in (ROOT / "schemas/published").glob("*.yaml")}
    assert set(result.tables) == published
    assert not (project / "dist").exists()
    assert sorted(p.name for p in project.iterdir()) == ["raw", "schemas"]


@pytest.mark.parametrize(
    ("table", "key", "column", "value"),
    [
        ("figures", "conference-foreign-scientists-2020-2022", "figure", "1,1 тыс."),
        ("figures", "nasb-cooperation-agreements", "quote", "Этой фразы нет в тексте."),
        ("figure_partners", "iaas-member-organisations", "name_as_printed", "Атлантиды"),
        ("events", "komponent-f-approved", "date", "30 февраля 2022 г."),
    ],
)
def test_failed_build_leaves_dist_untouched(
    tmp_path: Path, table: str, key: str, column: str, value: str
) -> None:
    """A build with any error writes nothing: dist/ keeps every byte, no temporary folder stays."""
    project = copy_project(tmp_path)
    before = tree_digest(project / "dist")
    edit_cell(project / "raw" / f"{table}.csv", key, column, value)
    result = run(Settings.for_project(project), write=True)
    assert not result.report.ok
    assert not result.written
    assert tree_digest(project / "dist") == before
    left = sorted(p.name for p in project.iterdir() if p.name != ".etl-build.lock")
    assert left == ["dist", "raw", "schemas"]
