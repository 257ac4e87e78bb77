"""Parity with frictionless-py: `etl validate` reports the same (resource, row, field, type) set.

Each case is a small package named after what it breaks, written into a temporary folder and
validated by both; frictionless-py (a test dependency) is the reference.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from frictionless import validate as frictionless_validate

from etl.report.findings import Report
from etl.tableschema.engine import validate_package

Key = tuple[str, int | None, str | None, str]
V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
#: Error types about a whole row or an unnamed cell: compared without a field.
ROW_LEVEL = {"blank-row", "primary-key", "foreign-key", "extra-cell", "extra-label"}


def field(name: str, type_: str = "string", **props: Any) -> dict[str, Any]:
    """A Table Schema field; `constraints` and read options go in `props`."""
    return {"name": name, "type": type_, **props}


def write_package(folder: Path, tables: dict[str, tuple[str, dict[str, Any]]]) -> Path:
    """A package of CSV resources {name: (text, schema)}; returns its datapackage.json."""
    resources = []
    for name, (text, schema) in tables.items():
        (folder / f"{name}.csv").write_bytes(text.encode("utf-8"))
        resources.append({"name": name, "path": f"{name}.csv", "schema": schema})
    descriptor = folder / "datapackage.json"
    package = {"$schema": V2, "name": "case", "resources": resources}
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    return descriptor


def frictionless_keys(descriptor: Path) -> set[Key]:
    """frictionless-py's errors as (resource, row, field, type); header errors on row 1."""
    return report_keys(frictionless_validate(str(descriptor)))


def report_keys(report: Any) -> set[Key]:
    """The errors of a frictionless-py report as (resource, row, field, type)."""
    assert not report.errors, report.errors  # the package itself is readable
    out = set()
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None) or (1 if hasattr(error, "labels") else None)
            name = None if error.type in ROW_LEVEL else (getattr(error, "field_name", None) or None)
            out.add((task.name, row, name, error.type))
    return out


def etl_keys(report: Report, descriptor: Path) -> set[Key]:
    """Our findings as (resource, row, field, type); an empty field name (a column whose
    label is blank) as None, as frictionless_keys reads it."""
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    names = {Path(r["path"]).name: r["name"] for r in data["resources"]}
    return {
        (
            names[Path(f.file).name],
            f.row,
            None if f.kind in ROW_LEVEL else (f.field or None),
            f.kind,
        )
        for f in report.findings
    }


def assert_parity(descriptor: Path) -> set[Key]:
    """Both tools find the same non-empty set; returns it."""
    ours = etl_keys(validate_package(descriptor), descriptor)
    theirs = frictionless_keys(descriptor)
    assert ours == theirs
    return ours


INT_AND_TEXT = {"fields": [field("a", "integer"), field("b")]}

