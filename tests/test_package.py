"""The committed dist/: valid for frictionless, CSV equal to Parquet, schemas from schemas/."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.build.package import TABLE_ORDER, parquet_name, read_back
from etl.build.workbook import workbook_name
from etl.tableschema.schema import load_schemas
from tests.projects import ROOT

DIST = ROOT / "dist"
SCHEMAS, _ = load_schemas(ROOT / "schemas/published", "schemas/published")


@pytest.fixture(scope="module")
def descriptor() -> dict[str, Any]:
    """The committed datapackage.json."""
    data: dict[str, Any] = json.loads((DIST / "datapackage.json").read_text(encoding="utf-8"))
    return data


def test_frictionless_validates_every_resource() -> None:
    """`frictionless validate dist/datapackage.json` finds no error, CSV and Parquet alike."""
    from frictionless import validate

    report = validate(str(DIST / "datapackage.json"))
    problems = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors]
    assert problems == []
    assert report.valid
    assert sorted(t.name for t in report.tasks) == sorted(
        [*TABLE_ORDER, *(parquet_name(t) for t in TABLE_ORDER)]
    )


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_csv_and_parquet_hold_the_same_data(table: str) -> None:
    """Each table's CSV, read with its schema, equals its Parquet exactly."""
    csv = read_back(DIST / "data" / f"{table}.csv", SCHEMAS[table])
    parquet = pl.read_parquet(DIST / "data" / f"{table}.parquet")
    assert_frame_equal(csv, parquet, check_exact=True)


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_parquet_integers_survive_pandas(table: str) -> None:
    """Integer columns never hold nulls, so pandas (and frictionless) read them as integers."""
    import pandas as pd

    frame = pd.read_parquet(DIST / "data" / f"{table}.parquet")
    for field in SCHEMAS[table].fields:
        if field.type == "integer":
            assert field.required, f"{table}.{field.name} is an integer that may be null"
            assert str(frame[field.name].dtype) == "int64"


def test_embedded_schemas_are_the_schema_files(descriptor: dict[str, Any]) -> None:
    """Every resource carries exactly the schema written in schemas/published/."""
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for table in TABLE_ORDER:
        expected = SCHEMAS[table].descriptor()
        assert by_name[table]["schema"] == expected
        fields = by_name[parquet_name(table)]["schema"]["fields"]
        assert fields == expected["fields"]


def test_package_metadata(descriptor: dict[str, Any]) -> None:
    """The package names its license, version and source with the source's checksum."""
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == "0.1.0"
    source = descriptor["sources"][0]
    text = ROOT / source["path"]
    assert hashlib.sha256(text.read_bytes()).hexdigest() == source["sha256"]
    assert source["published_not_before"] == "2022-12-19"
    assert "publisher" not in source
    parquet = [r for r in descriptor["resources"] if r["format"] == "parquet"]
    assert {r["mediatype"] for r in parquet} == {"application/vnd.apache.parquet"}


def test_readme_describes_every_table_and_field() -> None:
    """dist/README.md has a section per table listing every field."""
    text = (DIST / "README.md").read_text(encoding="utf-8")
    for table in TABLE_ORDER:
        assert f"### `{table}` (" in text
        for field in SCHEMAS[table].fields:
            assert f"| `{field.name}` |" in text
    assert "CC-BY-4.0" in text
    assert "read_parquet" in text


def test_dist_has_no_stray_files() -> None:
    """dist/ holds the descriptor, the README, the workbook and two files per table, nothing
    else."""
    files = sorted(p.relative_to(DIST).as_posix() for p in DIST.rglob("*") if p.is_file())
    workbook = workbook_name(json.loads((DIST / "datapackage.json").read_text())["name"])
    expected = ["README.md", "datapackage.json", workbook] + [
        f"data/{t}.{ext}" for t in TABLE_ORDER for ext in ("csv", "parquet")
    ]
    assert files == sorted(expected)
