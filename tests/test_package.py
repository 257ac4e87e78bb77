"""The committed dist/: valid for frictionless, CSV equal to Parquet, schemas from schemas/."""

from __future__ import annotations

import csv
import hashlib
import json
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.build.package import TABLE_ORDER, parquet_name, read_back
from etl.build.page import PAGE_NAME
from etl.build.provenance import shipped_path, text_resource_name
from etl.build.workbook import workbook_name
from etl.tableschema.schema import load_schemas
from tests.projects import ROOT

DIST = ROOT / "dist"
SCHEMAS, _ = load_schemas(ROOT / "schemas/published", "schemas/published")
with (ROOT / "raw/sources.csv").open(encoding="utf-8", newline="") as _handle:
    RAW_SOURCES = list(csv.DictReader(_handle))
SOURCE_IDS = [s["source_id"] for s in RAW_SOURCES]
with (ROOT / "raw/releases.csv").open(encoding="utf-8", newline="") as _handle:
    LAST_RELEASE = list(csv.DictReader(_handle))[-1]


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
    texts = [text_resource_name(s) for s in SOURCE_IDS]
    assert sorted(t.name for t in report.tasks) == sorted(
        [*TABLE_ORDER, *(parquet_name(t) for t in TABLE_ORDER), *texts]
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
    """The package names its license, the version and created date of the last release in
    raw/releases.csv, its contributors, and each source with the checksum of its shipped text."""
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == LAST_RELEASE["version"]
    assert descriptor["created"] == f"{LAST_RELEASE['released']}T00:00:00Z"
    assert descriptor["contributors"] == [
        {"title": "etl-open-reports contributors", "roles": ["creator"]}
    ]
    assert "major when a table or field is removed" in descriptor["versioning"]
    for source, raw in zip(descriptor["sources"], RAW_SOURCES, strict=True):
        assert source["path"] == shipped_path(raw["source_id"])
        text = DIST / source["path"]
        assert hashlib.sha256(text.read_bytes()).hexdigest() == source["sha256"] == raw["sha256"]
        assert source.get("published_not_before", "") == raw["published_not_before"]
        assert source.get("publisher", "") == raw["publisher"]
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
    """dist/ holds the descriptor, the README, the workbook, the page, two files per table
    and one text per source, nothing else."""
    files = sorted(p.relative_to(DIST).as_posix() for p in DIST.rglob("*") if p.is_file())
    workbook = workbook_name(json.loads((DIST / "datapackage.json").read_text())["name"])
    expected = ["README.md", "datapackage.json", workbook, PAGE_NAME] + [
        f"data/{t}.{ext}" for t in TABLE_ORDER for ext in ("csv", "parquet")
    ]
    expected += [shipped_path(s) for s in SOURCE_IDS]
    assert files == sorted(expected)
