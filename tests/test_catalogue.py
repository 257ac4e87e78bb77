"""Tests for etl.report.catalogue: each finding kind declared once, with its message and hint."""

from __future__ import annotations

from pathlib import Path

import pytest

import etl.build.checks.declarations  # noqa: F401 - registers every check kind, series too
from etl.report.catalogue import (
    CATALOGUE,
    FOREIGN_KEY,
    TYPE_ERROR,
    FindingKind,
    catalogue_markdown,
    declare,
)
from etl.report.findings import Finding, Severity

DOCS = Path(__file__).resolve().parents[1] / "docs" / "finding-kinds.md"


def test_a_kind_makes_its_message_from_template_and_hint() -> None:
    """at() fills in the template and the hint, and places the finding."""
    finding = TYPE_ERROR.at("t.csv", 3, "year", "20x2", expected="a year such as 2022", type="year")
    assert finding == Finding(
        "t.csv",
        3,
        "year",
        "type-error",
        "is not a year such as 2022 (type year) - fix the cell or the field's type",
        "20x2",
        Severity.ERROR,
    )


def test_a_kind_places_one_finding_per_cell_as_at_does() -> None:
    """at_each() makes, for each (row, value), the finding at() makes, in the same order."""
    cells = [(3, "20x2"), (None, 1999), (7, None)]
    params = {"expected": "a year such as 2022", "type": "year"}
    found = TYPE_ERROR.at_each("t.csv", "year", cells, **params)
    assert found == [TYPE_ERROR.at("t.csv", row, "year", value, **params) for row, value in cells]
    assert [f.value for f in found] == ["20x2", "1999", None]


def test_a_kind_lists_its_parameters() -> None:
    """The parameters a kind needs are read from its template and hint."""
    assert FOREIGN_KEY.params == ("target", "reference", "key", "suggestion")


def test_a_missing_parameter_is_a_bug_caught_at_once() -> None:
    """A kind given too few parameters raises, rather than printing braces."""
    with pytest.raises(KeyError, match="type"):
        TYPE_ERROR.at("t.csv", expected="a year")


def test_a_kind_is_declared_once() -> None:
    """Declaring a name twice is refused."""
    with pytest.raises(ValueError, match="declared twice"):
        declare("type-error", "Again", "again")


def test_a_template_may_not_name_a_place() -> None:
    """A template naming file, row, field or value would clash with where the finding is."""
    with pytest.raises(ValueError, match="say where it is"):
        declare("test-kind-naming-file", "Bad", "in {file}")
    assert "test-kind-naming-file" not in CATALOGUE


def test_every_kind_has_a_title_and_a_template() -> None:
    """No kind is declared with an empty title or message."""
    assert all(isinstance(k, FindingKind) and k.title and k.template for k in CATALOGUE.values())


def test_the_docs_page_lists_every_kind() -> None:
    """docs/finding-kinds.md is exactly the catalogue (regenerate it with catalogue_markdown)."""
    assert DOCS.read_text(encoding="utf-8") == catalogue_markdown()
    for name in CATALOGUE:
        assert f"| {name} |" in catalogue_markdown()
