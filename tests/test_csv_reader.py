"""Tests for etl.tableschema.csv_reader: records counted and numbered as frictionless does,
in pieces."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import etl.tableschema.csv_reader
from etl.tableschema.csv_reader import (
    CsvDialect,
    NeedsExactReading,
    NotUtf8,
    Piece,
    read_exact,
    read_head,
    read_head_records,
    read_labels,
    read_pieces,
)

DIALECT = CsvDialect()
TEXT = 'a,b\n1,"x\ny"\n\n2\n3,"p,q",r\n"4",""\n'
ODD = {2: [], 3: ["2"], 4: ["3", "p,q", "r"]}
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


def read(
    pieces: Iterator[Piece],
) -> tuple[list[tuple[object, ...]], dict[int, list[str]], list[int]]:
    """The rows of the pieces, their odd records and the bytes done after each."""
    found = list(pieces)
    rows = [r for p in found for r in p.frame.rows()]
    return rows, {i: c for p in found for i, c in p.odd.items()}, [p.done for p in found]


def fast(path: Path, width: int = 2, dialect: CsvDialect = DIALECT) -> tuple[object, ...]:
    """What the fast reading gives."""
    return read(read_pieces(path, dialect, width))


def exact(path: Path, width: int = 2, dialect: CsvDialect = DIALECT) -> tuple[object, ...]:
    """What the exact reading gives."""
    return read(read_exact(path, dialect, width))


@pytest.mark.parametrize("piece", [1, 7, 16, 1 << 22])
def test_pieces_read_records_whole_and_flag_odd_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """Whatever the piece size: every record read whole, in order, blank, short and long
    records flagged with their cells as Python's csv reads them."""
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", piece)
    rows, odd, done = fast(write(tmp_path, TEXT))
    assert (rows, odd, done[-1]) == (ROWS, ODD, len(TEXT.encode()))


@pytest.mark.parametrize("size", [1, 2, 100])
def test_exact_reading_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Python's csv module, the slow path, reads the same, in pieces of any number of rows."""
    monkeypatch.setattr(etl.tableschema.csv_reader, "EXACT_ROWS", size)
    rows, odd, done = exact(write(tmp_path, TEXT))
    assert (rows, odd, done[-1]) == (ROWS, ODD, len(TEXT.encode()))


def test_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    """A BOM is not part of the first cell; CRLF line ends are not part of the last."""
    path = write(tmp_path, '\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n3\r\n')
    rows = [(0, "a", "b"), (1, "1", "x\r\ny"), (2, "", ""), (3, "3", "")]
    assert fast(path)[:2] == exact(path)[:2] == (rows, {2: [], 3: ["3"]})


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        pytest.param(
            'a,b\n1,"x\n2,y\n', [(0, "a", "b"), (1, "1", "x\n2,y\n")], id="unclosed-quote"
        ),
        pytest.param(
            "a,b\r1,2\r\n3,4\n",
            [(0, "a", "b"), (1, "1", "2"), (2, "3", "4")],
            id="lone-carriage-return",
        ),
        pytest.param('a,b\n1,"x"y\n', [(0, "a", "b"), (1, "1", "xy")], id="text-after-quote"),
        pytest.param(
            "a,b\n" + "".join(f"{chr(c)},x\n" for c in (0x1F, 0x1E, 0x1D, 0x1C, 1, 2, 3)),
            [(0, "a", "b")]
            + [(i, chr(c), "x") for i, c in enumerate((31, 30, 29, 28, 1, 2, 3), 1)],
            id="every-separator-byte",
        ),
    ],
)
def test_fast_reading_defers_to_the_exact_one(
    tmp_path: Path, text: str, rows: list[tuple[object, ...]]
) -> None:
    """Where polars could read otherwise than Python's csv module, the fast reading gives up
    and the exact one reads what frictionless reads."""
    path = write(tmp_path, text)
    with pytest.raises(NeedsExactReading):
        fast(path)
    assert exact(path)[0] == rows


def test_other_quote_character_is_read_exactly(tmp_path: Path) -> None:
    """Only '"' is read fast; another quote character goes to Python's csv module."""
    path = write(tmp_path, "a,b\n1,'x,y'\n")
    quoted = CsvDialect(quote_char="'")
    with pytest.raises(NeedsExactReading):
        fast(path, 2, quoted)
    assert exact(path, 2, quoted)[0] == [(0, "a", "b"), (1, "1", "x,y")]


