"""Parity with frictionless-py on OpenDocument (ods) spreadsheets: values, sheets, a
missing schema, options not read, and files that are no spreadsheet.

The spreadsheets are written by ezodf, the library frictionless-py reads them with.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ezodf
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.tableschema.engine import validate_package
from tests.test_parity import field, frictionless_keys
from tests.test_parity_native import keys, package

SCHEMA = {
    "fields": [
        field("s"),
        field("i", "integer"),
        field("n", "number"),
        field("b", "boolean"),
        field("d", "date"),
    ]
}
ROWS: list[list[Any]] = [
    ["s", "i", "n", "b", "d"],
    ["x", 1, 2.5, True, dt.date(2020, 1, 2)],
    ["y", 2.5, "q", "maybe", "2020-13-01"],
    ["w", "3", 4, False, dt.date(2021, 5, 6)],
    [None, None, None, None, None],
    ["z", 4],
]


def spreadsheet(path: Path, sheets: dict[str, list[list[Any]]]) -> bytes:
    """An ods file of the sheets, written by ezodf; returns its bytes."""
    doc = ezodf.newdoc(doctype="ods", filename=str(path))
    for title, rows in sheets.items():
        width = max(len(r) for r in rows)
        sheet = ezodf.Sheet(title, size=(len(rows), width))
        doc.sheets += sheet
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet[(r, c)].set_value(value.isoformat(), value_type="date")
                elif isinstance(value, bool):
                    sheet[(r, c)].set_value(value, value_type="boolean")
                else:
                    sheet[(r, c)].set_value(value)
    doc.save()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("rows", "dialect"),
    [
        (ROWS, {}),
        (ROWS[:2] + ROWS[3:4], {}),
        (ROWS, {"ods": {"sheet": "data"}}),
        (ROWS, {"ods": {"sheet": 2}}),
    ],
    ids=["invalid", "valid", "sheet-by-name", "sheet-by-number"],
)
def test_ods_as_frictionless(tmp_path: Path, rows: list[list[Any]], dialect: Any) -> None:
    """An ods resource: numbers (whole ones as integers), booleans, dates and text checked
    as frictionless checks them, on the first sheet or the one the dialect names."""
    sheets = {"other": [["q"]], "data": rows} if dialect else {"first": rows}
    data = spreadsheet(tmp_path / "t.ods", sheets)
    res = {"path": "t.ods", "schema": SCHEMA, "dialect": dialect}
    descriptor = package(tmp_path, res, {"t.ods": data})
    ours = keys(validate_package(descriptor))
    assert ours == frictionless_keys(descriptor)
    assert bool(ours) == (len(rows) > 3)


def test_ods_invalid_cells_are_the_ones_printed(tmp_path: Path) -> None:
    """The invalid sheet's findings, exactly: a fraction in an integer field, text in the
    number, boolean and date fields, a blank row and missing cells."""
    descriptor = package(
        tmp_path,
        {"path": "t.ods", "schema": SCHEMA},
        {"t.ods": spreadsheet(tmp_path / "t.ods", {"s": ROWS})},
    )
    assert keys(validate_package(descriptor)) == {
        ("t", 3, "i", "type-error"),
        ("t", 3, "n", "type-error"),
        ("t", 3, "b", "type-error"),
        ("t", 3, "d", "type-error"),
        ("t", 5, None, "blank-row"),
    }


def test_ods_without_a_schema_as_frictionless(tmp_path: Path) -> None:
    """An ods resource without a schema: its schema inferred from the cells' values."""
    rows = [["a", "b"], *[[k, "x"] for k in range(12)], ["q", 1.5]]
    descriptor = package(
        tmp_path, {"path": "t.ods"}, {"t.ods": spreadsheet(tmp_path / "t.ods", {"s": rows})}
    )
    ours = keys(validate_package(descriptor))
    assert ours == frictionless_keys(descriptor)
    assert ("t", 14, "a", "type-error") in ours


@pytest.mark.parametrize(
    ("path", "dialect", "said"),
    [
        ("t.ods", {"ods": {"sheet": 1, "extra": True}}, "dialect ods option(s) extra are not"),
        ("t.ods", {"excel": {"sheet": 1}}, "dialect 'excel' options on a ods file"),
        ("t.csv", {"ods": {"sheet": 1}}, "dialect 'ods' options on a csv file"),
    ],
)
def test_ods_options_not_read_are_refused(
    tmp_path: Path, path: str, dialect: Any, said: str
) -> None:
    """An ods option not read, or spreadsheet options on the wrong format: exit 2."""
    data = spreadsheet(tmp_path / "t.ods", {"s": ROWS[:2]})
    res = {"path": path, "schema": SCHEMA, "dialect": dialect}
    descriptor = package(tmp_path, res, {"t.ods": data, "t.csv": b"s,i,n,b,d\n"})
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 2
    assert f"resource 't': {said}" in result.stderr


def test_a_file_that_is_no_spreadsheet_is_a_format_error(tmp_path: Path) -> None:
    """A text file named .ods: etl says it is no ods spreadsheet (format-error);
    frictionless, which opens an ods as the zip it is, says compression-error. Both fail
    it; the two kinds differ on purpose, as etl names what the file is not."""
    schema = {"path": "t.ods", "schema": SCHEMA}
    descriptor = package(tmp_path, schema, {"t.ods": b"a,b\n1,x\n"})
    [finding] = validate_package(descriptor).findings
    assert finding.kind == "format-error"
    assert "the file is not an ods spreadsheet" in finding.message
    assert frictionless_keys(descriptor) == {("t", None, None, "compression-error")}


def test_a_sheet_the_spreadsheet_lacks_is_a_format_error(tmp_path: Path) -> None:
    """A sheet the spreadsheet lacks: a format-error in both."""
    data = spreadsheet(tmp_path / "t.ods", {"s": ROWS})
    res = {"path": "t.ods", "schema": SCHEMA, "dialect": {"ods": {"sheet": "nope"}}}
    descriptor = package(tmp_path, res, {"t.ods": data})
    [finding] = validate_package(descriptor).findings
    assert (finding.kind, "no sheet 'nope'" in finding.message) == ("format-error", True)
    assert keys(validate_package(descriptor)) == frictionless_keys(descriptor)
