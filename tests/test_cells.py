"""Tests for etl.tableschema.cells: text cells read as their Table Schema types, two ways."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.build.load import RAW_PROFILE
from etl.report.findings import Finding
from etl.tableschema.batch import WIDE
from etl.tableschema.cells import canonical_expression, read_expression
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.engine import read_and_validate
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.package import Package, Resource
from etl.tableschema.profile import FRICTIONLESS, Profile
from etl.tableschema.table import Table

FILE = "raw/places.csv"
HINT = "fix the cell or the field's type"
MESSAGES = {
    "integer": f"is not a whole number such as 42 (type integer) - {HINT}",
    "number": f"is not a number with a decimal point such as 9.4 (type number) - {HINT}",
    "boolean": f"is not true or false (type boolean) - {HINT}",
    "date": f"is not a date as YYYY-MM-DD (type date) - {HINT}",
    "datetime": f"is not a date and time as YYYY-MM-DDTHH:MM:SS (type datetime) - {HINT}",
    "year": f"is not a year such as 2022 (type year) - {HINT}",
}
GOOD = {
    "integer": ("42", 42),
    "number": ("9.4", 9.4),
    "boolean": ("true", True),
    "date": ("2023-02-28", dt.date(2023, 2, 28)),
    "datetime": ("2023-02-28T10:30:00", dt.datetime(2023, 2, 28, 10, 30)),
    "year": ("2022", 2022),
}


def canonical(item: Field, cells: list[str]) -> list[Any]:
    """canonical_expression over a text column of `cells`."""
    frame = pl.DataFrame({"t": cells}, schema={"t": pl.String})
    return frame.select(canonical_expression(item, pl.col("t"))).to_series().to_list()


def read(item: Field, cells: list[str]) -> list[Any]:
    """read_expression over a text column of `cells`."""
    frame = pl.DataFrame({"t": cells}, schema={"t": pl.String})
    return frame.select(read_expression(item, pl.col("t"))).to_series().to_list()


def read_table(
    folder: Path, fields: tuple[Field, ...], rows: list[list[str]], profile: Profile = RAW_PROFILE
) -> tuple[Table | None, list[Finding]]:
    """The engine on raw/places.csv holding `rows` under a header of the fields' names."""
    path = folder / "places.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([[f.name for f in fields], *rows])
    schema = TableSchema("places", "schemas/raw/places.yaml", "", fields, fields_match="equal")
    package = Package((Resource("places", path, FILE, "csv", schema),))
    report, tables = read_and_validate(package, profile=profile)
    return tables.get("places"), report.findings


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
        ("number", "5.", 5.0),
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
def test_canonical_reads_the_canonical_spelling(type_: str, cell: str, value: Any) -> None:
    """A cell in its canonical spelling becomes its typed value, in the field's polars dtype."""
    item = Field("c", type_)
    frame = pl.DataFrame({"t": [cell]}).select(canonical_expression(item, pl.col("t")).alias("c"))
    assert_frame_equal(frame, pl.DataFrame({"c": [value]}, schema={"c": polars_dtype(item)}))


@pytest.mark.parametrize(
    ("type_", "cell", "value"),
    [
        ("integer", " 2", 2),
        ("integer", "2 ", 2),
        ("integer", "1_000", 1000),
        ("number", " 9.4", 9.4),
        ("number", "1_000.5", 1000.5),
        ("number", "inf", math.inf),
        ("number", "-Infinity", -math.inf),
        ("date", "2023-2-28", dt.date(2023, 2, 28)),
        ("datetime", "2023-02-28T10:30:00Z", dt.datetime(2023, 2, 28, 10, 30)),
        ("datetime", "2023-02-28T12:30:00+02:00", dt.datetime(2023, 2, 28, 10, 30)),
        ("datetime", "2023-02-28 10:30:00", dt.datetime(2023, 2, 28, 10, 30)),
        ("datetime", "2023-02-28T10:30:00.5", dt.datetime(2023, 2, 28, 10, 30, 0, 500000)),
        ("year", "+202", 202),
    ],
)
def test_read_accepts_what_canonical_refuses(type_: str, cell: str, value: Any) -> None:
    """Frictionless' reading takes spaces, `_`, infinity, short dates, zones; canonical, none."""
    item = Field("c", type_)
    assert read(item, [cell]) == [value]
    assert canonical(item, [cell]) == [None]


