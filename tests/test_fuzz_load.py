"""Fuzzing the loader: any bytes at all give a table or findings, never an uncaught exception."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.build.load import load_tables
from etl.build.settings import Settings
from etl.report.findings import Finding
from etl.tableschema.dtypes import polars_schema
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.schema import load_schemas
from etl.tableschema.strict_csv import decode
from etl.text.traps import normalise_cell, trap
from tests.projects import ROOT

FILE = "raw/places.csv"
SCHEMA = TableSchema(
    "places",
    "schemas/raw/places.yaml",
    "",
    (Field("id", "string"), Field("name", "string"), Field("population", "integer")),
    fields_match="equal",
)
PROGRAMMES = dataclasses.replace(
    load_schemas(ROOT / "schemas" / "raw", "schemas/raw")[0]["programmes"], name="places"
)
#: The findings that leave a file unread: no table comes back.
UNREADABLE = {"encoding-error", "source-error", "empty-file", "missing-header", "bad-label"}
#: The findings that keep a row from being checked for text traps.
WRONG_WIDTH = {"extra-cell", "missing-cell", "blank-row"}
HEADER = b"id,name,population\n"
# Pieces a spreadsheet, an editor or a wrong encoding put into a CSV file.
PIECES = [
    b"id",
    b"name",
    b"population",
    b"minsk",
    b"1996553",
    b"-3",
    b",",
    b"\n",
    b"\r\n",
    b"\r",
    b'"',
    b'""',
    b" ",
    b"\t",
    b"\x00",
    b"\x07",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xd0",
    "Минск".encode(),
    "Минск".encode("cp1251"),
    "Минск".encode("utf-16-le"),
    "CНГ".encode(),
    "\u00a0".encode(),
    "\u200b".encode(),
    "\u202e".encode(),
    "и\u0306".encode(),
    "\u2028".encode(),
]
CSV_BYTES = st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join),
    st.lists(st.sampled_from(PIECES), max_size=40).map(lambda parts: HEADER + b"".join(parts)),
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A project folder whose raw/places.csv the examples overwrite in turn."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "raw").mkdir()
        yield Path(folder)


def line_count(data: bytes) -> int:
    """The lines of `data` as the csv module counts them."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def check_findings(findings: list[Finding], file: str, data: bytes) -> None:
    """Each finding names the file, a row within it (or none), and renders as one line."""
    lines = line_count(data)
    for finding in findings:
        assert finding.file == file
        assert finding.row is None or 1 <= finding.row <= lines
        assert finding.kind and finding.message
        assert "\n" not in finding.render()


def check_load(data: bytes, project: Path, schema: TableSchema) -> None:
    """load_tables on `data` as raw/places.csv: a whole typed table or findings, never an
    exception; every text trap in a cell it keeps is reported."""
    (project / "raw" / "places.csv").write_bytes(data)
    tables, findings = load_tables(Settings(project), {"places": schema})
    crashed = [f for f in findings if f.message.startswith("the file cannot be read (")]
    assert crashed == [], "the engine failed and reported it as an unreadable file"
    check_findings(findings, FILE, data)
    table = tables.get("places")
    assert (table is None) == any(f.kind in UNREADABLE for f in findings)
    if table is None:
        return
    assert table.file == FILE
    assert table.frame.schema == polars_schema(schema)
    assert len(table.rows) == table.frame.height
    assert all(2 <= a < b for a, b in zip(table.rows, table.rows[1:], strict=False))
    assert all(row <= line_count(data) for row in table.rows)
    strings = [f.name for f in schema.fields if f.type == "string"]
    for column in strings:
        assert all(
            cell is None or normalise_cell(cell) == cell
            for cell in table.frame.get_column(column).to_list()
        )
    skipped = {f.row for f in findings if f.kind in WRONG_WIDTH}
    reported = {(f.row, f.field, f.kind) for f in findings}
    for row, record in table.records():
        if row in skipped:
            continue
        for column in strings:
            found = trap(record[column]) if record[column] is not None else None
            if found is not None:
                assert (row, column, found[0]) in reported


@settings(max_examples=300, deadline=None)
@given(CSV_BYTES)
def test_decode_gives_text_or_one_finding(data: bytes) -> None:
    """Any bytes decode to text, or give an encoding-error and no text."""
    text, findings = decode(data, FILE)
    check_findings(findings, FILE, data)
    if text is None:
        assert [f.kind for f in findings] == ["encoding-error"]
    else:
        assert findings == []


@settings(max_examples=500, deadline=None)
@given(data=CSV_BYTES)
def test_load_tables_never_raises(data: bytes, scratch: Path) -> None:
    """Any bytes load to a typed table of tidied text, or give findings; nothing raises."""
    check_load(data, scratch, SCHEMA)


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few bytes replaced, inserted or deleted, as careless editing does."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        what = draw(st.sampled_from(["replace", "insert", "delete"]))
        piece = draw(st.one_of(st.binary(min_size=1, max_size=3), st.sampled_from(PIECES)))
        if what == "insert" or at == len(data):
            data[at:at] = piece
        elif what == "replace":
            data[at : at + len(piece)] = piece
        else:
            del data[at : at + len(piece)]
    return bytes(data)


@settings(max_examples=300, deadline=None)
@given(data=damaged((ROOT / "raw" / "programmes.csv").read_bytes()))
def test_damaged_real_table_never_raises(data: bytes, scratch: Path) -> None:
    """The real raw/programmes.csv, damaged at random, loads or gives findings, never raises."""
    check_load(data, scratch, PROGRAMMES)
