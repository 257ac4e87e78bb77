"""Tests for etl.tableschema.pandera_schema and dtypes: Table Schema types and constraints as
polars dtypes and pandera checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from pandera.errors import SchemaErrors
from polars.testing import assert_frame_equal

from etl.tableschema.dtypes import polars_dtype, polars_schema
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.pandera_schema import pandera_schema

Failure = tuple[str, str, int | None, str | None]


def table(*fields: Field, primary_key: tuple[str, ...] = ()) -> TableSchema:
    """A schema for the places table with these fields."""
    return TableSchema("places", "schemas/raw/places.yaml", "", fields, primary_key)


def failures(schema: TableSchema, frame: pl.DataFrame) -> list[Failure]:
    """(check, column, frame index, value) of every failure pandera reports, in order."""
    try:
        pandera_schema(schema).validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.select("check", "column", "index", "failure_case")
        return sorted(cases.rows(), key=lambda r: (r[2] if r[2] is not None else -1, r[0]))
    return []


@pytest.mark.parametrize(
    ("type_", "dtype"),
    [
        ("string", pl.String()),
        ("integer", pl.Int64()),
        ("number", pl.Float64()),
        ("boolean", pl.Boolean()),
        ("date", pl.Date()),
        ("datetime", pl.Datetime("us")),
        ("year", pl.Int64()),
    ],
)
def test_polars_dtype_per_type(type_: str, dtype: pl.DataType) -> None:
    """Each Table Schema type maps to one polars dtype."""
    assert polars_dtype(Field("c", type_)) == dtype


def test_polars_schema_keeps_field_order() -> None:
    """polars_schema lists the fields in schema order with their dtypes."""
    schema = table(Field("id", "string"), Field("founded", "year"), Field("capital", "boolean"))
    assert polars_schema(schema) == pl.Schema(
        {"id": pl.String(), "founded": pl.Int64(), "capital": pl.Boolean()}
    )


@pytest.mark.parametrize(
    ("field", "values", "expected"),
    [
        (
            Field("id", "string", constraints={"required": True}),
            ["minsk", None, "brest"],
            [("not_nullable", "id", 1, None)],
        ),
        (
            Field("kind", "string", constraints={"enum": ["city", "town"]}),
            ["city", "village", None, "town"],
            [("enum city, town", "kind", 1, "village")],
        ),
        (
            Field("id", "string", constraints={"pattern": "[a-z]+"}),
            ["ab", "ab1", "1ab", "AB", None],
            [
                ("pattern [a-z]+", "id", 1, "ab1"),
                ("pattern [a-z]+", "id", 2, "1ab"),
                ("pattern [a-z]+", "id", 3, "AB"),
            ],
        ),
        (
            Field("id", "string", constraints={"pattern": "a|b"}),
            ["a", "b", "ab", "xa"],
            [("pattern a|b", "id", 2, "ab"), ("pattern a|b", "id", 3, "xa")],
        ),
        (
            Field("population", "integer", constraints={"minimum": 1}),
            [0, 1, None, 2],
            [("minimum 1", "population", 0, "0")],
        ),
        (
            Field("population", "integer", constraints={"maximum": 3}),
            [3, 4, None],
            [("maximum 3", "population", 1, "4")],
        ),
        (
            Field("share", "number", constraints={"minimum": 0, "maximum": 1}),
            [-0.5, 0.0, 1.0, 1.5],
            [("minimum 0", "share", 0, "-0.5"), ("maximum 1", "share", 3, "1.5")],
        ),
        (
            Field("founded", "year", constraints={"minimum": 1000, "maximum": 2025}),
            [999, 1067, 2026],
            [("minimum 1000", "founded", 0, "999"), ("maximum 2025", "founded", 2, "2026")],
        ),
        (
            Field("code", "string", constraints={"minLength": 2}),
            ["a", "ab", "", None],
            [("minLength 2", "code", 0, "a"), ("minLength 2", "code", 2, "")],
        ),
        (
            Field("code", "string", constraints={"maxLength": 3}),
            ["abc", "abcd", "мнск", None],
            [("maxLength 3", "code", 1, "abcd"), ("maxLength 3", "code", 2, "мнск")],
        ),
    ],
)
def test_pandera_schema_rejects_exactly_the_breaking_rows(
    field: Field, values: list[Any], expected: list[Failure]
) -> None:
    """Each constraint rejects the rows that break it, and only those."""
    frame = pl.DataFrame({field.name: values}, schema={field.name: polars_dtype(field)})
    assert failures(table(field), frame) == expected


def test_pandera_schema_leaves_keys_to_the_engine() -> None:
    """Repeated keys and unique values are not pandera's to find: it sees one batch only."""
    schema = table(
        Field("id", "string", constraints={"unique": True}),
        Field("year", "year"),
        primary_key=("id", "year"),
    )
    frame = pl.DataFrame({"id": ["minsk", "minsk"], "year": [2020, 2020]})
    assert failures(schema, frame) == []


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (
            pl.DataFrame({"id": ["minsk"], "year": [2020], "area": [409]}),
            [("column_in_schema", "places", None, "area")],
        ),
        (
            pl.DataFrame({"year": [2020], "id": ["minsk"]}),
            [("column_ordered", "places", None, "year")],
        ),
        (pl.DataFrame({"id": ["minsk"]}), [("column_in_dataframe", "places", None, "year")]),
        (
            pl.DataFrame({"id": ["minsk"], "year": ["2020"]}),
            [("dtype('Int64')", "year", None, "String")],
        ),
    ],
)
def test_pandera_schema_wants_exactly_the_schema_columns(
    frame: pl.DataFrame, expected: list[Failure]
) -> None:
    """Extra, reordered, missing or mistyped columns are rejected."""
    schema = table(Field("id", "string"), Field("year", "year"))
    assert failures(schema, frame) == expected


def test_pandera_schema_passes_valid_frame() -> None:
    """A frame meeting every constraint validates and comes back unchanged."""
    schema = table(
        Field("id", "string", constraints={"required": True, "pattern": "[a-z]+"}),
        Field("year", "year", constraints={"minimum": 1000, "maximum": 2025}),
        Field("kind", "string", constraints={"enum": ["city", "town"], "maxLength": 4}),
        Field("code", "string", constraints={"minLength": 2, "unique": True}),
        Field("capital", "boolean"),
        Field("founded", "date"),
        primary_key=("id", "year"),
    )
    frame = pl.DataFrame(
        {
            "id": ["minsk", "minsk", "brest"],
            "year": [2020, 2021, 2020],
            "kind": ["city", None, "town"],
            "code": ["MSQ", "MNS", None],
            "capital": [True, True, None],
            "founded": [dt.date(1067, 3, 3), None, dt.date(1019, 1, 1)],
        }
    )
    assert_frame_equal(pandera_schema(schema).validate(frame), frame)


def test_date_minimum_given_as_text_rejects_earlier_dates() -> None:
    """minimum "2020-01-01" on a date field rejects 2019-12-31 and keeps 2020-01-01."""
    field = Field("founded", "date", constraints={"minimum": "2020-01-01"})
    frame = pl.DataFrame({"founded": [dt.date(2019, 12, 31), dt.date(2020, 1, 1)]})
    assert failures(table(field), frame) == [
        ("minimum 2020-01-01", "founded", 0, "2019-12-31"),
    ]