def test_read_accepts_nan_and_canonical_refuses_it() -> None:
    """NaN is a number to frictionless, and not a value in the canonical reading."""
    item = Field("c", "number")
    [value] = read(item, ["NaN"])
    assert math.isnan(value)
    assert canonical(item, ["NaN"]) == [None]


@pytest.mark.parametrize(
    ("type_", "cell"),
    [
        ("integer", "x"),
        ("integer", "1.0"),
        ("integer", "1 000"),
        ("integer", "99999999999999999999"),
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
        ("datetime", "2023-02-28"),
        ("datetime", "2023-02-28T25:30:00"),
        ("year", "20133"),
        ("year", "22"),
        ("year", "2022.0"),
        ("year", "-200"),
    ],
)
def test_both_readings_refuse_a_malformed_cell(type_: str, cell: str) -> None:
    """A cell that is not its type at all is null in both readings."""
    item = Field("c", type_)
    assert canonical(item, [cell]) == [None]
    assert read(item, [cell]) == [None]


@pytest.mark.parametrize(
    ("item", "cells", "values"),
    [
        (
            Field("c", "integer", options={"bareNumber": False}),
            ["€42", "42 %", "x"],
            [42, 42, None],
        ),
        (
            Field("c", "number", options={"decimalChar": ",", "groupChar": " "}),
            ["1 000,5", "9,4", "9.4"],
            [1000.5, 9.4, None],
        ),
        (
            Field("c", "boolean", options={"trueValues": ["да"], "falseValues": ["нет"]}),
            ["да", "нет", "true"],
            [True, False, None],
        ),
        (
            Field("c", "date", format="%d.%m.%Y"),
            ["28.02.2023", "2023-02-28"],
            [dt.date(2023, 2, 28), None],
        ),
        (
            Field("c", "string", format="email"),
            ["a@b.by", "a.b.by"],
            ["a@b.by", None],
        ),
    ],
)
def test_read_follows_the_fields_options_and_format(
    item: Field, cells: list[str], values: list[Any]
) -> None:
    """bareNumber, decimalChar, groupChar, trueValues, falseValues and format change the reading."""
    assert read(item, cells) == values


@pytest.mark.parametrize(
    ("type_", "cell", "value"),
    [
        ("time", "10:30:00", dt.time(10, 30)),
        ("time", "25:30:00", None),
        ("yearmonth", "2022-03", dt.date(2022, 3, 1)),
        ("yearmonth", "2022-13", None),
    ],
)
def test_canonical_reads_other_types_as_frictionless(type_: str, cell: str, value: Any) -> None:
    """Types with no canonical spelling of their own (time, yearmonth) read as frictionless."""
    item = Field("c", type_)
    assert canonical(item, [cell]) == read(item, [cell]) == [value]


@pytest.mark.parametrize(
    ("type_", "cell"),
    [
        ("integer", "x"),
        ("integer", "1.0"),
        ("integer", "1 000"),
        ("integer", "1_000"),
        ("integer", "99999999999999999999"),
        ("number", "NaN"),
        ("number", "inf"),
        ("number", "9,4"),
        ("number", "1_000.5"),
        ("boolean", "yes"),
        ("boolean", "да"),
        ("date", "2023-02-30"),
        ("date", "2023-2-28"),
        ("datetime", "2023-02-28T10:30:00Z"),
        ("datetime", "2023-02-28 10:30:00"),
        ("year", "22"),
        ("year", "-200"),
    ],
)
def test_raw_profile_bad_cell_is_type_error_at_its_line(
    tmp_path: Path, type_: str, cell: str
) -> None:
    """A cell not in its canonical spelling is null and a type-error at its line, with its text."""
    good, value = GOOD[type_]
    fields = (Field("id", "string"), Field("c", type_))
    table, findings = read_table(tmp_path, fields, [["minsk\n(city)", good], ["brest", cell]])
    message = MESSAGES[type_]
    if cell == "99999999999999999999":  # a whole number, but wider than etl reads
        message = f"is not {WIDE} (type integer) - {HINT}"
    assert findings == [Finding(FILE, 4, "c", "type-error", message, cell)]
    assert table is not None
    assert table.rows == [2, 4]
    assert table.frame.get_column("c").to_list() == [value, None]