def test_labels_drop_the_byte_order_mark(tmp_path: Path) -> None:
    """The header row is read without a BOM."""
    assert read_labels(write(tmp_path, "\ufeffa,b\n1,2\n"), DIALECT) == ["a", "b"]


@pytest.mark.parametrize("reading", [fast, exact])
def test_other_delimiter(tmp_path: Path, reading: Callable[..., tuple[object, ...]]) -> None:
    """A semicolon dialect counts cells by semicolons, in both readings."""
    path = write(tmp_path, 'a;b\n1;2;3\n4,5;6\n"7;8";9\n')
    assert reading(path, 2, CsvDialect(delimiter=";"))[1] == {1: ["1", "2", "3"]}


@pytest.mark.parametrize(("width", "pieces"), [(10, 9), (4_000, 2)])
def test_a_wider_file_is_read_in_larger_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, pieces: int
) -> None:
    """Pieces grow with the columns (4 times WIDE_PIECE_BYTES at 4,000 columns), so a wide
    file pays a piece's fixed cost, which grows with its columns, fewer times; every record
    is still read whole."""
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", 1 << 14)
    monkeypatch.setattr(etl.tableschema.csv_reader, "WIDE_PIECE_BYTES", 1 << 14)
    line = ",".join(["7"] * width) + "\n"
    rows = (1 << 17) // len(line)  # 128 KiB: 8 base pieces, 9 as they end at line ends
    path = tmp_path / "wide.csv"
    path.write_text(line * rows, encoding="utf-8")
    read = list(read_pieces(path, DIALECT, width))
    assert sum(p.frame.height for p in read) == rows
    assert len(read) == pieces


@pytest.mark.parametrize("piece", [7, 1 << 22])
@pytest.mark.parametrize(
    "data",
    [
        b'a,b\n1,x\xf0\x9f\x98\n"y",y\n',  # a cut four-byte sequence
        b"a,b\n1,caf\xe9\n2,y\n",  # latin-1's \xe9
        b"a,b\n1,x\n" + b"2,y\n" * 4 + b"\xff\n",  # past the first pieces
    ],
)
def test_bytes_that_are_not_utf8_stop_both_readings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, data: bytes
) -> None:
    """Both readings stop at bytes that are not UTF-8 (NotUtf8), as frictionless does."""
    # They read them as U+FFFD before, and a file frictionless refuses passed.
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", piece)
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    for reading in (fast, exact):
        with pytest.raises(NotUtf8):
            reading(path)


def test_a_header_row_that_is_not_utf8_stops_the_labels(tmp_path: Path) -> None:
    """The header row is read as strict UTF-8 too: latin-1's \xe9 in it raises NotUtf8."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"caf\xe9,b\n1,2\n")
    with pytest.raises(NotUtf8):
        read_labels(path, DIALECT)


def test_head_lines_end_as_python_ends_them(tmp_path: Path) -> None:
    """The first lines end at LF, CRLF or a lone CR (quoted too), as frictionless' sample."""
    # Lines, not records; the byte-order mark left out; no more than `limit` characters.
    path = write(tmp_path, '\ufeffa,b\r\n"x\ry",1\r2,3\n4,5\n')
    assert read_head(path, 3) == 'a,b\r\n"x\ry",1\r'
    assert read_head(path, 99) == 'a,b\r\n"x\ry",1\r2,3\n4,5\n'
    assert read_head(path, 99, limit=7) == 'a,b\r\n"x'


def test_head_records_stop_before_one_too_long(tmp_path: Path) -> None:
    """The first records are Python's csv module's, up to the first too long."""
    path = write(tmp_path, 'a,b\n"x\ny",1\n' + "z" * 50 + "\n1,2\n")
    assert read_head_records(path, DIALECT, 2) == [["a", "b"], ["x\ny", "1"]]
    assert read_head_records(path, DIALECT, 9, limit=20) == [["a", "b"], ["x\ny", "1"]]


@pytest.mark.parametrize("piece", [1, 7])
def test_a_record_starting_with_a_byte_order_mark_is_read_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """A record starting with U+FEFF is left to the exact reading, which keeps it."""
    # polars drops a byte-order mark at the start of what it reads, and a piece starts there.
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", piece)
    path = write(tmp_path, "\ufeffa,b\r\n\ufeff,1\r\n")
    with pytest.raises(NeedsExactReading):
        fast(path)
    assert exact(path)[:2] == ([(0, "a", "b"), (1, "\ufeff", "1")], {})
