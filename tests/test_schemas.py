"""Tests for etl.tableschema.schema: reading Table Schemas from schemas/ and reporting what
is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frictionless import Schema

from etl.build.settings import Settings
from etl.report.findings import Finding
from etl.tableschema.schema import TableSchema, load_schemas, parse_schema

SETTINGS = Settings.for_project(Path(__file__).resolve().parents[1])
REAL_SCHEMAS = sorted(
    p.relative_to(SETTINGS.schemas).as_posix()
    for folder in ("raw", "published")
    for p in (SETTINGS.schemas / folder).glob("*.yaml")
)
FOLDERS = ["raw", "published"]


def load_alone(fixture: Path, folder: Path, *, name: str | None = None) -> list[Finding]:
    """Findings of load_schemas over a folder holding only `fixture` (shown as schemas/raw)."""
    shutil.copy(fixture, folder / (name or fixture.name))
    return load_schemas(folder, "schemas/raw")[1]


@pytest.mark.parametrize("folder", FOLDERS)
def test_real_schema_folder_loads_without_findings(folder: str) -> None:
    """Every schema in schemas/raw and schemas/published loads, with no finding."""
    schemas, findings = load_schemas(SETTINGS.schemas / folder, f"schemas/{folder}")
    assert findings == []
    assert schemas
    assert sorted(schemas) == sorted(p.stem for p in (SETTINGS.schemas / folder).glob("*.yaml"))


def _real(relative: str) -> TableSchema:
    """The loaded real schema at schemas/`relative`."""
    folder, _, file = relative.partition("/")
    schemas, _ = load_schemas(SETTINGS.schemas / folder, f"schemas/{folder}")
    return schemas[Path(file).stem]


@pytest.mark.parametrize("relative", REAL_SCHEMAS)
def test_real_schema_descriptor_is_valid_frictionless(relative: str) -> None:
    """descriptor() of every real schema passes frictionless' own descriptor validation."""
    report = Schema.validate_descriptor(_real(relative).descriptor())
    assert report.flatten(["type", "message"]) == []
    assert report.valid


@pytest.mark.parametrize("relative", REAL_SCHEMAS)
def test_real_schema_descriptor_round_trips_through_frictionless(relative: str) -> None:
    """frictionless reads back the same field names, types and keys from descriptor()."""
    schema = _real(relative)
    read = Schema.from_descriptor(schema.descriptor())
    assert read.field_names == schema.field_names
    assert [f.type for f in read.fields] == [f.type for f in schema.fields]
    assert read.primary_key == list(schema.primary_key)
    assert [fk["fields"] for fk in read.foreign_keys] == [
        list(fk.fields) for fk in schema.foreign_keys
    ]


def test_descriptor_is_exact() -> None:
    """descriptor() writes the Table Schema v2 profile, missing values, keys and constraints."""
    data = {
        "description": "Places.",
        "fields": [
            {
                "name": "id",
                "type": "string",
                "description": "Id.",
                "constraints": {"required": True},
            },
            {"name": "parent_id"},
        ],
        "primaryKey": "id",
        "foreignKeys": [
            {"fields": "parent_id", "reference": {"resource": "places", "fields": "id"}}
        ],
    }
    schema, findings = parse_schema("places", "schemas/raw/places.yaml", data)
    assert findings == []
    assert schema is not None
    assert schema.descriptor() == {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "fields": [
            {
                "name": "id",
                "type": "string",
                "description": "Id.",
                "constraints": {"required": True},
            },
            {"name": "parent_id", "type": "string"},
        ],
        "missingValues": [""],
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["parent_id"], "reference": {"resource": "places", "fields": ["id"]}}
        ],
    }


