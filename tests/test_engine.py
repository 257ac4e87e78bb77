"""Tests for etl.tableschema.engine: whole packages, limits, streaming, Parquet, the
project's own."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import etl.tableschema.checker
import etl.tableschema.csv_reader
from etl.report.findings import Finding, Severity
from etl.tableschema.engine import validate_file, validate_package
from etl.tableschema.package import read_package
from etl.tableschema.resource import check_resource

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string", "constraints": {"required": True}},
    ],
    "primaryKey": ["id"],
}


def write(folder: Path, text: str, schema: dict[str, Any] = SCHEMA, **extra: Any) -> Path:
    """A package with one CSV resource t.csv holding `text`."""
    (folder / "t.csv").write_bytes(text.encode("utf-8"))
    res = {"name": "t", "path": "t.csv", "schema": schema, **extra}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    return folder / "datapackage.json"


def test_valid_package_has_no_findings(tmp_path: Path) -> None:
    """A clean package gives an empty, ok report."""
    report = validate_package(write(tmp_path, "id,name\n1,a\n2,b\n"))
    assert report.findings == []
    assert report.ok


def test_findings_name_file_row_field_value_and_fix(tmp_path: Path) -> None:
    """Each finding says where, what, and what to do, in frictionless' terms and row order."""
    report = validate_package(write(tmp_path, "id,name\nx,a\n1,\n1,b\n"))
    file = f"{tmp_path}/t.csv"
    assert report.findings == [
        Finding(
            file,
            2,
            "id",
            "type-error",
            "is not a whole number such as 42 (type integer) - fix the cell or the field's type",
            "x",
        ),
        # as in frictionless, a cell of the wrong type leaves its key empty
        Finding(file, 2, "id", "primary-key", "the primary key (id) is empty - fill it in", None),
        Finding(file, 3, "name", "constraint-error", "is required - fill it in", None),
        Finding(
            file,
            4,
            "id",
            "primary-key",
            "the primary key (id) repeats an earlier row - make it unique",
            "1",
        ),
    ]


def test_limit_keeps_the_first_findings_and_says_how_many_more(tmp_path: Path) -> None:
    """--limit truncates visibly: N findings, then one saying how many were left out."""
    text = "id,name\nx,a\ny,a\nz,a\nw,a\n"
    report = validate_package(write(tmp_path, text, {"fields": SCHEMA["fields"]}), limit=2)
    assert [(f.row, f.kind) for f in report.findings] == [
        (2, "type-error"),
        (3, "type-error"),
        (None, "limit-reached"),
    ]
    last = report.findings[-1]
    assert (
        last.message == "2 more findings are not shown (--limit 2) - fix these, or raise the limit"
    )
    assert last.value == "2"
    assert not report.ok


def test_limit_above_the_count_changes_nothing(tmp_path: Path) -> None:
    """A limit the findings do not reach leaves the report whole."""
    descriptor = write(tmp_path, "id,name\nx,a\n")
    assert validate_package(descriptor, limit=5).findings == validate_package(descriptor).findings


@pytest.mark.parametrize(("piece", "check_rows"), [(16, 1), (64, 3), (1 << 22, 1_000)])
def test_streaming_pieces_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, check_rows: int
) -> None:
    """The file read in tiny pieces (multi-line cells across them), checked by pandera a
    few rows at a time, reports the same."""
    text = 'id,name\n1,"a\nb"\nx,\n\n2,"c\n\nd",extra\n3,"e,f"\n4\n5,"g\nh\ni"\n5,j\n'
    expected = [
        (3, "id", "type-error"),
        (3, "id", "primary-key"),
        (3, "name", "constraint-error"),
        (4, None, "blank-row"),
        (4, "id", "primary-key"),
        (5, None, "extra-cell"),
        (7, "name", "missing-cell"),
        (7, "name", "constraint-error"),
        (9, "id", "primary-key"),
    ]
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", piece)
    monkeypatch.setattr(etl.tableschema.checker, "CHECK_CELLS", check_rows * 3)
    report = validate_package(write(tmp_path, text))
    assert sorted(((f.row, f.field, f.kind) for f in report.findings), key=str) == sorted(
        expected, key=str
    )


