"""Tests for etl.cast: text cells parsed into their Table Schema types, bad cells reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.cast import cast_table
from etl.findings import Finding
from etl.schema_mapping import polars_dtype
from etl.schemas import Field, TableSchema

FILE = "raw/places.csv"
MESSAGES = {
    "integer": "is not a whole number such as 42 (type integer)",
    "number": "is not a number with a decimal point such as 9.4 (type number)",
    "boolean": "is not true or false (type boolean)",
    "date": "is not a date as YYYY-MM-DD (type date)",
    "datetime": "is not a date and time as YYYY-MM-DDTHH:MM:SS (type datetime)",
    "year": "is not a year such as 2022 (type year)",
}
GOOD = {
    "integer": "42",
    "number": "9.4",
    "boolean": "true",
    "date": "2023-02-28",
    "datetime": "2023-02-28T10:30:00",
    "year": "2022",
}


def one_column(type_: str) -> TableSchema:
    """A schema with one column `c` of this type."""
    return TableSchema("places", "schemas/raw/places.yaml", "", (Field("c", type_),))


def cast_cells(type_: str, cells: list[str], rows: list[int]) -> tuple[pl.DataFrame, list[Finding]]:
    """cast_table over one text column of `cells`."""
    return cast_table(
        pl.DataFrame({"c": cells}, schema={"c": pl.String}), one_column(type_), FILE, rows
    )


@pytest.mark.parametrize(
    ("type_", "cell", "value"),
    [
        ("string", " Минск ", " Минск "),
        ("integer", "42", 42),
        ("integer", "-3", -3),
        ("integer", "+5", 5),
        ("integer", "007", 7),
        ("number", "9.4", 9.4),
        ("number", "-.5", -0.5),
        ("number", "1e5", 100000.0),
        ("number", "12", 12.0),
        ("boolean", "true", True),
        ("boolean", "TRUE", True),
        ("boolean", "1", True),
        ("boolean", "False", False),
        ("boolean", "0", False),
        ("date", "2024-02-29", dt.date(2024, 2, 29)),
        ("datetime", "2023-02-28T10:30:00", dt.datetime(2023, 2, 28, 10, 30)),
        ("year", "2022", 2022),
        ("year", "0999", 999),
    ],
)
def test_good_cell_parses(type_: str, cell: str, value: Any) -> None:
    """A well-formed cell becomes its typed value, with no finding."""
    typed, findings = cast_cells(type_, [cell], [2])
    expected = pl.DataFrame({"c": [value]}, schema={"c": polars_dtype(Field("c", type_))})
    assert findings == []
    assert_frame_equal(typed, expected)


@pytest.mark.parametrize(
    ("type_", "cell"),
    [
        ("integer", "x"),
        ("integer", " 2"),
        ("integer", "2 "),
        ("integer", "1.0"),
        ("integer", "1 000"),
        ("integer", "99999999999999999999"),
        ("number", "NaN"),
        ("number", "inf"),
        ("number", "-Infinity"),
        ("number", "9,4"),
        ("number", "."),
        ("number", "1 000.5"),
        ("boolean", "yes"),
        ("boolean", "t"),
        ("boolean", "да"),
        ("date", "2023-02-30"),
        ("date", "30.02.2023"),
        ("date", "20230228"),
        ("date", "2023-02-28T00:00:00"),
        ("datetime", "2023-02-28T10:30:00Z"),
        ("datetime", "2023-02-28 10:30:00"),
        ("datetime", "2023-02-28"),
        ("year", "20133"),
        ("year", "22"),
        ("year", "2022.0"),
    ],
)
def test_bad_cell_is_type_error_at_its_row(type_: str, cell: str) -> None:
    """A malformed cell becomes null and a type-error finding at its file row, with its text."""
    typed, findings = cast_cells(type_, [GOOD[type_], cell], [4, 9])
    assert findings == [Finding(FILE, 9, "c", "type-error", MESSAGES[type_], cell)]
    assert typed.get_column("c").to_list()[1] is None


@pytest.mark.parametrize("type_", ["string", *MESSAGES])
def test_empty_cell_is_null_without_finding(type_: str) -> None:
    """An empty cell is a missing value: null, and no finding."""
    typed, findings = cast_cells(type_, [""], [2])
    assert findings == []
    assert_frame_equal(
        typed, pl.DataFrame({"c": [None]}, schema={"c": polars_dtype(Field("c", type_))})
    )


def test_cast_table_types_every_column_and_reports_each_bad_cell() -> None:
    """A whole table is cast column by column; each bad cell gives one finding, in field order."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (
            Field("id", "string"),
            Field("population", "integer"),
            Field("capital", "boolean"),
            Field("founded", "year"),
        ),
    )
    text = pl.DataFrame(
        {
            "id": ["minsk", "brest", "grodno"],
            "population": ["1996553", "340 723", ""],
            "capital": ["true", "false", "нет"],
            "founded": ["1067", "", "1128"],
        }
    )
    typed, findings = cast_table(text, schema, FILE, [2, 3, 5])
    assert_frame_equal(
        typed,
        pl.DataFrame(
            {
                "id": ["minsk", "brest", "grodno"],
                "population": [1996553, None, None],
                "capital": [True, False, None],
                "founded": [1067, None, 1128],
            }
        ),
    )
    assert findings == [
        Finding(FILE, 3, "population", "type-error", MESSAGES["integer"], "340 723"),
        Finding(FILE, 5, "capital", "type-error", MESSAGES["boolean"], "нет"),
    ]


def test_negative_year_is_type_error() -> None:
    """A four-character negative number ("-200") is not a year."""
    _, findings = cast_cells("year", ["-200"], [2])
    assert findings == [Finding(FILE, 2, "c", "type-error", MESSAGES["year"], "-200")]