def _error(
    file: str, row: int | None, field: str | None, message: str, value: str | None
) -> Finding:
    """A schema-error finding in schemas/raw/`file`."""
    return Finding(f"schemas/raw/{file}", row, field, "schema-error", message, value)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "not-yaml.yaml",
            _error(
                "not-yaml.yaml",
                3,
                None,
                "not valid YAML: mapping values are not allowed here - fix the syntax",
                None,
            ),
        ),
        (
            "not-json.json",
            _error(
                "not-json.json",
                3,
                None,
                "not valid JSON: Expecting ',' delimiter - fix the syntax",
                None,
            ),
        ),
        (
            "not-a-mapping.yaml",
            _error(
                "not-a-mapping.yaml",
                None,
                None,
                "a Table Schema must be a mapping with a list of 'fields'",
                None,
            ),
        ),
        (
            "unknown-type.yaml",
            _error(
                "unknown-type.yaml",
                None,
                "name",
                "unknown field type 'text' - use one of boolean, date, datetime, integer, "
                "number, string, year",
                "text",
            ),
        ),
        (
            "unknown-constraint.yaml",
            _error(
                "unknown-constraint.yaml",
                None,
                "id",
                "unknown constraint 'minimum' for type string - use one of enum, maxLength, "
                "minLength, pattern, required, unique",
                "minimum",
            ),
        ),
        (
            "unknown-field-property.yaml",
            _error(
                "unknown-field-property.yaml", None, "id", "unknown field property 'titel'", "titel"
            ),
        ),
        (
            "unknown-schema-property.yaml",
            _error(
                "unknown-schema-property.yaml",
                None,
                None,
                "unknown schema property 'primarykey'",
                "primarykey",
            ),
        ),
        (
            "field-name-twice.yaml",
            _error("field-name-twice.yaml", None, "name", "field name used twice", "name"),
        ),
        (
            "field-without-name.yaml",
            _error(
                "field-without-name.yaml",
                None,
                None,
                "field 2 must be a mapping with a 'name'",
                None,
            ),
        ),
        (
            "constraints-not-a-mapping.yaml",
            _error(
                "constraints-not-a-mapping.yaml",
                None,
                "id",
                "constraints must be a mapping",
                "['required']",
            ),
        ),
        (
            "enum-not-a-list.yaml",
            _error("enum-not-a-list.yaml", None, "kind", "enum must be a list", "city"),
        ),
        (
            "primary-key-unknown-field.yaml",
            _error(
                "primary-key-unknown-field.yaml",
                None,
                "place_id",
                "primaryKey names a field the schema does not have",
                "place_id",
            ),
        ),
        (
            "foreign-key-unknown-table.yaml",
            _error(
                "foreign-key-unknown-table.yaml",
                None,
                "region_id",
                "foreign key points at unknown table 'regions'",
                "regions",
            ),
        ),
        (
            "foreign-key-unknown-field.yaml",
            _error(
                "foreign-key-unknown-field.yaml",
                None,
                "parent_id",
                "foreign key points at field 'place_id' that table "
                "'foreign-key-unknown-field' does not have",
                "place_id",
            ),
        ),
        (
            "foreign-key-names-missing-field.yaml",
            _error(
                "foreign-key-names-missing-field.yaml",
                None,
                "parent_id",
                "foreign key names a field the schema does not have",
                "parent_id",
            ),
        ),
        (
            "foreign-key-without-reference.yaml",
            _error(
                "foreign-key-without-reference.yaml",
                None,
                None,
                "a foreign key needs 'fields' and a 'reference'",
                "{'fields': ['parent_id']}",
            ),
        ),
        (
            "foreign-key-fields-mismatch.yaml",
            _error(
                "foreign-key-fields-mismatch.yaml",
                None,
                None,
                "a foreign key needs a resource and as many reference fields as fields",
                None,
            ),
        ),
    ],
)
def test_broken_schema_gives_one_finding(
    data_dir: Path, tmp_path: Path, fixture: str, expected: Finding
) -> None:
    """Each broken schema file gives exactly the finding that names its problem."""
    assert load_alone(data_dir / "schemas" / fixture, tmp_path) == [expected]


def test_broken_schema_is_left_out(data_dir: Path, tmp_path: Path) -> None:
    """A schema with findings is not returned, so nothing downstream uses it."""
    shutil.copy(data_dir / "schemas" / "unknown-type.yaml", tmp_path)
    schemas, _ = load_schemas(tmp_path, "schemas/raw")
    assert schemas == {}


def test_foreign_key_to_broken_schema_reports_only_the_broken_file(
    data_dir: Path, tmp_path: Path
) -> None:
    """A foreign key to a table whose own schema is broken is not reported a second time."""
    shutil.copy(data_dir / "schemas" / "foreign-key-unknown-table.yaml", tmp_path)
    findings = load_alone(data_dir / "schemas" / "not-yaml.yaml", tmp_path, name="regions.yaml")
    assert findings == [
        _error(
            "regions.yaml",
            3,
            None,
            "not valid YAML: mapping values are not allowed here - fix the syntax",
            None,
        )
    ]


def test_constraint_value_of_wrong_type_is_a_finding(data_dir: Path, tmp_path: Path) -> None:
    """A constraint whose value has the wrong type (required: "no") is a schema-error."""
    findings = load_alone(data_dir / "schemas" / "constraint-value-wrong-type.yaml", tmp_path)
    assert [(f.file, f.row, f.field, f.kind, f.value) for f in findings] == [
        ("schemas/raw/constraint-value-wrong-type.yaml", None, "id", "schema-error", "no")
    ]