def test_frictionless_profile_accepts_what_the_raw_profile_refuses(tmp_path: Path) -> None:
    """`etl validate`'s reading takes `1_000` and NaN, which the raw profile reports."""
    fields = (Field("id", "string"), Field("n", "integer"), Field("x", "number"))
    rows = [["minsk", "1_000", "NaN"]]
    assert read_table(tmp_path, fields, rows, FRICTIONLESS) == (None, [])
    _, findings = read_table(tmp_path, fields, rows)
    assert findings == [
        Finding(FILE, 2, "n", "type-error", MESSAGES["integer"], "1_000"),
        Finding(FILE, 2, "x", "type-error", MESSAGES["number"], "NaN"),
    ]


def test_raw_profile_tidies_a_cell_before_reading_it(tmp_path: Path) -> None:
    """Space around a cell (a no-break space too) is stripped, so the rest is read canonically."""
    fields = (Field("id", "string"), Field("c", "integer"))
    table, findings = read_table(tmp_path, fields, [["minsk", " 42\u00a0"], ["brest", "\t-3"]])
    assert findings == []
    assert table is not None
    assert table.frame.get_column("c").to_list() == [42, -3]


@pytest.mark.parametrize("type_", ["string", *MESSAGES])
def test_empty_cell_is_null_without_finding(tmp_path: Path, type_: str) -> None:
    """An empty cell is a missing value: null, and no finding."""
    fields = (Field("id", "string"), Field("c", type_))
    table, findings = read_table(tmp_path, fields, [["minsk", ""]])
    assert findings == []
    assert table is not None
    assert_frame_equal(
        table.frame,
        pl.DataFrame(
            {"id": ["minsk"], "c": [None]}, schema={"id": pl.String, "c": polars_dtype(fields[1])}
        ),
    )


def test_engine_types_every_column_and_reports_each_bad_cell(tmp_path: Path) -> None:
    """A whole table is read column by column; each bad cell is one finding, by row then field."""
    fields = (
        Field("id", "string"),
        Field("population", "integer"),
        Field("capital", "boolean"),
        Field("founded", "year"),
    )
    rows = [
        ["minsk", "1996553", "true", "1067"],
        ["brest", "340 723", "false", ""],
        ["grodno", "", "нет", "1128"],
        ["gomel", "x", "y", "z"],
    ]
    table, findings = read_table(tmp_path, fields, rows)
    assert table is not None
    assert table.rows == [2, 3, 4, 5]
    assert_frame_equal(
        table.frame,
        pl.DataFrame(
            {
                "id": ["minsk", "brest", "grodno", "gomel"],
                "population": [1996553, None, None, None],
                "capital": [True, False, None, None],
                "founded": [1067, None, 1128, None],
            }
        ),
    )
    assert findings == [
        Finding(FILE, 3, "population", "type-error", MESSAGES["integer"], "340 723"),
        Finding(FILE, 4, "capital", "type-error", MESSAGES["boolean"], "нет"),
        Finding(FILE, 5, "population", "type-error", MESSAGES["integer"], "x"),
        Finding(FILE, 5, "capital", "type-error", MESSAGES["boolean"], "y"),
        Finding(FILE, 5, "founded", "type-error", MESSAGES["year"], "z"),
    ]
