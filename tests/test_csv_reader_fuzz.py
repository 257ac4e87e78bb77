"""Fuzz tests for etl.tableschema.csv_reader: wherever the fast reading does not give up, it
reads what Python's csv module reads (the exact reading), cell for cell and odd record for
odd record, whatever the piece size; and where the bytes are not UTF-8, both stop."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import etl.tableschema.csv_reader
from etl.tableschema.csv_reader import (
    CsvDialect,
    NeedsExactReading,
    NotUtf8,
    Piece,
    read_exact,
    read_pieces,
)

#: Quotes, delimiters and line feeds are what the fast reading must get right; bytes that
#: are not UTF-8 (latin-1 é, 0xff, a cut two-byte and three-byte sequence, a BOM cut short)
#: what it must not read past.
TEXT = [b"a", b"b", b'"', b",", b"\n", b" ", "é".encode(), b";"]
NOT_UTF8 = [b"\xe9", b"\xff", b"\xc3", b"\xe2\x82", b"\xef\xbb"]
BYTES = st.lists(st.sampled_from([*TEXT, *NOT_UTF8]), max_size=60).map(b"".join)


def outcome(pieces: list[Piece] | type[NotUtf8]) -> object:
    """The rows and odd records of a reading, or NotUtf8 where it stopped at bytes that are
    not UTF-8."""
    if not isinstance(pieces, list):
        return pieces
    rows = [row for p in pieces for row in p.frame.rows()]
    return rows, {i: cells for p in pieces for i, cells in p.odd.items()}


def readings(data: bytes, width: int, piece: int, delimiter: str) -> tuple[object, object] | None:
    """What the fast and the exact readings give (rows and odd records, or NotUtf8), or None
    when the fast one gives up."""
    dialect = CsvDialect(delimiter)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", piece)
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        found = []
        for read in (read_pieces, read_exact):
            try:
                found.append(outcome(list(read(path, dialect, width))))
            except NeedsExactReading:
                return None
            except NotUtf8:
                found.append(outcome(NotUtf8))
        return found[0], found[1]


@settings(max_examples=400, deadline=None)
@given(
    data=BYTES,
    width=st.integers(1, 5),
    piece=st.sampled_from([1, 5, 16, 1 << 20]),
    delimiter=st.sampled_from([",", ";"]),
)
@example(data=b'h,h,h,h\nd"e,,,d"e,"q"\n', width=4, piece=1 << 20, delimiter=",")
@example(data=b'h,h\n"a""b",c,d\n', width=2, piece=1 << 20, delimiter=",")
@example(data=b'h,h\nab",c"\n', width=2, piece=1 << 20, delimiter=",")
@example(data=b"h,h\n1,\xe9\n", width=2, piece=5, delimiter=",")  # latin-1: both stop
@example(data=b"\xef\xbbh,h\n", width=2, piece=1, delimiter=",")  # a byte-order mark cut short
@example(data=b"\xef\xbb", width=1, piece=1, delimiter=",")  # utf-8-sig read it as nothing
def test_fast_reading_reads_as_python_csv(
    data: bytes, width: int, piece: int, delimiter: str
) -> None:
    """Records, cells and odd records are Python's csv module's; bytes not UTF-8 stop both."""
    # Quotes inside unquoted cells, doubled quotes and dropped cells never offset each other.
    found = readings(data, width, piece, delimiter)
    if found is not None:
        fast, exact = found
        assert fast == exact


def test_quotes_inside_unquoted_cells_leave_the_reading_to_python(tmp_path: Path) -> None:
    """`d"e,,,d"e,"q"` has five cells, and its two inner quotes and the dropped fifth cell
    balance in bytes: the fast reading gives up rather than trust quote parity, and the
    exact one finds the record long, with its cells."""
    path = tmp_path / "t.csv"
    path.write_bytes(b'h,h,h,h\nd"e,,,d"e,"q"\n')
    with pytest.raises(NeedsExactReading):
        list(read_pieces(path, CsvDialect(), 4))
    (piece,) = read_exact(path, CsvDialect(), 4)
    assert piece.odd == {1: ['d"e', "", "", 'd"e', "q"]}


#: Cells as RFC 4180 writes them: quoted when they hold a quote, delimiter or line feed.
CELL = st.text(alphabet='ab",\n é', max_size=6)
RECORD = st.lists(CELL, min_size=0, max_size=6)


def written(records: list[list[str]]) -> str:
    """The records as Python's csv module writes them, line feeds ending them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    records=st.lists(RECORD, max_size=12),
    width=st.integers(1, 5),
    piece=st.sampled_from([1, 9, 1 << 20]),
)
def test_well_formed_files_are_read_fast_as_python_reads_them(
    records: list[list[str]], width: int, piece: int
) -> None:
    """A file of well-formed records (doubled quotes, quoted delimiters and line feeds,
    short, long and blank records) is read without giving up, as Python's csv reads it."""
    found = readings(written([["h"] * width, *records]).encode(), width, piece, ",")
    assert found is not None
    fast, exact = found
    assert fast == exact
