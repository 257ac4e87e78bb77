"""Tests for etl.csv_reader: records counted and numbered as frictionless does, in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

import etl.csv_reader
from etl.csv_reader import CsvDialect, Structure, read_batches, read_labels, read_structure

DIALECT = CsvDialect()
TEXT = 'a,b\n1,"x\ny"\n\n2\n3,"p,q",r\n"4",""\n'
EXPECTED = Structure(records=6, odd={2: [], 3: ["2"], 4: ["3", "p,q", "r"]}, spans=[(1, 2)])


def write(tmp_path: Path, text: str) -> Path:
    """`text` as the bytes of t.csv."""
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_structure_counts_records_and_flags_odd_ones(tmp_path: Path) -> None:
    """Blank, short and long records are flagged with their cells; multi-line ones spanned."""
    assert read_structure(write(tmp_path, TEXT), DIALECT, 2) == EXPECTED


def test_exact_structure_agrees(tmp_path: Path) -> None:
    """Python's csv module, the slow path, finds the same structure."""
    exact = read_structure(write(tmp_path, TEXT), DIALECT, 2, exact=True)
    assert (exact.records, exact.odd, exact.spans, exact.exact) == (6, EXPECTED.odd, [(1, 2)], True)


@pytest.mark.parametrize("piece", [1, 7, 1 << 22])
def test_batches_never_split_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """Whatever the piece size, every record is read whole and indexed in order."""
    monkeypatch.setattr(etl.csv_reader, "PIECE_BYTES", piece)
    path = write(tmp_path, TEXT)
    rows = [r for b in read_batches(path, DIALECT, 2, EXPECTED.spans) for r in b.rows()]
    assert rows == [
        (0, "a", "b"),
        (1, "1", "x\ny"),
        (2, "", ""),
        (3, "2", ""),
        (4, "3", "p,q"),
        (5, "4", ""),
    ]


def test_unclosed_quote_falls_back_to_pythons_reading(tmp_path: Path) -> None:
    """An odd number of quotes in the file: the exact reading decides."""
    found = read_structure(write(tmp_path, 'a,b\n1,"x\n2,y\n'), DIALECT, 2)
    assert (found.records, found.exact) == (2, True)


def test_file_holding_every_separator_byte_falls_back(tmp_path: Path) -> None:
    """With no byte free to split lines on, the exact reading is used."""
    text = "a,b\n" + "".join(f"{chr(c)},x\n" for c in (0x1F, 0x1E, 0x1D, 0x1C, 1, 2, 3))
    found = read_structure(write(tmp_path, text), DIALECT, 2)
    assert (found.records, found.odd, found.exact) == (8, {}, True)


def test_labels_drop_the_byte_order_mark(tmp_path: Path) -> None:
    """The header row is read without a BOM."""
    assert read_labels(write(tmp_path, "\ufeffa,b\n1,2\n"), DIALECT) == ["a", "b"]


def test_other_delimiter(tmp_path: Path) -> None:
    """A semicolon dialect counts cells by semicolons."""
    dialect = CsvDialect(delimiter=";")
    found = read_structure(write(tmp_path, "a;b\n1;2;3\n4,5;6\n"), dialect, 2)
    assert found.odd == {1: ["1", "2", "3"]}