CASES: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {
    "type-error-every-type": {
        "t": (
            "i,n,b,d,dt,tm,y,ym\n"
            "1,1.5,true,2020-01-02,2020-01-02T10:00:00,10:00:00,2020,2020-01\n"
            "x,1..5,yes,2020-02-30,2020-01-02T10:00,25:00:00,20201,2020-13\n"
            " 7 ,NaN,1,2020-1-2,2020-01-02 10:00:00Z,10:00:00.5,0999,99-3\n"
            "1_000,-Infinity,FALSE,02/01/2020,2020-01-02T10:00:00+03:00,1:00:00,-001,2020-1-1\n",
            {
                "fields": [
                    field("i", "integer"),
                    field("n", "number"),
                    field("b", "boolean"),
                    field("d", "date"),
                    field("dt", "datetime"),
                    field("tm", "time"),
                    field("y", "year"),
                    field("ym", "yearmonth"),
                ]
            },
        )
    },
    "type-error-format-options": {
        "t": (
            "n,g,bare,flag,d,i\n"
            '"1.234,5","1 000",€ 12.50,yes,02/01/2020,$7\n'
            '"1,5.5",1000,12.50 EUR,ja,2020-01-02,7 USD\n',
            {
                "fields": [
                    field("n", "number", decimalChar=",", groupChar="."),
                    field("g", "number", groupChar=" "),
                    field("bare", "number", bareNumber=False),
                    field("flag", "boolean", trueValues=["yes"], falseValues=["no"]),
                    field("d", "date", format="%d/%m/%Y"),
                    field("i", "integer", bareNumber=False),
                ]
            },
        )
    },
    # NaN is a number's value, not a missing one: pandera's not-null check counts it as
    # null, frictionless' required does not (row 4's id fails, so its row goes to pandera)
    "required-number-holding-nan": {
        "t": (
            "id,x\n1,1\n2,\n0,NaN\n4,NaN\n",
            {
                "fields": [
                    field("id", "integer", constraints={"minimum": 1}),
                    field("x", "number", constraints={"required": True}),
                ]
            },
        )
    },
    "missing-values": {
        "t": (
            "a,b\nNA,x\n-,\n,y\nNA,NA\n",
            {
                "fields": [field("a", "integer", constraints={"required": True}), field("b")],
                "missingValues": ["NA", "-"],
            },
        )
    },
    "constraint-error-every-constraint": {
        "t": (
            "name,code,score,n,day\n"
            "ab,AB1,5,3,2020-01-01\n"
            ",ab,-1,10,2019-12-31\n"
            "abcdefghijk,XY9,101,0,2021-01-01\n"
            "abc,Q,50,5,2020-06-01\n",
            {
                "fields": [
                    field("name", constraints={"required": True, "minLength": 2, "maxLength": 10}),
                    field("code", constraints={"pattern": "[A-Z]{2}[0-9]", "enum": ["AB1", "XY9"]}),
                    field("score", "number", constraints={"minimum": 0, "maximum": 100}),
                    field(
                        "n", "integer", constraints={"exclusiveMinimum": 0, "exclusiveMaximum": 10}
                    ),
                    field(
                        "day",
                        "date",
                        constraints={"minimum": "2020-01-01", "maximum": "2020-12-31"},
                    ),
                ]
            },
        )
    },
    "unique-error": {
        "t": (
            "a,b\n1,x\n01,y\n2,x\n,z\n,z\nq,y\nq,w\n",
            {
                "fields": [
                    field("a", "integer", constraints={"unique": True}),
                    field("b", constraints={"unique": True}),
                ]
            },
        )
    },
    "primary-key": {
        "single": ("a,b\n1,x\n,y\n1,z\n", {**INT_AND_TEXT, "primaryKey": ["a"]}),
        "composite": (
            "a,b\n1,x\n1,\n1,\n,\n2,x\n1,x\n",
            {**INT_AND_TEXT, "primaryKey": ["a", "b"]},
        ),
    },
    "foreign-key": {
        "people": (
            "id,team,boss\n1,a,\n2,b,1\n3,z,9\n4,,\n",
            {
                "fields": [field("id", "integer"), field("team"), field("boss", "integer")],
                "foreignKeys": [
                    {"fields": ["team"], "reference": {"resource": "teams", "fields": ["code"]}},
                    {"fields": ["boss"], "reference": {"resource": "", "fields": ["id"]}},
                ],
            },
        ),
        "teams": ("code,label\na,A\nb,B\n", {"fields": [field("code"), field("label")]}),
    },
    "foreign-key-composite": {
        "child": (
            "x,y\n1,a\n1,b\n2,\n,\n",
            {
                "fields": [field("x", "integer"), field("y")],
                "foreignKeys": [
                    {
                        "fields": ["x", "y"],
                        "reference": {"resource": "parent", "fields": ["p", "q"]},
                    }
                ],
            },
        ),
        "parent": ("p,q\n1,a\n2,\n", {"fields": [field("p", "integer"), field("q")]}),
    },
    "missing-cell-extra-cell-blank-row": {
        "t": (
            "a,b,c\n1,x,y\n2,x\n3,x,y,z,w\n\n,,\n,,,extra\n4,x,y\n\n",
            {
                "fields": [
                    field("a", "integer"),
                    field("b", constraints={"required": True}),
                    field("c"),
                ]
            },
        )
    },
    "multi-line-cells": {
        "t": (
            'a,b\n1,"two\nlines"\nx,ok\n2,"three\nlines, and\n""quotes"""\ny,ok\n',
            INT_AND_TEXT,
        )
    },
    "duplicate-label-incorrect-label-extra-label": {
        "t": (
            "a,a,x,d\n1,2,3,4\n5,6,7\n",
            {"fields": [field("a", "integer"), field("b"), field("c")]},
        ),
    },
    "blank-label-missing-label": {
        "t": ("a,\n1,x\n2,x,y\n", {"fields": [field("a", "integer"), field("b"), field("c")]}),
    },
    "crlf-and-bom": {
        "t": ("\ufeffa,b\r\n1,x\r\nq,y\r\n\r\n", INT_AND_TEXT),
    },
    "lone-carriage-return-ends-a-row": {
        "t": ("a,b\r1,x\rq,y\n2,z,extra\n", INT_AND_TEXT),
    },
    "semicolons-sniffed-below-a-header-of-one-label": {  # etl read one cell and passed it
        "t": ("a\n" + "x;y\n" * 30, {"fields": [field("a")]}),
    },
    "space-after-each-delimiter-sniffed": {  # skipInitialSpace: '1, "x,y"' has two cells
        "t": ('a, b\n1, "x,y"\nq, z\n', INT_AND_TEXT),
    },
    "header-row-found-below-a-title": {  # the first row near the mean width is the header
        "t": (
            "Figures of 2024\na,b,c,d\n1,x,y,z\nq,x,y,z\n",
            {"fields": [field("a", "integer"), field("b"), field("c"), field("d")]},
        ),
    },
    "labels-stripped-of-white-space": {  # ' a', 'b ' and a no-break space are a and b
        "t": (' a,"b\u00a0 ",c \n1,x,y\n', {"fields": [field("a", "integer"), field("b")]}),
    },
    "short-row-where-empty-text-is-not-missing": {  # the absent cells are missing, not ''
        "t": (
            "a,b,c\n1\n2,3\n4,5,6\n",
            {
                "fields": [field("a", "integer"), field("b", "integer"), field("c", "integer")],
                "missingValues": ["NA"],
            },
        ),
    },
    "blank-header-row": {  # no header: the cells are the schema's fields, unlabelled
        "t": ("\r\nx\n1,y,z\n\n", INT_AND_TEXT),
    },
    "blank-header-row-and-nothing-after": {"t": ("\ufeff\n", INT_AND_TEXT)},
    "text-after-a-closing-quote": {
        "t": ('a,b\n1,"x"y\n"q"2,z\n3\n', INT_AND_TEXT),
    },
    "quote-inside-an-unquoted-cell": {
        "t": ('a,b\n1,x"y,z"\nq,"p,r"\n', INT_AND_TEXT),
    },
    "pattern-polars-cannot-run-or-reads-otherwise": {
        "t": (
            "ahead,back,posix,word,space\n"
            "abc1,aa,abc,abc,x\n"
            "abc,ab,[:],a\u0301,\x1cx\n"
            "7,bb,:],x\u00b2,\u00a0x\n",
            {
                "fields": [
                    field("ahead", constraints={"pattern": "(?=.*[0-9])[a-z0-9]+"}),
                    field("back", constraints={"pattern": "(a)\\1"}),
                    field("posix", constraints={"pattern": "[[:alpha:]]+"}),
                    field("word", constraints={"pattern": "\\w+"}),
                    field("space", constraints={"pattern": "\\s?x"}),
                ]
            },
        )
    },
    "foreign-key-reference-field-missing": {
        "people": (
            "id,team,boss\n1,a,\n2,,1\n3,b,7\n",
            {
                "fields": [field("id", "integer"), field("team"), field("boss", "integer")],
                "foreignKeys": [
                    {"fields": ["team"], "reference": {"resource": "teams", "fields": ["code"]}},
                    {"fields": ["boss"], "reference": {"resource": "", "fields": ["chief"]}},
                ],
            },
        ),
        "teams": ("label\nA\n", {"fields": [field("label"), field("code")]}),
        "pairs": (
            "x,y\n1,\n1,2\n,\n",
            {
                "fields": [field("x", "integer"), field("y")],
                "foreignKeys": [
                    {"fields": ["x", "y"], "reference": {"resource": "ids", "fields": ["p", "q"]}}
                ],
            },
        ),
        "ids": ("p\n1\n", {"fields": [field("p", "integer")]}),
    },
    "names-polars-reads-as-patterns": {
        "t": (
            "*,^f.*$,f1\n1,a,x\n1,b,y\nz,b,\n",
            {
                "fields": [
                    field("*", "integer", constraints={"unique": True}),
                    field("^f.*$", constraints={"enum": ["a"]}),
                    field("f1", constraints={"required": True}),
                ],
                "primaryKey": ["*", "^f.*$"],
                "foreignKeys": [
                    {"fields": ["^f.*$"], "reference": {"resource": "u", "fields": ["*"]}}
                ],
            },
        ),
        "u": ("*\na\n", {"fields": [field("*")]}),
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_findings_as_frictionless(case: str, tmp_path: Path) -> None:
    """etl validate and frictionless validate report the same set of errors."""
    assert assert_parity(write_package(tmp_path, CASES[case]))


def test_every_error_type_is_covered(tmp_path: Path) -> None:
    """The cases above make frictionless report every error type etl validate checks."""
    found: set[str] = set()
    for number, case in enumerate(CASES.values()):
        folder = tmp_path / str(number)
        folder.mkdir()
        found |= {key[3] for key in frictionless_keys(write_package(folder, case))}
    assert found >= {
        "type-error",
        "constraint-error",
        "unique-error",
        "primary-key",
        "foreign-key",
        "missing-cell",
        "extra-cell",
        "blank-row",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "incorrect-label",
        "blank-label",
    }


def test_bytes_and_hash_as_frictionless(tmp_path: Path) -> None:
    """A wrong declared size and checksum are byte-count and hash-count errors in both."""
    descriptor = write_package(tmp_path, {"t": ("a,b\n1,x\n", INT_AND_TEXT)})
    data = json.loads(descriptor.read_text())
    data["resources"][0]["bytes"] = 3
    data["resources"][0]["hash"] = "sha256:" + hashlib.sha256(b"other").hexdigest()
    descriptor.write_text(json.dumps(data))
    assert assert_parity(descriptor) == {
        ("t", None, None, "byte-count"),
        ("t", None, None, "hash-count"),
    }


def test_pattern_cases_run_both_engines() -> None:
    """The pattern case runs each engine of etl.tableschema.patterns."""
    from etl.tableschema.patterns import pattern_engine

    fields = CASES["pattern-polars-cannot-run-or-reads-otherwise"]["t"][1]["fields"]
    engines = [pattern_engine(f["constraints"]["pattern"]) for f in fields]
    assert engines == ["python", "python", "python", "mixed", "mixed"]


@pytest.mark.parametrize("pattern", ["[", "a)|(.*"])
def test_broken_pattern_is_refused_by_both(tmp_path: Path, pattern: str) -> None:
    """A pattern that is not a regular expression: frictionless-py 5.21 stops with re's
    error (no report); etl reports a schema error naming the field and the pattern."""
    import re

    schema = {"fields": [field("code", constraints={"pattern": pattern})]}
    descriptor = write_package(tmp_path, {"t": ("code\nabc\n", schema)})
    with pytest.raises(re.error):
        frictionless_validate(str(descriptor))
    findings = validate_package(descriptor).findings
    assert [(f.kind, f.field, f.value) for f in findings] == [("schema-error", "code", pattern)]


def test_valid_package_is_valid_in_both(tmp_path: Path) -> None:
    """A clean package gives no finding in either tool."""
    descriptor = write_package(
        tmp_path, {"t": ("a,b\n1,x\n2,y\n", {**INT_AND_TEXT, "primaryKey": ["a"]})}
    )
    assert etl_keys(validate_package(descriptor), descriptor) == set()
    assert frictionless_keys(descriptor) == set()


def test_parquet_nulls_differ_on_purpose(tmp_path: Path) -> None:
    """Parquet: frictionless reads through pandas, so a null integer or number becomes NaN,
    a type or constraint error; etl reads each column as stored, a null is a missing value,
    and only the real errors remain. This difference from frictionless is deliberate."""
    pl.DataFrame(
        {"a": [1, None, 3, 3], "c": [1.5, None, 2.0, -1.0], "d": [True, False, None, True]}
    ).write_parquet(tmp_path / "t.parquet")
    schema = {
        "fields": [
            field("a", "integer", constraints={"unique": True}),
            field("c", "number", constraints={"minimum": 0}),
            field("d", "boolean"),
        ]
    }
    resource = {"name": "t", "path": "t.parquet", "format": "parquet", "schema": schema}
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [resource]}))
    ours = etl_keys(validate_package(descriptor), descriptor)
    theirs = frictionless_keys(descriptor)
    assert ours == {("t", 5, "a", "unique-error"), ("t", 5, "c", "constraint-error")}
    # the null integer and the null number, both read as NaN: not an integer, not >= 0
    assert theirs == ours | {("t", 3, "a", "type-error"), ("t", 3, "c", "constraint-error")}


