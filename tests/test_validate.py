"""Tests for etl.validate: constraint and foreign-key findings located at their file rows."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.findings import Finding
from etl.schema_mapping import polars_dtype
from etl.schemas import Field, ForeignKey, TableSchema
from etl.tables import Table
from etl.validate import as_tables, check_foreign_keys, row_numbers, validate_all, validate_table

FILE = "raw/places.csv"
#: File rows of the frame rows: lines 4 and 7 held a blank row and a multi-line cell.
ROWS = [2, 3, 5, 6]


def places_table(field: Field, values: list[Any]) -> tuple[Table, TableSchema]:
    """A one-column places table at ROWS, and its schema."""
    schema = TableSchema("places", "schemas/raw/places.yaml", "", (field,))
    frame = pl.DataFrame({field.name: values}, schema={field.name: polars_dtype(field)})
    return Table("places", FILE, frame, ROWS), schema


@pytest.mark.parametrize(
    ("field", "values", "expected"),
    [
        (
            Field("id", "string", constraints={"required": True}),
            ["minsk", "brest", None, "gomel"],
            [Finding(FILE, 5, "id", "constraint-error", "is required - fill it in", None)],
        ),
        (
            Field("id", "string", constraints={"unique": True}),
            ["minsk", "brest", "gomel", "brest"],
            [
                Finding(
                    FILE,
                    row,
                    "id",
                    "unique-error",
                    "is used by more than one row - each row needs its own value",
                    "brest",
                )
                for row in (3, 6)
            ],
        ),
        (
            Field("kind", "string", constraints={"enum": ["city", "town"]}),
            ["city", "town", "village", None],
            [Finding(FILE, 5, "kind", "constraint-error", "is not one of city, town", "village")],
        ),
        (
            Field("id", "string", constraints={"pattern": "[a-z]+"}),
            ["minsk", "br3st", "gomel", "ab1"],
            [
                Finding(
                    FILE, 3, "id", "constraint-error", "does not match the pattern [a-z]+", "br3st"
                ),
                Finding(
                    FILE, 6, "id", "constraint-error", "does not match the pattern [a-z]+", "ab1"
                ),
            ],
        ),
        (
            Field("population", "integer", constraints={"minimum": 1, "maximum": 2000000}),
            [1, 0, 2000000, 2000001],
            [
                Finding(FILE, 3, "population", "constraint-error", "is below the minimum 1", "0"),
                Finding(
                    FILE,
                    6,
                    "population",
                    "constraint-error",
                    "is above the maximum 2000000",
                    "2000001",
                ),
            ],
        ),
        (
            Field("code", "string", constraints={"minLength": 3, "maxLength": 3}),
            ["MSQ", "BQ", "GME", "GOML"],
            [
                Finding(FILE, 3, "code", "constraint-error", "is shorter than 3 characters", "BQ"),
                Finding(FILE, 6, "code", "constraint-error", "is longer than 3 characters", "GOML"),
            ],
        ),
    ],
)
def test_validate_table_finding_at_file_row(
    field: Field, values: list[Any], expected: list[Finding]
) -> None:
    """Each constraint violation is a finding at the file row Table.rows gives, with its value."""
    table, schema = places_table(field, values)
    assert validate_table(table, schema) == expected


def test_validate_table_reports_composite_primary_key_by_row() -> None:
    """A duplicated composite key gives one primary-key finding per row, naming the key."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (Field("id", "string"), Field("year", "year")),
        ("id", "year"),
    )
    frame = pl.DataFrame(
        {"id": ["minsk", "minsk", "brest", "minsk"], "year": [2020, 2021, 2020, 2020]}
    )
    message = "the primary key (id,year) is used by more than one row - make it unique"
    assert validate_table(Table("places", FILE, frame, ROWS), schema) == [
        Finding(FILE, 2, "id,year", "primary-key", message, "minsk, 2020"),
        Finding(FILE, 6, "id,year", "primary-key", message, "minsk, 2020"),
    ]


