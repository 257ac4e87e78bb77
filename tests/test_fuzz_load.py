"""Fuzzing the loader: any bytes at all give a table or findings, never an uncaught exception."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.cast import cast_table
from etl.findings import Finding
from etl.load import decode_csv, load_table
from etl.schemas import Field, TableSchema, load_schemas
from etl.text_traps import normalise_cell
from tests.projects import ROOT

FILE = "raw/places.csv"
SCHEMA = TableSchema(
    "places",
    "schemas/raw/places.yaml",
    "",
    (Field("id", "string"), Field("name", "string"), Field("population", "integer")),
)
PROGRAMMES = load_schemas(ROOT / "schemas" / "raw", "schemas/raw")[0]["programmes"]
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
    """A file the examples overwrite in turn."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "places.csv"


def check_findings(findings: list[Finding], file: str, data: bytes) -> None:
    """Each finding names the file, a row within it (or none), and renders as one line."""
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1  # as csv counts
    for finding in findings:
        assert finding.file == file
        assert finding.row is None or 1 <= finding.row <= lines
        assert finding.kind and finding.message
        assert "\n" not in finding.render()


def check_load(data: bytes, path: Path, schema: TableSchema) -> None:
    """load_table and cast_table on `data`: a whole table or findings, never an exception."""
    path.write_bytes(data)
    table, findings = load_table(path, FILE, schema)
    check_findings(findings, FILE, data)
    if table is None:
        assert findings
        return
    assert table.frame.columns == schema.field_names
    assert all(dtype == pl.String for dtype in table.frame.dtypes)
    assert len(table.rows) == table.frame.height
    assert all(2 <= a < b for a, b in zip(table.rows, table.rows[1:], strict=False))
    assert all(
        normalise_cell(cell) == cell
        for column in table.frame.iter_columns()
        for cell in column.to_list()
    )
    typed, more = cast_table(table.frame, schema, table.file, table.rows)
    assert typed.height == table.frame.height
    check_findings(more, FILE, data)


@settings(max_examples=300, deadline=None)
@given(CSV_BYTES)
def test_decode_csv_gives_text_or_one_finding(data: bytes) -> None:
    """Any bytes decode to text, or give an encoding-error and no text."""
    text, findings = decode_csv(data, FILE)
    check_findings(findings, FILE, data)
    if text is None:
        assert [f.kind for f in findings] == ["encoding-error"]
    else:
        assert findings == []


@settings(max_examples=500, deadline=None)
@given(data=CSV_BYTES)
def test_load_table_never_raises(data: bytes, scratch: Path) -> None:
    """Any bytes load to a table of normalised text, or give findings; casting never raises."""
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