def test_dialect_without_header_and_semicolons(tmp_path: Path) -> None:
    """A headerless, semicolon-separated file is numbered from row 1 in both tools."""
    descriptor = write_package(tmp_path, {"t": ("1;x\nq;y\n3\n", INT_AND_TEXT)})
    data = json.loads(descriptor.read_text())
    data["resources"][0]["dialect"] = {"delimiter": ";", "header": False}
    descriptor.write_text(json.dumps(data))
    assert assert_parity(descriptor) == {("t", 2, "a", "type-error"), ("t", 3, "b", "missing-cell")}


def text_resource(folder: Path, content: bytes, **props: Any) -> Path:
    """A package of one table and one plain-text resource holding `content`."""
    descriptor = write_package(folder, {"t": ("a,b\n1,x\n", INT_AND_TEXT)})
    (folder / "source.txt").write_bytes(content)
    data = json.loads(descriptor.read_text())
    text = {"name": "source", "path": "source.txt", "format": "txt", "mediatype": "text/plain"}
    data["resources"].append({**text, **props})
    descriptor.write_text(json.dumps(data))
    return descriptor


def test_text_resource_is_valid_in_both(tmp_path: Path) -> None:
    """A text resource with its true size and SHA-256 needs no schema in either tool."""
    content = "Текст источника\n".encode()
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    descriptor = text_resource(tmp_path, content, bytes=len(content), hash=digest)
    assert etl_keys(validate_package(descriptor), descriptor) == set()
    assert frictionless_keys(descriptor) == set()


