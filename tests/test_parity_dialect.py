"""Parity with frictionless-py on dialects, and every property of the specs read or refused.

A dialect case is a CSV resource with a dialect (inline, or in a file; the Data Package v1
shape, or frictionless v5's with the CSV options under `csv`), validated by both tools: the
same (resource, row, field, type) set. The property list is taken from the profiles that
frictionless-py ships, its JSON and Excel options, and the Data Package v2 properties it
does not know: each property is named by a parity case, or refused with exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.tableschema.engine import validate_package
from tests.test_parity import CASES, INT_AND_TEXT, etl_keys, field, frictionless_keys
from tests.test_parity_descriptors import DESCRIPTOR_CASES, VALID_DESCRIPTORS, write
from tests.test_parity_inputs import INPUT_CASES
from tests.test_parity_native import NATIVE_CASES, VALID_NATIVE, XLSX_DIALECTS

ENUM_B = {"fields": [field("a", "integer"), field("b", constraints={"enum": ["x", "y"]})]}
SPACED = "a;b\n 1; x\nq; y\n 3;z\n"

#: name: (CSV text, schema, dialect, whether the dialect is in a file of its own).
DIALECT_CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any], bool]] = {
    "v5-shape-delimiter-and-skipInitialSpace": (
        SPACED,
        ENUM_B,
        {"csv": {"delimiter": ";", "skipInitialSpace": True}},
        False,
    ),
    "v1-shape-skipInitialSpace": (
        SPACED,
        ENUM_B,
        {"delimiter": ";", "skipInitialSpace": True},
        False,
    ),
    "without-skipInitialSpace-the-space-stays": (SPACED, ENUM_B, {"delimiter": ";"}, False),
    "v5-shape-in-a-dialect-file": (
        "1;x\nq;y\n",
        INT_AND_TEXT,
        {"header": False, "csv": {"delimiter": ";"}},
        True,
    ),
    "v1-shape-in-a-dialect-file": ("a|b\n1|x\nq|y\n", INT_AND_TEXT, {"delimiter": "|"}, True),
    "headerRows-below-a-title": (
        "A title\n\na,b\n1,x\nq,y\n",
        INT_AND_TEXT,
        {"headerRows": [3]},
        False,
    ),
    "headerRows-two-joined-by-headerJoin": (
        "a,b\nx,b\n1,x\nq,y\n",
        {"fields": [field("a_x", "integer"), field("b")]},
        {"headerRows": [1, 2], "headerJoin": "_"},
        False,
    ),
    "headerRows-two-joined-wrongly": (
        "a,b\nx,y\n1,x\n",
        {"fields": [field("a x", "integer"), field("b_y")]},
        {"headerRows": [1, 2]},
        False,
    ),
    "headerCase-false-labels-in-any-case": (
        "A,B\n1,x\nq,y\n",
        INT_AND_TEXT,
        {"headerCase": False},
        False,
    ),
    "headerCase-false-other-labels-still-incorrect": (
        "A,c\n1,x\n",
        INT_AND_TEXT,
        {"headerCase": False},
        False,
    ),
    "commentChar": ("a,b\n#note,x\n1,x\nq,y\n#,\n2\n", INT_AND_TEXT, {"commentChar": "#"}, False),
    "commentRows": ("a,b\nskip,me\n1,x\nq,y\n", INT_AND_TEXT, {"commentRows": [2]}, False),
    "skipBlankRows": ("a,b\n1,x\n\n,\nq,y\n3\n", INT_AND_TEXT, {"skipBlankRows": True}, False),
    "headerRows-below-blank-rows-skipped": (  # etl dropped rows 5 and 6 with the blank ones
        "A title\n\n\na,b\n1,x\nq,y\n",
        INT_AND_TEXT,
        {"headerRows": [4], "skipBlankRows": True},
        False,
    ),
    "skipBlankRows-and-only-a-blank-header-row": (  # etl crashed: no record left to read
        ",\n",
        INT_AND_TEXT,
        {"skipBlankRows": True},
        False,
    ),
    "doubleQuote-false-with-escapeChar": (
        'a,b\n1,"x\\"y"\nq,"y\\",z"\n',
        INT_AND_TEXT,
        {"csv": {"doubleQuote": False, "escapeChar": "\\"}},
        False,
    ),
    "doubleQuote-false-without-escapeChar-is-read-true": (  # etl passed '"x"",' silently
        'a,b\n"x"",\n"1""2",y\n',
        INT_AND_TEXT,
        {"doubleQuote": False},
        False,
    ),
    "quoteChar-and-escapeChar-in-v1-shape": (
        "a,b\n1,'x,y'\nq,x\\,y\n",
        INT_AND_TEXT,
        {"quoteChar": "'", "escapeChar": "\\"},
        False,
    ),
}


def dialect_package(folder: Path, case: str, lines: int | None = None) -> Path:
    """The package of a dialect case (of its first `lines` lines only, if given)."""
    text, schema, dialect, in_file = DIALECT_CASES[case]
    text = "".join(text.splitlines(keepends=True)[:lines])
    if in_file:
        (folder / "dialect.json").write_text(json.dumps(dialect))
        return write(folder, text, schema, dialect="dialect.json")
    return write(folder, text, schema, dialect=dialect)


@pytest.mark.parametrize("case", sorted(DIALECT_CASES))
def test_same_findings_as_frictionless_with_a_dialect(case: str, tmp_path: Path) -> None:
    """A dialect read the same way: the same findings in both tools."""
    descriptor = dialect_package(tmp_path, case)
    ours = etl_keys(validate_package(descriptor), descriptor)
    theirs = frictionless_keys(descriptor)
    assert ours == theirs
    assert ours  # every case has something wrong


#: The dialect cases whose first lines hold no fault: how many lines.
VALID_LINES = {
    "v5-shape-delimiter-and-skipInitialSpace": 2,
    "v1-shape-skipInitialSpace": 2,
    "v5-shape-in-a-dialect-file": 1,
    "v1-shape-in-a-dialect-file": 2,
    "commentChar": 3,
    "commentRows": 3,
    "skipBlankRows": 4,
    "doubleQuote-false-with-escapeChar": 2,
    "quoteChar-and-escapeChar-in-v1-shape": 2,
    "headerRows-below-a-title": 4,
    "headerRows-two-joined-by-headerJoin": 3,
    "headerCase-false-labels-in-any-case": 2,
}


@pytest.mark.parametrize("case", sorted(VALID_LINES))
def test_dialect_without_faults_is_valid_in_both(case: str, tmp_path: Path) -> None:
    """The first lines of a dialect case, before its faults: valid in both tools."""
    descriptor = dialect_package(tmp_path, case, VALID_LINES[case])
    assert etl_keys(validate_package(descriptor), descriptor) == set()
    assert frictionless_keys(descriptor) == set()


def test_skipped_rows_keep_their_numbers(tmp_path: Path) -> None:
    """A comment row is left out but still counted: the error after it is on row 4."""
    descriptor = dialect_package(tmp_path, "commentChar")
    assert etl_keys(validate_package(descriptor), descriptor) == {
        ("t", 4, "a", "type-error"),
        ("t", 6, "b", "missing-cell"),
    }


#: Properties of the specs etl validate does not read, with a value that means something:
#: (level, property) -> value. Each is refused with exit 2, naming it and the resource.
REFUSED: dict[tuple[str, str], Any] = {
    ("package", "type"): "package",
    ("resource", "rows"): 5,
    ("resource", "fields"): 2,
    ("dialect", "nullSequence"): "NULL",
    ("dialect", "lineTerminator"): ";",
    ("dialect", "type"): "csv",
    ("field", "arrayItem"): {"type": "integer"},
    ("field", "delimiter"): ";",
    ("field", "itemType"): "integer",
    # Data Package v2 properties frictionless-py 5 ignores (a table breaking them passes it)
    ("schema", "uniqueKeys"): [["a", "b"]],
    ("field", "categories"): ["x", "y"],
    ("field", "categoriesOrdered"): True,
    ("constraint", "jsonSchema"): {"type": "string"},
    ("dialect", "property"): "rows",
    ("dialect", "itemType"): "object",
    ("dialect", "itemKeys"): ["a", "b"],
    ("dialect", "sheetNumber"): 2,
    ("dialect", "sheetName"): "data",
    ("dialect", "table"): "t",
    # frictionless' own options of Excel and JSON tables that change what a cell holds
    ("excel", "fillMergedCells"): True,
    ("excel", "preserveFormatting"): True,
    ("excel", "adjustFloatingPointError"): True,
    ("excel", "workbookCache"): {},
    ("json", "keys"): ["a"],
    ("json", "keyed"): True,
    ("json", "property"): "rows",
}
#: Field types etl validate does not check yet: refused.
REFUSED_TYPES = ("list",)


def refused_package(folder: Path, level: str, key: str, value: Any) -> Path:
    """A valid package but for one property that etl validate does not read."""
    schema: dict[str, Any] = {"fields": [field("a", "integer"), field("b")]}
    resource: dict[str, Any] = {}
    package: dict[str, Any] = {}
    if level == "package":
        package[key] = value
    elif level == "resource":
        resource[key] = value
    elif level == "dialect":
        resource["dialect"] = {key: value}
    elif level in ("excel", "json"):
        resource["dialect"] = {level: {key: value}}
    elif level == "schema":
        schema[key] = value
    elif level == "constraint":
        schema["fields"][1] = field("b", "object", constraints={key: value})
    elif key in ("categories", "categoriesOrdered"):
        schema["fields"][1] = field("b", **{key: value})
    else:
        ftype = {"arrayItem": "array", "delimiter": "list", "itemType": "list"}[key]
        schema["fields"][1] = field("b", ftype, **{key: value})
    return write(folder, "a,b\n1,x\n", schema, package=package, **resource)


@pytest.mark.parametrize(("level", "key"), sorted(REFUSED))
def test_property_not_read_is_refused(tmp_path: Path, level: str, key: str) -> None:
    """A property of the specs that etl validate does not read: exit 2, naming it and the
    resource (or the package), never a silent pass."""
    descriptor = refused_package(tmp_path, level, key, REFUSED[(level, key)])
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 2, result.output
    named = "type" if level == "field" and key in ("delimiter", "itemType") else key
    assert named in result.stderr
    assert ("datapackage.json" if level == "package" else "resource 't'") in result.stderr


@pytest.mark.parametrize("ftype", REFUSED_TYPES)
def test_type_not_checked_is_refused(tmp_path: Path, ftype: str) -> None:
    """A Table Schema type etl validate does not check: exit 2, naming the type and field."""
    descriptor = write(tmp_path, "a\n1\n", {"fields": [field("a", ftype)]})
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 2
    assert f"resource 't', field 'a': type '{ftype}' is not checked" in result.stderr


#: Data Package v2 properties (datapackage.org/standard) that frictionless-py 5's
#: profiles do not list, by level.
V2_ONLY = {
    ("package", "id"),
    ("resource", "$schema"),
    ("schema", "$schema"),
    ("schema", "uniqueKeys"),
    ("dialect", "$schema"),
    ("dialect", "property"),
    ("dialect", "itemType"),
    ("dialect", "itemKeys"),
    ("dialect", "sheetNumber"),
    ("dialect", "sheetName"),
    ("dialect", "table"),
    ("field", "categories"),
    ("field", "categoriesOrdered"),
    ("constraint", "jsonSchema"),
}


def spec_properties() -> set[tuple[str, str]]:
    """Every property of the Data Package, Table Schema and CSV Dialect profiles that
    frictionless-py ships, of its Excel and JSON options, and of Data Package v2, by level."""
    from frictionless import Dialect, Package, Resource, Schema, system
    from frictionless.formats.csv import CsvControl
    from frictionless.formats.excel import ExcelControl
    from frictionless.formats.json import JsonControl

    found = {("package", "$schema"), *V2_ONLY}
    for level, control in (("excel", ExcelControl), ("json", JsonControl)):
        found |= {(level, k) for k in control.metadata_profile_patch["properties"]}
    for level, cls in (("package", Package), ("resource", Resource), ("schema", Schema)):
        found |= {(level, key) for key in cls.metadata_ensure_profile()["properties"]}
    for cls in (Dialect, CsvControl):
        found |= {("dialect", key) for key in cls.metadata_ensure_profile()["properties"]}
    for ftype in (*REFUSED_TYPES, "any", "array", "boolean", "geojson", "integer", "number"):
        profile = system.select_field_class(ftype).metadata_ensure_profile()["properties"]
        found |= {("field", key) for key in profile}
        found |= {("constraint", key) for key in profile["constraints"]["properties"]}
    return found


def named_properties() -> set[str]:
    """Every key of every descriptor the parity cases write."""

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list | tuple):
            return {k for v in value for k in keys(v)}
        return set()

    named = keys([schema for case in CASES.values() for _, schema in case.values()])
    named |= keys([case[0] for case in DESCRIPTOR_CASES.values()])
    named |= keys(list(VALID_DESCRIPTORS.values()))
    named |= keys([case[1:3] for case in DIALECT_CASES.values()])
    named |= keys([case[1:] for case in INPUT_CASES.values()])
    named |= keys([*NATIVE_CASES.values(), *VALID_NATIVE.values(), *XLSX_DIALECTS])
    # test_parity.py: bytes and hash, the header and delimiter, a Parquet resource's format
    return named | {
        "bytes",
        "hash",
        "header",
        "delimiter",
        "format",
        "name",
        "path",
        "schema",
        "resources",
    }


def test_every_spec_property_is_read_or_refused() -> None:
    """Each property of the specs is named by a parity case (read as frictionless reads it)
    or refused with exit 2: none is ignored."""
    refused = set(REFUSED)
    named = named_properties()
    left = {(level, key) for level, key in spec_properties() - refused if key not in named}
    assert left == set()


def test_header_case_with_labels_matched_by_name_is_refused(tmp_path: Path) -> None:
    """headerCase false where labels pair with fields by name: not read, so exit 2."""
    schema = {**INT_AND_TEXT, "fieldsMatch": "equal"}
    descriptor = write(tmp_path, "A,b\n1,x\n", schema, dialect={"headerCase": False})
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 2
    assert "resource 't': headerCase false with fieldsMatch 'equal' is not read" in result.stderr