def test_validate_table_sorts_findings_by_row_then_field() -> None:
    """Findings of several columns come out ordered by file row, then field name."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (
            Field("kind", "string", constraints={"enum": ["city"]}),
            Field("id", "string", constraints={"required": True}),
        ),
    )
    frame = pl.DataFrame({"kind": ["town", "city", "town", "city"], "id": ["a", None, None, "d"]})
    assert validate_table(Table("places", FILE, frame, ROWS), schema) == [
        Finding(FILE, 2, "kind", "constraint-error", "is not one of city", "town"),
        Finding(FILE, 3, "id", "constraint-error", "is required - fill it in", None),
        Finding(FILE, 5, "id", "constraint-error", "is required - fill it in", None),
        Finding(FILE, 5, "kind", "constraint-error", "is not one of city", "town"),
    ]


def test_validate_table_passes_valid_table() -> None:
    """A table meeting every constraint gives no finding."""
    table, schema = places_table(
        Field("id", "string", constraints={"required": True, "unique": True, "pattern": "[a-z]+"}),
        ["minsk", "brest", "gomel", "grodno"],
    )
    assert validate_table(table, schema) == []


REGIONS = TableSchema(
    "regions", "schemas/raw/regions.yaml", "", (Field("region_id", "string"),), ("region_id",)
)
CITIES = TableSchema(
    "cities",
    "schemas/raw/cities.yaml",
    "",
    (Field("city_id", "string"), Field("region", "string")),
    ("city_id",),
    (ForeignKey(("region",), "regions", ("region_id",)),),
)


def fk_tables(regions: list[str], cities: list[tuple[str, str | None]]) -> dict[str, Table]:
    """The regions and cities tables, cities at ROWS."""
    region_frame = pl.DataFrame({"region_id": regions})
    city_frame = pl.DataFrame(cities, schema=["city_id", "region"], orient="row")
    return {
        "regions": Table("regions", "raw/regions.csv", region_frame, row_numbers(region_frame)),
        "cities": Table("cities", "raw/cities.csv", city_frame, ROWS[: city_frame.height]),
    }


def test_check_foreign_keys_reports_orphan_at_its_row() -> None:
    """A row whose key matches no row of the referenced table is reported with row and value."""
    tables = fk_tables(
        ["minsk-region", "brest-region"],
        [("minsk", "minsk-region"), ("brest", "brest-region"), ("gomel", "gomel-region")],
    )
    assert check_foreign_keys(tables, {"regions": REGIONS, "cities": CITIES}) == [
        Finding(
            "raw/cities.csv",
            5,
            "region",
            "foreign-key",
            "no row of raw/regions.csv has region_id = 'gomel-region' "
            "- fix the id or add that row to raw/regions.csv",
            "gomel-region",
        )
    ]


def test_check_foreign_keys_ignores_nulls() -> None:
    """An empty foreign key is not an orphan."""
    tables = fk_tables(["minsk-region"], [("minsk", "minsk-region"), ("vitebsk", None)])
    assert check_foreign_keys(tables, {"regions": REGIONS, "cities": CITIES}) == []


def test_check_foreign_keys_skips_missing_target_table() -> None:
    """A foreign key to a table that was not loaded is not checked (its load already failed)."""
    tables = fk_tables([], [("gomel", "gomel-region")])
    del tables["regions"]
    assert check_foreign_keys(tables, {"regions": REGIONS, "cities": CITIES}) == []


def test_check_foreign_keys_composite_key() -> None:
    """A composite foreign key matches on all its fields together."""
    periods = TableSchema(
        "periods", "p.yaml", "", (Field("region_id", "string"), Field("year", "year"))
    )
    counts = TableSchema(
        "counts",
        "c.yaml",
        "",
        (Field("region", "string"), Field("year", "year")),
        foreign_keys=(ForeignKey(("region", "year"), "periods", ("region_id", "year")),),
    )
    tables = {
        "periods": Table(
            "periods",
            "raw/periods.csv",
            pl.DataFrame({"region_id": ["minsk", "brest"], "year": [2020, 2021]}),
            [2, 3],
        ),
        "counts": Table(
            "counts",
            "raw/counts.csv",
            pl.DataFrame({"region": ["minsk", "minsk", "brest"], "year": [2020, 2021, 2021]}),
            [2, 3, 4],
        ),
    }
    assert check_foreign_keys(tables, {"periods": periods, "counts": counts}) == [
        Finding(
            "raw/counts.csv",
            3,
            "region,year",
            "foreign-key",
            "no row of raw/periods.csv has region_id/year = 'minsk, 2021' "
            "- fix the id or add that row to raw/periods.csv",
            "minsk, 2021",
        )
    ]


def test_validate_all_gives_constraints_then_foreign_keys() -> None:
    """validate_all reports each table's constraint findings, then foreign-key findings."""
    tables = fk_tables(["minsk-region"], [("minsk", "minsk-region"), ("minsk", "gomel-region")])
    findings = validate_all(tables, {"regions": REGIONS, "cities": CITIES})
    assert [(f.file, f.row, f.field, f.kind, f.value) for f in findings] == [
        ("raw/cities.csv", 2, "city_id", "unique-error", "minsk"),
        ("raw/cities.csv", 3, "city_id", "unique-error", "minsk"),
        ("raw/cities.csv", 3, "region", "foreign-key", "gomel-region"),
    ]


def test_as_tables_places_published_frames_in_folder() -> None:
    """Published frames become tables in the folder, rows numbered from 2 after the header."""
    frame = pl.DataFrame({"id": ["a", "b", "c"]})
    tables = as_tables({"places": frame}, "dist/data")
    assert list(tables) == ["places"]
    table = tables["places"]
    assert (table.name, table.file, table.rows) == ("places", "dist/data/places.csv", [2, 3, 4])
    assert_frame_equal(table.frame, frame)