def test_text_resource_hash_and_bytes_as_frictionless(tmp_path: Path) -> None:
    """A text resource whose bytes changed is a byte-count and a hash-count error in both."""
    digest = "sha256:" + hashlib.sha256(b"other").hexdigest()
    descriptor = text_resource(tmp_path, "Текст\n".encode(), bytes=3, hash=digest)
    assert assert_parity(descriptor) == {
        ("source", None, None, "byte-count"),
        ("source", None, None, "hash-count"),
    }


def test_integers_beyond_64_bits_differ_on_purpose(tmp_path: Path) -> None:
    """etl reads integers as 64-bit (polars' Int64, which its keys and checks rely on);
    frictionless-py reads Python integers of any size. A wider whole number is the one case
    where etl finds an error frictionless does not: it is a type error saying exactly that,
    never a pass of a cell frictionless rejects."""
    schema = {"fields": [field("id", "integer"), field("n", "integer")]}
    text = f"id,n\n1,{2**63}\n2,{-(2**63)}\n3,-{2**63 + 1}\n4,{2**63 - 1}\n"
    descriptor = write_package(tmp_path, {"t": (text, schema)})
    assert frictionless_keys(descriptor) == set()
    report = validate_package(descriptor)
    assert [(f.row, f.field, f.kind, f.value) for f in report.findings] == [
        (2, "n", "type-error", str(2**63)),
        (4, "n", "type-error", f"-{2**63 + 1}"),
    ]
    assert report.findings[0].message == (
        f"is not a whole number etl can read: from {-(2**63)} to {2**63 - 1} (frictionless "
        "reads wider ones; declare the field as string or validate it with frictionless if "
        "such numbers are meant) (type integer) - fix the cell or the field's type"
    )
