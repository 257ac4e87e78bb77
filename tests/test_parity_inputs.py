"""Parity with frictionless-py on what a resource may be: a resource descriptor as PATH,
inline data, compressed files, several parts, and text in other encodings than UTF-8.

Each case is written into a temporary folder and validated by both tools: the same
(resource, row, field, type) set.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from frictionless import validate as frictionless_validate

from etl.cli import main
from etl.report.findings import Report
from etl.tableschema.engine import validate_package
from tests.test_parity import INT_AND_TEXT, ROW_LEVEL, Key, field, frictionless_keys

TABLE = b"a,b\n1,x\nq,y\n2\n"
ENUM_B = {"fields": [field("a", "integer"), field("b", constraints={"enum": ["\u00e9", "да"]})]}


def keys(report: Report) -> set[Key]:
    """Our findings as (resource, row, field, type): one resource, t."""
    return {("t", f.row, None if f.kind in ROW_LEVEL else f.field, f.kind) for f in report.findings}


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    """A zip archive of the members, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


#: name: ({file: bytes}, resource properties besides name and schema, schema).
INPUT_CASES: dict[str, tuple[dict[str, bytes], dict[str, Any], dict[str, Any]]] = {
    "gz-by-suffix": ({"t.csv.gz": gzip.compress(TABLE)}, {"path": "t.csv.gz"}, INT_AND_TEXT),
    "bz2-by-suffix": ({"t.csv.bz2": bz2.compress(TABLE)}, {"path": "t.csv.bz2"}, INT_AND_TEXT),
    "xz-by-suffix": ({"t.csv.xz": lzma.compress(TABLE)}, {"path": "t.csv.xz"}, INT_AND_TEXT),
    "zip-first-member": (
        {"t.csv.zip": zipped([("t.csv", TABLE), ("u.csv", b"a,b\n1,x\n")])},
        {"path": "t.csv.zip"},
        INT_AND_TEXT,
    ),
    "zip-innerpath": (
        {"t.zip": zipped([("u.csv", b"a,b\nz,z\n"), ("t.csv", TABLE)])},
        {"path": "t.zip", "innerpath": "t.csv", "format": "csv"},
        INT_AND_TEXT,
    ),
    "compression-without-suffix": (
        {"t.dat": gzip.compress(TABLE)},
        {"path": "t.dat", "compression": "gz", "format": "csv"},
        INT_AND_TEXT,
    ),
    "gz-with-wrong-bytes": (
        {"t.csv.gz": gzip.compress(TABLE)},
        {"path": "t.csv.gz", "bytes": 5},
        INT_AND_TEXT,
    ),
    "latin-1": (
        {"t.csv": "a,b\n1,\u00e9\nq,\u00e8\n".encode("latin-1")},
        {"path": "t.csv", "encoding": "latin-1"},
        ENUM_B,
    ),
    "cp1251": (
        {"t.csv": "a,b\n1,да\nq,нет\n".encode("cp1251")},
        {"path": "t.csv", "encoding": "cp1251"},
        ENUM_B,
    ),
    "utf-16": (
        {"t.csv": "a,b\n1,да\nq,нет\n".encode("utf-16")},
        {"path": "t.csv", "encoding": "utf-16"},
        ENUM_B,
    ),
    "gzip-of-cp1251": (
        {"t.csv.gz": gzip.compress("a,b\n1,да\nq,нет\n".encode("cp1251"))},
        {"path": "t.csv.gz", "encoding": "cp1251"},
        ENUM_B,
    ),
    "unknown-encoding": ({"t.csv": TABLE}, {"path": "t.csv", "encoding": "nope"}, INT_AND_TEXT),
    "latin-1-undeclared": (  # read in the encoding frictionless detects (by chardet)
        {"t.csv": "a,b\n1,\u00e9\nq,\u00e8\n".encode("latin-1")},
        {"path": "t.csv"},
        ENUM_B,
    ),
    "cp1251-undeclared": (
        {"t.csv": "a,b\n1,да\nq,нет\n2,не\u0442\n".encode("cp1251")},
        {"path": "t.csv"},
        ENUM_B,
    ),
    "utf-8-undeclared-holding-latin-1-past-the-detected-bytes": (
        {"t.csv": b"a,b\n" + "1,\u00e9\n".encode() * 30_000 + b"2,\xe9\n"},
        {"path": "t.csv"},
        INT_AND_TEXT,
    ),
    "utf-8-holding-latin-1": (  # etl read it as U+FFFD and passed it
        {"t.csv": "a,b\n1,\u00e9\n".encode("latin-1")},
        {"path": "t.csv", "encoding": "utf-8"},
        INT_AND_TEXT,
    ),
    "utf-8-holding-a-cut-sequence": (
        {"t.csv": b"a,b\n1,x\n2,\xe2\x82\n"},
        {"path": "t.csv", "encoding": "utf-8"},
        INT_AND_TEXT,
    ),
    "multipart-each-part-with-its-header": (
        {"t1.csv": b"a,b\n1,x\n", "t2.csv": b"a,b\nq,y\n2,z,w\n"},
        {"path": ["t1.csv", "t2.csv"]},
        INT_AND_TEXT,
    ),
    "multipart-as-extrapaths": (
        {"t1.csv": b"a,b\n1,x\n", "t2.csv": b"a,b\nq,y\n"},
        {"path": "t1.csv", "extrapaths": ["t2.csv"]},
        INT_AND_TEXT,
    ),
    "inline-rows-as-arrays": (
        {},
        {"data": [["a", "b"], [1, "x"], ["q", "y"], [2], [3, "z", "w"]]},
        INT_AND_TEXT,
    ),
    "inline-rows-as-objects": (
        {},
        {"data": [{"a": 1, "b": "x"}, {"a": "q", "b": "y"}, {"a": 2}, {"b": None}]},
        {"fields": [field("a", "integer", constraints={"required": True}), field("b")]},
    ),
}


