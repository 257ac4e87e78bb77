"""Fuzz tests for etl.tableschema.csv_reader: wherever the fast reading does not give up, it
reads what Python's csv module reads (the exact reading), cell for cell and odd record for
odd record, whatever the piece size."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import etl.tableschema.csv_reader
from etl.tableschema.csv_reader import CsvDialect, NeedsExactReading, read_exact, read_pieces

#: Quotes, delimiters and line feeds are what the fast reading must get right.
TEXT = st.text(alphabet='ab",\n é;', max_size=80)


def readings(text: str, width: int, piece: int, delimiter: str) -> tuple[object, object] | None:
    """What the fast and the exact readings give (rows and odd records), or None when the
    fast one gives up."""
    dialect = CsvDialect(delimiter)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", piece)
        path = Path(folder) / "t.csv"
        path.write_bytes(text.encode("utf-8"))
        found = []
        for read in (read_pieces, read_exact):
            try:
                pieces = list(read(path, dialect, width))
            except NeedsExactReading:
                return None
            rows = [row for p in pieces for row in p.frame.rows()]
            odd = {i: cells for p in pieces for i, cells in p.odd.items()}
            found.append((rows, odd))
        return found[0], found[1]


@settings(max_examples=400, deadline=None)
@given(
    text=TEXT,
    width=st.integers(1, 5),
    piece=st.sampled_from([1, 5, 16, 1 << 20]),
    delimiter=st.sampled_from([",", ";"]),
)
@example(text='h,h,h,h\nd"e,,,d"e,"q"\n', width=4, piece=1 << 20, delimiter=",")
@example(text='h,h\n"a""b",c,d\n', width=2, piece=1 << 20, delimiter=",")
@example(text='h,h\nab",c"\n', width=2, piece=1 << 20, delimiter=",")
def test_fast_reading_reads_as_python_csv(
    text: str, width: int, piece: int, delimiter: str
) -> None:
    """Records, cells and odd records (blank, short, long) are those of Python's csv module;
    quotes inside unquoted cells, doubled quotes and dropped cells never offset each other."""
    found = readings(text, width, piece, delimiter)
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
    found = readings(written([["h"] * width, *records]), width, piece, ",")
    assert found is not None
    fast, exact = found
    assert fast == exact