def test_progress_is_reported_per_resource(tmp_path: Path) -> None:
    """The progress callback hears a CSV's bytes read against the file's size."""
    heard: list[tuple[str, int, int, str]] = []
    validate_package(
        write(tmp_path, "id,name\n1,a\n2,b\n3,c\n"), progress=lambda *a: heard.append(a)
    )
    assert heard == [("t", 20, 20, "bytes")]


def test_declared_bytes_and_hash_are_checked(tmp_path: Path) -> None:
    """A size or checksum that does not match the file is a finding, with the actual value."""
    descriptor = write(tmp_path, "id,name\n1,a\n", bytes=1, hash="md5:0")
    kinds = [(f.kind, f.value) for f in validate_package(descriptor).findings]
    assert kinds == [
        ("byte-count", "12"),
        ("hash-count", hashlib.md5(b"id,name\n1,a\n").hexdigest()),
    ]


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    """A resource whose file is absent is reported, the other resources still checked."""
    descriptor = write(tmp_path, "id,name\n1,a\n")
    (tmp_path / "t.csv").unlink()
    [finding] = validate_package(descriptor).findings
    assert (finding.kind, finding.message) == (
        "scheme-error",
        "the file does not exist - add it, or fix the resource path",
    )


def test_unsupported_format_and_encoding_are_findings(tmp_path: Path) -> None:
    """A format or encoding etl validate cannot read is said, not guessed."""
    descriptor = write(tmp_path, "id,name\n1,a\n", format="xyz")
    assert [f.kind for f in validate_package(descriptor).findings] == ["format-error"]
    descriptor = write(tmp_path, "id,name\n1,a\n", encoding="no-such-codec")
    assert [f.message for f in validate_package(descriptor).findings] == [
        "encoding 'no-such-codec' is not known - name a codec such as latin-1 - save the file "
        "as UTF-8"
    ]


def test_parquet_is_read_as_stored(tmp_path: Path) -> None:
    """A Parquet resource: typed columns kept, nulls missing, text columns read as text."""
    pl.DataFrame(
        {"id": [1, 2, 2, None], "name": ["a", None, "c", "d"], "when": ["2020-01-01"] * 3 + ["x"]}
    ).write_parquet(tmp_path / "t.parquet")
    schema = {**SCHEMA, "fields": [*SCHEMA["fields"], {"name": "when", "type": "date"}]}
    res = {"name": "t", "path": "t.parquet", "schema": schema}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    report = validate_package(tmp_path / "datapackage.json")
    assert [(f.row, f.field, f.kind) for f in report.findings] == [
        (3, "name", "constraint-error"),
        (4, "id", "primary-key"),
        (5, "when", "type-error"),
        (5, "id", "primary-key"),
    ]