def input_package(folder: Path, case: str) -> Path:
    """The package of an input case."""
    files, resource, schema = INPUT_CASES[case]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    descriptor = folder / "datapackage.json"
    res = {"name": "t", **resource, "schema": schema}
    descriptor.write_text(json.dumps({"name": "case", "resources": [res]}))
    return descriptor


@pytest.mark.parametrize("case", sorted(INPUT_CASES))
def test_same_findings_as_frictionless_for_an_input(case: str, tmp_path: Path) -> None:
    """A compressed, multipart, inline or transcoded resource: the same findings in both."""
    descriptor = input_package(tmp_path, case)
    ours = keys(validate_package(descriptor))
    assert ours == frictionless_keys(descriptor)
    assert ours  # every case has something wrong


GOOD = b"a,b\n1,x\n"
#: The input cases without their faults: case -> (files, resource properties changed).
VALID_INPUTS: dict[str, tuple[dict[str, bytes], dict[str, Any]]] = {
    "gz-by-suffix": ({"t.csv.gz": gzip.compress(GOOD)}, {}),
    "bz2-by-suffix": ({"t.csv.bz2": bz2.compress(GOOD)}, {}),
    "xz-by-suffix": ({"t.csv.xz": lzma.compress(GOOD)}, {}),
    "zip-innerpath": ({"t.zip": zipped([("u.csv", b"a,b\nz,z\n"), ("t.csv", GOOD)])}, {}),
    "latin-1": ({"t.csv": "a,b\n1,\u00e9\n".encode("latin-1")}, {}),
    "cp1251": ({"t.csv": "a,b\n1,да\n".encode("cp1251")}, {}),
    "utf-16": ({"t.csv": "a,b\n1,да\n".encode("utf-16")}, {}),
    "multipart-each-part-with-its-header": ({"t1.csv": GOOD, "t2.csv": b"a,b\n2,y\n"}, {}),
    "inline-rows-as-arrays": ({}, {"data": [["a", "b"], [1, "x"]]}),
    "inline-rows-as-objects": ({}, {"data": [{"a": 1, "b": "x"}, {"a": 2}]}),
}


