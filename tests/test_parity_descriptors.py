"""Parity with frictionless-py on descriptors: the profiles, the dialect, and no property of
the specs silently ignored.

Each case is a small package written into a temporary folder and validated by both tools:
a descriptor breaking the profiles gives the same error types (frictionless reports them
for the package as a whole; etl names the resource and the property), a dialect gives the
same (resource, row, field, type) set. A property etl validate does not read is refused
(exit 2), never ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from frictionless import validate as frictionless_validate

from etl.cli import main
from etl.tableschema.engine import validate_package
from tests.test_parity import INT_AND_TEXT, V2, field

TEXT_AND_TEXT = {"fields": [field("a"), field("b", constraints={"enum": ["x", "y"]})]}


def write(
    folder: Path,
    text: str,
    schema: Any = INT_AND_TEXT,
    *,
    package: dict[str, Any] | None = None,
    **resource: Any,
) -> Path:
    """A package with one resource t (t.csv holding `text`); returns its datapackage.json."""
    (folder / "t.csv").write_bytes(text.encode("utf-8"))
    res = {"name": "t", "path": "t.csv", "schema": schema, **resource}
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "case", "resources": [res], **(package or {})}))
    return descriptor


def metadata_types(descriptor: Path) -> tuple[set[str], set[str]]:
    """The descriptor error types frictionless reports and those etl reports."""
    theirs = {e.type for e in frictionless_validate(str(descriptor)).errors}
    ours = {f.kind for f in validate_package(descriptor).findings}
    return theirs, ours


#: Descriptors breaking the profiles or the rules beside them: (text, schema, package
#: properties, resource properties) and the error type both tools report.
DESCRIPTOR_CASES: dict[str, tuple[Any, str]] = {
    "field-required-outside-constraints": (
        ({"fields": [field("a", "integer", required=True)]}, {}, {}),
        "field-error",
    ),
    "resource-missingValues": ((INT_AND_TEXT, {}, {"missingValues": ["NA"]}), "resource-error"),
    "package-missingValues": ((INT_AND_TEXT, {"missingValues": ["NA"]}, {}), "package-error"),
    "package-fields": ((INT_AND_TEXT, {"fields": []}, {}), "package-error"),
    "resource-fields-a-list": ((INT_AND_TEXT, {}, {"fields": [field("a")]}), "resource-error"),
    "schema-without-fields": (({"field": [field("a")]}, {}, {}), "schema-error"),
    "field-missingValues-a-string": (
        ({"fields": [field("a", missingValues="NA")]}, {}, {}),
        "field-error",
    ),
    "unknown-field-type": (({"fields": [field("a", "integr")]}, {}, {}), "field-error"),
    "constraint-of-another-type": (
        ({"fields": [field("a", "integer", constraints={"pattern": "x"})]}, {}, {}),
        "field-error",
    ),
    "constraint-of-the-wrong-kind": (
        ({"fields": [field("a", constraints={"maxLength": "3"})]}, {}, {}),
        "field-error",
    ),
    "example-not-of-its-type": (
        ({"fields": [field("a", "integer", example="x")]}, {}, {}),
        "field-error",
    ),
    "name-not-v1": ((INT_AND_TEXT, {}, {"name": "T"}), "resource-error"),
    "package-name-not-v1": ((INT_AND_TEXT, {"name": "Case"}, {}), "package-error"),
    "path-and-data": ((INT_AND_TEXT, {}, {"data": [["a", "b"]]}), "resource-error"),
    "missingValues-objects-need-v2": (
        ({**INT_AND_TEXT, "missingValues": [{"value": "NA", "label": "n"}]}, {}, {}),
        "schema-error",
    ),
    "primaryKey-not-a-field": (({**INT_AND_TEXT, "primaryKey": ["z"]}, {}, {}), "schema-error"),
    "fieldsMatch-unknown": (({**INT_AND_TEXT, "fieldsMatch": "some"}, {}, {}), "schema-error"),
    "tabular-data-resource-without-schema": (
        (None, {}, {"profile": "tabular-data-resource"}),
        "resource-error",
    ),
    "tabular-data-package-of-other-resources": (
        (INT_AND_TEXT, {"profile": "tabular-data-package"}, {}),
        "package-error",
    ),
    "dialect-header-not-boolean": (
        (INT_AND_TEXT, {}, {"dialect": {"header": "no"}}),
        "dialect-error",
    ),
    "dialect-delimiter-not-text": (
        (INT_AND_TEXT, {}, {"dialect": {"csv": {"delimiter": 1}}}),
        "control-error",
    ),
    "bytes-not-a-number": ((INT_AND_TEXT, {}, {"bytes": "12"}), "resource-error"),
}


def _descriptor_case(folder: Path, case: str) -> Path:
    (schema, package, resource), _ = DESCRIPTOR_CASES[case]
    descriptor = write(folder, "a,b\n1,x\n", schema, package=package, **resource)
    if schema is None:
        data = json.loads(descriptor.read_text())
        del data["resources"][0]["schema"]
        descriptor.write_text(json.dumps(data))
    return descriptor


@pytest.mark.parametrize("case", sorted(DESCRIPTOR_CASES))
def test_same_descriptor_errors_as_frictionless(case: str, tmp_path: Path) -> None:
    """A descriptor breaking the profiles: the same error type in both, and no table read."""
    expected = DESCRIPTOR_CASES[case][1]
    assert metadata_types(_descriptor_case(tmp_path, case)) == ({expected}, {expected})


def test_duplicate_resource_names_are_a_package_error(tmp_path: Path) -> None:
    """Two resources of one name: a package-error in both, with exit 1 from etl validate."""
    (tmp_path / "t.csv").write_text("a,b\n1,x\n")
    res = {"name": "t", "path": "t.csv", "schema": INT_AND_TEXT}
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [res, res]}))
    assert metadata_types(descriptor) == ({"package-error"}, {"package-error"})
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 1
    assert "resource name 't' is used twice - rename one" in result.stdout


#: Descriptors both tools accept, each naming properties that need no reading of the table
#: (metadata) or that etl validate reads.
VALID_DESCRIPTORS: dict[str, tuple[Any, dict[str, Any], dict[str, Any]]] = {
    "every-metadata-property": (
        {
            "name": "s",
            "title": "S",
            "description": "d",
            "fields": [
                {
                    **field("a", "integer", title="A", description="d"),
                    "rdfType": "https://schema.org/Number",
                    "example": 7,
                },
                field("b", example="x"),
            ],
        },
        {
            "$schema": "https://datapackage.org/profiles/1.0/datapackage.json",
            "id": "https://doi.org/10.0/x",
            "title": "T",
            "description": "d",
            "homepage": "https://example.org",
            "profile": "data-package",
            "image": "i.png",
            "version": "1.0.0",
            "created": "2024-01-01T00:00:00Z",
            "licenses": [{"name": "CC0-1.0", "path": "https://x.org", "title": "CC0"}],
            "sources": [{"title": "S", "path": "https://x.org", "email": "a@x.org"}],
            "contributors": [
                {
                    "title": "A",
                    "path": "p",
                    "email": "a@x.org",
                    "organisation": "o",
                    "role": "author",
                }
            ],
            "keywords": ["k"],
        },
        {
            "$schema": "https://datapackage.org/profiles/1.0/dataresource.json",
            "title": "T",
            "description": "d",
            "homepage": "https://example.org",
            "profile": "tabular-data-resource",
            "licenses": [{"name": "CC0-1.0"}],
            "sources": [{"title": "S"}],
            "mediatype": "text/csv",
            "scheme": "file",
            "format": "csv",
            "encoding": "utf-8",
            "type": "table",
            "dialect": {
                "$schema": "https://datapackage.org/profiles/1.0/tabledialect.json",
                "name": "d",
                "title": "D",
                "description": "d",
                "header": True,
                "headerRows": [1],
                "headerCase": True,
                "csv": {"lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True},
            },
        },
    ),
    "v2-names-and-missing-value-objects": (
        {**INT_AND_TEXT, "missingValues": [{"value": "NA", "label": "not asked"}]},
        {"$schema": V2, "name": "Case"},
        {"name": "T"},
    ),
    "number-and-integer-options": (
        {
            "fields": [
                field("a", "integer", bareNumber=True),
                field("b", "number", decimalChar=".", groupChar="", floatNumber=True),
            ]
        },
        {},
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(VALID_DESCRIPTORS))
def test_valid_descriptor_is_valid_in_both(case: str, tmp_path: Path) -> None:
    """A descriptor within the profiles: no error in either tool (the names differ by case)."""
    schema, package, resource = VALID_DESCRIPTORS[case]
    text = {"v2-names-and-missing-value-objects": "a,b\n1,x\nNA,y\n"}.get(case, "a,b\n1,2\n")
    descriptor = write(tmp_path, text, schema, package=package, **resource)
    report = frictionless_validate(str(descriptor))
    assert report.valid, report.flatten(["type", "note"])
    assert validate_package(descriptor).findings == []


def _types(profile: dict[str, Any]) -> dict[str, Any]:
    """Each property of a profile with the JSON type it takes (or the forms it may take)."""
    return {
        key: value.get("type", value.get("anyOf") and "anyOf")
        for key, value in profile["properties"].items()
    }


def test_profiles_are_frictionless_profiles() -> None:
    """etl's profiles list the properties of frictionless-py's, each of the same JSON type,
    with the same required ones: the descriptor is held to what frictionless holds it to."""
    from frictionless import Dialect, Field, Package, Resource, Schema, system
    from frictionless.formats.csv import CsvControl

    from etl.tableschema import profiles

    pairs = [
        (profiles.PACKAGE, Package),
        (profiles.RESOURCE, Resource),
        (profiles.SCHEMA, Schema),
        (profiles.FIELD, Field),
        (profiles.DIALECT, Dialect),
        (profiles.CSV_DIALECT, CsvControl),
    ]
    for ours, cls in pairs:
        theirs = cls.metadata_ensure_profile()
        assert _types(ours) == _types(theirs), cls.__name__
        required = [k for k in theirs.get("required", []) if cls is not CsvControl or k != "type"]
        # (a CSV control's `type` is "csv", set by frictionless itself, never written)
        assert ours.get("required", []) == required, cls.__name__
    assert profiles.CONSTRAINTS["properties"].keys() == (
        Field.metadata_profile["properties"]["constraints"]["properties"].keys()
    )
    for ftype, allowed in profiles.TYPE_CONSTRAINTS.items():
        cls = system.select_field_class(ftype)
        assert set(allowed) == set(cls.supported_constraints), ftype
        extra = _types(cls.metadata_ensure_profile()).items() - _types(profiles.FIELD).items()
        assert dict(extra) == _types({"properties": profiles.TYPE_OPTIONS.get(ftype, {})}), ftype