def test_typed_parquet_column_of_the_wrong_type_is_a_type_error(tmp_path: Path) -> None:
    """A float column declared integer is fine where whole, a type error elsewhere."""
    pl.DataFrame({"id": [1.0, 2.5], "name": ["a", "b"]}).write_parquet(tmp_path / "t.parquet")
    res = {"name": "t", "path": "t.parquet", "schema": {"fields": SCHEMA["fields"]}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    report = validate_package(tmp_path / "datapackage.json")
    assert [(f.row, f.field, f.kind, f.value) for f in report.findings] == [
        (3, "id", "type-error", "2.5")
    ]


def test_unreadable_constraint_is_a_schema_error(tmp_path: Path) -> None:
    """A minimum that is not a value of the field's type is reported, not crashed on."""
    schema = {"fields": [{"name": "d", "type": "date", "constraints": {"minimum": "soon"}}]}
    [finding] = validate_package(write(tmp_path, "d\n2020-01-01\n", schema)).findings
    assert (finding.kind, finding.field, finding.value) == ("schema-error", "d", "soon")


def single_file_with_foreign_keys(folder: Path, count: int) -> tuple[Path, Path]:
    """t.csv and a schema whose `count` foreign keys point at other resources: warnings
    when the file is validated alone."""
    keys = [
        {"fields": ["id"], "reference": {"resource": f"r{i}", "fields": ["id"]}}
        for i in range(count)
    ]
    (folder / "t.csv").write_text("id,name\n1,a\n")
    (folder / "s.json").write_text(json.dumps({**SCHEMA, "foreignKeys": keys}))
    return folder / "t.csv", folder / "s.json"


def test_schema_warning_is_kept_and_not_an_error(tmp_path: Path) -> None:
    """A foreign key not checked when one file is validated alone is a warning; the report
    stays ok."""
    report = validate_file(*single_file_with_foreign_keys(tmp_path, 1))
    assert [(f.kind, f.severity) for f in report.findings] == [("schema-error", Severity.WARNING)]
    assert report.ok


def test_foreign_key_to_an_unknown_resource_is_reported(tmp_path: Path) -> None:
    """A foreign key naming a resource the package lacks is a finding."""
    schema = {
        **SCHEMA,
        "foreignKeys": [{"fields": ["id"], "reference": {"resource": "x", "fields": ["id"]}}],
    }
    [finding] = validate_package(write(tmp_path, "id,name\n1,a\n", schema)).findings
    assert (finding.kind, finding.value) == ("schema-error", "x")


def test_validate_file_with_a_schema(tmp_path: Path) -> None:
    """One CSV file checked against a schema file."""
    (tmp_path / "t.csv").write_text("id,name\n1,\n")
    (tmp_path / "s.json").write_text(json.dumps(SCHEMA))
    report = validate_file(tmp_path / "t.csv", tmp_path / "s.json")
    assert [(f.file, f.row, f.kind) for f in report.findings] == [
        (f"{tmp_path}/t.csv", 3 - 1, "constraint-error")
    ]


def test_check_resource_keeps_referenced_key_columns(tmp_path: Path) -> None:
    """The key columns another resource refers to are kept, typed, with their rows; the
    primary key is not (its repeats are found from tokens, etl.tableschema.key_store)."""
    package = read_package(write(tmp_path, "id,name\n1,a\n2,b\n"))
    checked = check_resource(package.resources[0], {"name"}, None)
    assert checked.keys is not None
    assert checked.keys.columns == ["_row", "name"]
    assert checked.keys.rows() == [(2, "a"), (3, "b")]


def test_the_project_package_is_valid() -> None:
    """The committed dist/ passes the same engine that checks anyone's package."""
    report = validate_package(ROOT / "dist" / "datapackage.json")
    assert report.findings == []


def test_limit_over_warnings_only_stays_a_warning(tmp_path: Path) -> None:
    """Truncating warnings alone does not turn the run into a failure."""
    report = validate_file(*single_file_with_foreign_keys(tmp_path, 3), limit=1)
    assert [(f.kind, f.severity) for f in report.findings] == [
        ("schema-error", Severity.WARNING),
        ("limit-reached", Severity.WARNING),
    ]
    assert report.ok


def test_unreadable_file_is_a_source_error(tmp_path: Path) -> None:
    """A file that is not what its format says is a finding, not a crash."""
    (tmp_path / "t.parquet").write_bytes(b"not parquet at all")
    res = {"name": "t", "path": "t.parquet", "schema": SCHEMA}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    [finding] = validate_package(tmp_path / "datapackage.json").findings
    assert finding.kind == "source-error"
    assert finding.message.startswith("the file cannot be read (ArrowInvalid: ")
    assert finding.message.endswith(" - check that it is parquet as the descriptor says")


def test_whole_numbers_too_long_for_python_are_told_beyond_64_bits(tmp_path: Path) -> None:
    """A cell of 5,000 digits (more than Python reads as an int) is a type error beyond 64
    bits, not a crash; 5,000 leading zeros before a small number leave it a number."""
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]}
    cells = ["9" * 5000, "-" + "0" * 5000 + "7", str(-(2**63) - 1), str(-(2**63))]
    text = "id,n\n" + "".join(f"{at},{cell}\n" for at, cell in enumerate(cells))
    report = validate_package(write(tmp_path, text, schema))
    assert [(f.row, f.field, f.kind, f.value) for f in report.findings] == [
        (2, "n", "type-error", cells[0]),
        (4, "n", "type-error", cells[2]),
    ]
    assert {f.message.split(":")[0] for f in report.findings} == {
        "is not a whole number etl can read"
    }