@pytest.mark.parametrize("case", sorted(VALID_INPUTS))
def test_valid_input_is_valid_in_both(case: str, tmp_path: Path) -> None:
    """The same inputs without their faults: valid in both tools."""
    _, resource, schema = INPUT_CASES[case]
    files, changed = VALID_INPUTS[case]
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    res = {"name": "t", **resource, **changed, "schema": schema}
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [res]}))
    assert frictionless_validate(str(descriptor)).valid
    assert validate_package(descriptor).findings == []


@pytest.mark.parametrize("suffix", [".resource.json", ".resource.yaml"])
def test_resource_descriptor_as_path(tmp_path: Path, suffix: str) -> None:
    """A resource descriptor given as PATH is validated as a package of that one resource."""
    (tmp_path / "t.csv").write_bytes(TABLE)
    res = {"name": "t", "path": "t.csv", "schema": INT_AND_TEXT}
    descriptor = tmp_path / f"t{suffix}"
    descriptor.write_text(json.dumps(res))  # JSON is YAML too
    ours = keys(validate_package(descriptor))
    assert ours == frictionless_keys(descriptor)
    assert ours == {("t", 3, "a", "type-error"), ("t", 4, "b", "missing-cell")}


def test_text_not_utf8_far_into_the_file_is_an_encoding_error_alone(tmp_path: Path) -> None:
    """Bad bytes past 8 KiB: etl's encoding-error alone, frictionless' with earlier rows."""
    # A difference on purpose: which rows frictionless checks before it stops depends on
    # its decoding chunks (8 KiB); both fail, and the text is to be fixed first.
    body = b"a,b\nq,x\n" + b"1,x\n" * 3000 + b"2,caf\xe9\n3,y\n"
    (tmp_path / "t.csv").write_bytes(body)
    res = {"name": "t", "path": "t.csv", "encoding": "utf-8", "schema": INT_AND_TEXT}
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [res]}))
    (finding,) = validate_package(descriptor).findings
    assert (finding.kind, finding.row, finding.message) == (
        "encoding-error",
        None,
        f"byte 0xE9 at offset {len(body) - 6:,} (line 3,003) is not utf-8: invalid continuation "
        "byte; no row is checked (declare the encoding it is in if not UTF-8) - save the file "
        "as UTF-8",
    )
    assert frictionless_keys(descriptor) == {
        ("t", 2, "a", "type-error"),
        ("t", None, None, "encoding-error"),
    }


def test_decompressed_size_is_capped(tmp_path: Path) -> None:
    """A compressed resource expanding past the cap: exit 2, saying how to raise it."""
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress(b"a,b\n" + b"1,x\n" * 1000))
    res = {"name": "t", "path": "t.csv.gz", "schema": INT_AND_TEXT}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    args = ["validate", str(tmp_path / "datapackage.json")]
    capped = CliRunner().invoke(main, [*args, "--decompressed-max-bytes", "100"])
    assert capped.exit_code == 2
    assert "expands to more than 100 bytes - raise the limit with --decompressed-max-bytes" in (
        capped.stderr
    )
    assert CliRunner().invoke(main, args).exit_code == 0


def test_header_rows_in_several_parts_are_refused(tmp_path: Path) -> None:
    """headerRows in a multipart table: where each part's header is is not said, so exit 2."""
    for name in ("t1.csv", "t2.csv"):
        (tmp_path / name).write_bytes(b"title\na,b\n1,x\n")
    res = {"name": "t", "path": ["t1.csv", "t2.csv"], "schema": INT_AND_TEXT}
    res["dialect"] = {"headerRows": [2]}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "datapackage.json")])
    assert result.exit_code == 2
    assert "resource 't': headerRows in a table of several parts is not read" in result.stderr
