"""dist/'s Excel workbook, read with openpyxl as spreadsheet users' tools read it."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from etl.build.package import TABLE_ORDER
from etl.build.workbook import FIXED_CREATED, MAX_WIDTH, created_date, write_workbook
from etl.build.workbook import workbook_name as name_of
from tests.projects import ROOT

DIST = ROOT / "dist"
NAME = json.loads((DIST / "datapackage.json").read_text(encoding="utf-8"))["name"]
WORKBOOK = DIST / name_of(NAME)


@pytest.fixture(scope="module")
def book() -> Any:
    """The committed workbook, opened by openpyxl."""
    return openpyxl.load_workbook(WORKBOOK)


def _expected(value: Any, dtype: pl.DataType) -> tuple[type, Any]:
    """The Python type and value openpyxl gives for a Parquet cell of this dtype."""
    if value is None:
        return type(None), None
    if dtype == pl.Date:
        return dt.datetime, dt.datetime.combine(value, dt.time())
    if dtype == pl.Float64:  # xlsxwriter writes 16 significant digits (Excel shows 15)
        return float, float(f"{value:.16g}")
    return type(value), value


def _typed(value: Any, dtype: pl.DataType) -> tuple[type, Any]:
    """The type and value of a cell read by openpyxl; a whole float comes back as an int."""
    if dtype == pl.Float64 and type(value) is int:
        return float, float(value)
    return type(value), value


def test_the_sheets_are_the_tables_in_order(book: Any) -> None:
    """One sheet per published table, named after it, in the package's order."""
    assert book.sheetnames == list(TABLE_ORDER)


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_every_cell_equals_the_parquet_table_with_its_type(book: Any, table: str) -> None:
    """Header and every cell of a sheet equal the Parquet table: numbers as numbers, dates
    as dates, booleans as booleans, nulls as empty cells, text as text."""
    frame = pl.read_parquet(DIST / "data" / f"{table}.parquet")
    rows = list(book[table].iter_rows(values_only=True))
    assert list(rows[0]) == frame.columns
    assert len(rows) - 1 == frame.height
    dtypes = frame.dtypes
    for got, want in zip(rows[1:], frame.iter_rows(), strict=True):
        assert [_typed(v, d) for v, d in zip(got, dtypes, strict=True)] == [
            _expected(v, d) for v, d in zip(want, dtypes, strict=True)
        ]


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_header_is_frozen_and_dates_are_formatted(book: Any, table: str) -> None:
    """The header row stays in view, and date cells show as yyyy-mm-dd."""
    sheet = book[table]
    assert sheet.freeze_panes == "A2"
    frame = pl.read_parquet(DIST / "data" / f"{table}.parquet")
    for index, dtype in enumerate(frame.dtypes, start=1):
        if dtype == pl.Date and frame.height:
            assert sheet.cell(row=2, column=index).number_format == "yyyy-mm-dd"


def test_columns_are_as_wide_as_their_text_within_bounds(book: Any) -> None:
    """A short id column is narrower than a quote column, which is capped."""
    sheet = book["figures"]
    frame = pl.read_parquet(DIST / "data" / "figures.parquet")
    letter = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(frame.columns)}
    widths = {name: sheet.column_dimensions[col].width for name, col in letter.items()}
    assert widths["multiplier"] < widths["figure_id"] < widths["quote"]
    assert widths["quote"] <= MAX_WIDTH + 2


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """A cell starting with '=' or holding a URL is written as text, never as a formula."""
    target = tmp_path / "book.xlsx"
    frame = pl.DataFrame({"text": ["=1+1", "https://example.org", "007"]})
    write_workbook(target, [("t", frame)], title="t")
    sheet = openpyxl.load_workbook(target)["t"]
    assert [c.value for c in sheet["A"]] == ["text", "=1+1", "https://example.org", "007"]
    assert [c.data_type for c in sheet["A"][1:]] == ["s", "s", "s"]


def test_the_same_tables_give_the_same_bytes(tmp_path: Path) -> None:
    """Two workbooks written at different times are byte-identical: fixed zip timestamps and
    a pinned created date."""
    frame = pl.DataFrame({"a": [1, 2], "d": [dt.date(2020, 1, 1), None]})
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_workbook(first, [("t", frame)], title="t")
    with zipfile.ZipFile(first) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        core = archive.read("docProps/core.xml").decode()
    write_workbook(second, [("t", frame)], title="t")
    assert first.read_bytes() == second.read_bytes()
    assert stamps == {(1980, 1, 1, 0, 0, 0)}
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z' in core


def test_created_date_comes_from_the_package() -> None:
    """The package's `created` is the workbook's; without one the fixed date is used."""
    assert created_date("2026-12-01T00:00:00Z") == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert created_date(None) == FIXED_CREATED
