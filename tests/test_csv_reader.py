"""Tests for etl.csv_reader: records counted and numbered as frictionless does, in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

import etl.csv_reader
from etl.csv_reader import (
    CsvDialect,
    NeedsExactReading,
    Structure,
    read_batches,
    read_labels,
    read_pieces,
    read_structure,
)

DIALECT = CsvDialect()
TEXT = 'a,b\n1,"x\ny"\n\n2\n3,"p,q",r\n"4",""\n'
EXPECTED = Structure(records=6, odd={2: [], 3: ["2"], 4: ["3", "p,q", "r"]}, spans=[(1, 2)])
ROWS = [
    (0, "a", "b"),
    (1, "1", "x\ny"),
    (2, "", ""),
    (3, "2", ""),
    (4, "3", "p,q"),
    (5, "4", ""),
]


def write(tmp_path: Path, text: str) -> Path:
    """`text` as the bytes of t.csv."""
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def fast(
    path: Path, width: int, dialect: CsvDialect = DIALECT
) -> tuple[list[tuple[object, ...]], Structure, list[int]]:
    """The fast reading's rows, its structure (odd records, record count) and bytes done."""
    pieces = list(read_pieces(path, dialect, width))
    rows = [r for p in pieces for r in p.frame.rows()]
    odd = {i: c for p in pieces for i, c in p.odd.items()}
    return rows, Structure(len(rows), odd), [p.done for p in pieces]


@pytest.mark.parametrize("piece", [1, 7, 16, 1 << 22])
def test_pieces_read_records_whole_and_flag_odd_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """Whatever the piece size: every record read whole, in order, blank, short and long
    records flagged with their cells as Python's csv reads them."""
    monkeypatch.setattr(etl.csv_reader, "PIECE_BYTES", piece)
    rows, structure, done = fast(write(tmp_path, TEXT), 2)
    assert rows == ROWS
    assert (structure.records, structure.odd) == (EXPECTED.records, EXPECTED.odd)
    assert done[-1] == len(TEXT.encode())


def test_exact_structure_agrees(tmp_path: Path) -> None:
    """Python's csv module, the slow path, finds the same structure, with the spans."""
    assert read_structure(write(tmp_path, TEXT), DIALECT, 2) == EXPECTED


@pytest.mark.parametrize("piece", [1, 7, 1 << 22])
def test_exact_batches_never_split_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """The exact path's batches, cut by the spans, read every record whole and in order."""
    monkeypatch.setattr(etl.csv_reader, "PIECE_BYTES", piece)
    path = write(tmp_path, TEXT)
    assert [r for b in read_batches(path, DIALECT, 2, EXPECTED.spans) for r in b.rows()] == ROWS


def test_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    """A BOM is not part of the first cell; CRLF line ends are not part of the last."""
    rows, structure, _ = fast(write(tmp_path, '\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n3\r\n'), 2)
    assert rows == [(0, "a", "b"), (1, "1", "x\r\ny"), (2, "", ""), (3, "3", "")]
    assert structure.odd == {2: [], 3: ["3"]}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('a,b\n1,"x\n2,y\n', id="unclosed-quote"),
        pytest.param(
            "a,b\n" + "".join(f"{chr(c)},x\n" for c in (0x1F, 0x1E, 0x1D, 0x1C, 1, 2, 3)),
            id="every-separator-byte",
        ),
    ],
)
def test_fast_reading_defers_to_the_exact_one(tmp_path: Path, text: str) -> None:
    """An unclosed quote, or no byte free to split lines on: the fast reading gives up."""
    with pytest.raises(NeedsExactReading):
        fast(write(tmp_path, text), 2)


def test_other_quote_character_is_read_exactly(tmp_path: Path) -> None:
    """Only '"' is read fast; another quote character goes to Python's csv module."""
    with pytest.raises(NeedsExactReading):
        fast(write(tmp_path, "a,b\n1,'x,y'\n"), 2, CsvDialect(quote_char="'"))


def test_unclosed_quote_in_the_exact_reading(tmp_path: Path) -> None:
    """Python's csv module reads an unclosed quote to the end of the file."""
    assert read_structure(write(tmp_path, 'a,b\n1,"x\n2,y\n'), DIALECT, 2).records == 2


def test_labels_drop_the_byte_order_mark(tmp_path: Path) -> None:
    """The header row is read without a BOM."""
    assert read_labels(write(tmp_path, "\ufeffa,b\n1,2\n"), DIALECT) == ["a", "b"]


@pytest.mark.parametrize("exact", [False, True])
def test_other_delimiter(tmp_path: Path, exact: bool) -> None:
    """A semicolon dialect counts cells by semicolons, in both readings."""
    dialect = CsvDialect(delimiter=";")
    path = write(tmp_path, 'a;b\n1;2;3\n4,5;6\n"7;8";9\n')
    found = read_structure(path, dialect, 2) if exact else fast(path, 2, dialect)[1]
    assert found.odd == {1: ["1", "2", "3"]}
