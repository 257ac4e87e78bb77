"""Reading a CSV file at polars speed in bounded memory, as frictionless-py reads it: its
header, its records in pieces as text cells, and the records whose number of cells differs
from the header's (or that are blank).

Records are numbered as frictionless-py numbers rows: the header is record 0 (row 1), a blank
line is a record, and a quoted cell holding line breaks keeps its record whole. The fast
reading (read_pieces) reads the file in pieces of whole records through Python (not
memory-mapped, so the resident memory stays at a few pieces however large the file), and
polars parses each piece twice: as raw lines, whose quote parity tells where multi-line
records end and whose bytes tell the records with another number of cells
(etl.tableschema.csv_lines), and as cells. Wherever that could differ from Python's csv
module, which frictionless uses, it gives up and read_exact reads the file with Python's
csv module. Both read strict UTF-8, as frictionless reads a UTF-8 file: at bytes that are not,
they raise NotUtf8.

No record (the header included) is read longer than `max_record_bytes()`, MAX_RECORD_BYTES
unless the environment variable ETL_MAX_RECORD_BYTES says otherwise: a file of one 2 GB line
would otherwise be read whole, at many times its size in memory. The readers raise
RecordTooLong at the first record longer than that.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import polars as pl

from etl.report.errors import UsageError
from etl.tableschema.csv_lines import (
    NeedsExactReading,
    NotUtf8,
    lines_of_piece,
    odd_records,
    read_text_csv,
)
from etl.tableschema.dialect import CsvDialect

__all__ = ["CsvDialect", "NeedsExactReading", "NotUtf8"]  # read here by the CSV readers

#: Bytes read at a time (a piece of whole lines). Peak memory grows by about 7 times a piece:
#: at 1M rows, 8 MiB pieces peaked at 294 MB, 24 MiB ones at 406 MB, for the same CPU time.
PIECE_BYTES = 8 << 20
#: A piece's fixed cost grows with its columns, so a wide file's pieces grow by
#: WIDE_PIECE_BYTES per PIECE_COLUMNS columns (piece_bytes), up to MAX_PIECE_BYTES.
WIDE_PIECE_BYTES, PIECE_COLUMNS, MAX_PIECE_BYTES = 24 << 20, 1_000, 128 << 20
#: Records in a piece of the exact reading.
EXACT_ROWS = 100_000
#: The longest record read, in bytes (characters, where Python's csv module reads the file),
#: its line feed aside. A record this long is read in a piece of its own, which holds a few
#: times its size in memory while polars parses it (a record of 64 MiB broken by quoted line
#: feeds: 290 MB more at peak); no table of records or cells needs more.
MAX_RECORD_BYTES = 64 << 20
#: The environment variable that sets another limit, in bytes, for one run.
MAX_RECORD_ENV = "ETL_MAX_RECORD_BYTES"
_BOM = b"\xef\xbb\xbf"


@dataclass
class Piece:
    """Whole records read in one go: their cells as text columns c0, c1, ... with the record
    index `_i` (extra cells dropped, absent ones empty); `odd`, the index of each record among
    them that is blank or whose number of cells differs from the header's, with its cells as
    Python's csv module reads them (none for a blank line); and the bytes of the file read
    so far."""

    frame: pl.DataFrame
    odd: dict[int, list[str]]
    done: int


class RecordTooLong(Exception):
    """A record is longer than the limit: its index (the header is record 0) and the limit."""

    def __init__(self, record: int, limit: int) -> None:
        super().__init__(f"record {record} is longer than {limit} bytes")
        self.record = record
        self.limit = limit


def max_record_bytes() -> int:
    """The longest record the readers read: ETL_MAX_RECORD_BYTES when it is set, else
    MAX_RECORD_BYTES. UsageError when the variable is not a whole number of bytes."""
    value = os.environ.get(MAX_RECORD_ENV, "").strip()
    if not value:
        return MAX_RECORD_BYTES
    if not value.isdigit() or int(value) < 1:
        raise UsageError(
            f"{MAX_RECORD_ENV}={value!r} is not a number of bytes - set it to a whole "
            f"number such as {MAX_RECORD_BYTES}, or unset it"
        )
    return int(value)


def read_labels(path: Path, dialect: CsvDialect, *, limit: int | None = None) -> list[str]:
    """The labels of the header row: its cells as Python's csv reads them, stripped of white
    space at both ends as frictionless-py strips them (CsvDialect.labels).

    Raises RecordTooLong when it is longer than `limit` (default: max_record_bytes()), and
    NotUtf8 at bytes that are not UTF-8.
    """
    with _text(path) as (_, handle):
        records = _records(handle, dialect, limit or max_record_bytes())
        if dialect.header_rows == (1,):
            return [cell.strip() for cell in next(records, [])]
        return dialect.labels(list(islice(records, dialect.header_rows[-1])))


def read_head(path: Path, lines: int, *, limit: int | None = None) -> str:
    """The text of the file's first `lines` lines, each ending at a line feed, a carriage
    return and line feed, or a lone carriage return (as Python's universal newlines read
    them, and as frictionless' CSV parser takes its sample), the byte-order mark left out:
    at most `limit` characters (default: max_record_bytes()). NotUtf8 at bytes that are not
    UTF-8."""
    budget = limit or max_record_bytes()
    taken: list[str] = []
    with _text(path) as (_, handle):
        try:
            while len(taken) < lines and budget > 0 and (line := handle.readline(budget)):
                taken.append(line)
                budget -= len(line)
        except UnicodeDecodeError as exc:
            raise NotUtf8 from exc
    return "".join(taken)


def read_head_records(
    path: Path, dialect: CsvDialect, rows: int, *, limit: int | None = None
) -> list[list[str]]:
    """The file's first `rows` records as Python's csv module reads them, up to the first
    longer than `limit` (default: max_record_bytes()). NotUtf8 at bytes that are not UTF-8."""
    with _text(path) as (_, handle):
        records = _records(handle, dialect, limit or max_record_bytes())
        found: list[list[str]] = []
        with contextlib.suppress(RecordTooLong):
            for cells in islice(records, rows):
                found.append(cells)
        return found


def read_exact(
    path: Path, dialect: CsvDialect, width: int, *, limit: int | None = None
) -> Iterator[Piece]:
    """The file as Python's csv module reads it, in pieces of EXACT_ROWS records: slower
    than read_pieces, and exact, for the files read_pieces gives up on.

    Raises RecordTooLong, after the pieces before it, at a record longer than `limit`
    (default: max_record_bytes()), and NotUtf8 at bytes that are not UTF-8.
    """
    names = [f"c{i}" for i in range(width)]
    schema = dict.fromkeys(names, pl.String)
    index = 0
    with _text(path) as (raw, text):
        reader = _records(text, dialect, limit or max_record_bytes())
        failure: RecordTooLong | None = None
        while failure is None:
            chunk: list[list[str]] = []
            try:
                chunk.extend(islice(reader, EXACT_ROWS))
            except RecordTooLong as exc:
                failure = exc  # raised once the records before it are given
            if not chunk:
                break
            kept: range | list[int] = range(len(chunk))
            if dialect.skipping:  # comments and skipped blank rows leave gaps in `_i`
                kept = [i for i in kept if not dialect.skips(index + i, chunk[i])]
            odd: dict[int, list[str]] = {}
            for at in kept:
                if len(chunk[at]) != width:
                    odd[index + at] = chunk[at]
                    chunk[at] = (chunk[at] + [""] * width)[:width]
            rows = [chunk[at] for at in kept] if dialect.skipping else chunk
            columns = list(map(list, zip(*rows, strict=True))) or [[] for _ in names]
            frame = pl.DataFrame(dict(zip(names, columns, strict=True)), schema=schema)
            numbers = (pl.Series("_i", kept, dtype=pl.Int64) + index).cast(pl.UInt32)
            frame = frame.with_columns(numbers).select("_i", *names)
            yield Piece(frame, odd, raw.tell())
            index += len(chunk)
    if failure is not None:
        raise failure


@contextlib.contextmanager
def _text(path: Path) -> Iterator[tuple[BinaryIO, io.TextIOWrapper]]:
    """The file, and its text read as strict UTF-8 after its byte-order mark, as frictionless
    reads a UTF-8 file. Python's utf-8-sig is not used: it drops a mark cut short at the end
    of the file (b"\\xef\\xbb" alone reads as nothing), which frictionless reads as bytes that
    are not UTF-8."""
    with path.open("rb") as raw:
        if raw.read(len(_BOM)) != _BOM:
            raw.seek(0)
        yield raw, io.TextIOWrapper(raw, encoding="utf-8", newline="")


class _BoundedLines:
    """The lines of a text, for Python's csv reader, ending at a record longer than `limit`
    characters, its line feed aside (`too_long` then says so): `taken` counts the
    characters of the record being read (reset by the caller at each record), and no line
    is read past the limit. NotUtf8 at bytes the text cannot decode."""

    def __init__(self, text: io.TextIOBase, limit: int) -> None:
        self.text, self.limit = text, limit
        self.taken = 0
        self.too_long = False

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        budget = self.limit + 1 - self.taken  # the record's characters and its line end
        try:
            line = self.text.readline(budget) if budget > 0 else self.text.read(1)
        except UnicodeDecodeError as exc:
            raise NotUtf8 from exc
        if not line:
            raise StopIteration
        self.taken += len(line)
        if self.taken > self.limit + 1 or (len(line) == budget and not line.endswith("\n")):
            self.too_long = True
            raise StopIteration  # csv.reader would take an exception for its own
        return line


def _records(text: io.TextIOBase, dialect: CsvDialect, limit: int) -> Iterator[list[str]]:
    """The records of a text as Python's csv module reads them, none longer than `limit`
    characters (RecordTooLong names the first that is, counting records from 0).

    Python's csv module refuses a cell longer than csv.field_size_limit() (128 KiB unless
    raised, as frictionless-py raises it when imported): it is raised to `limit`.
    """
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    lines = _BoundedLines(text, limit)
    reader = csv.reader(lines, **dialect.python_options())
    index = 0
    while True:
        lines.taken = 0
        cells = next(reader, None)
        if lines.too_long:
            raise RecordTooLong(index, limit)
        if cells is None:
            return
        yield cells
        index += 1


def prefetched(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """The pieces, each next one read in a background thread while the caller checks this one.

    polars releases the GIL while it parses, so reading overlaps checking on a second core;
    memory holds one piece more. An exception from the reading reaches the caller in order.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="etl-read") as pool:
        ahead = pool.submit(next, pieces, None)
        while (piece := ahead.result()) is not None:
            ahead = pool.submit(next, pieces, None)
            yield piece


def read_pieces(
    path: Path, dialect: CsvDialect, width: int, *, limit: int | None = None
) -> Iterator[Piece]:
    """The file in pieces of whole records, each piece's bytes read once and parsed twice by
    polars: as raw lines (quote parity, blank lines, cell counts) and as CSV cells.

    Raises NeedsExactReading, possibly after some pieces, when the two readings could differ
    from Python's csv module's: another quote character than '"', a piece holding every byte
    that could split it into lines, a carriage return not followed by a line feed, an
    unclosed quote, a piece starting with a byte-order mark (polars drops it there), or
    record counts that disagree. The caller then reads the file with
    read_exact. Raises RecordTooLong, after the pieces before it, at a record longer than
    `limit` bytes (default: max_record_bytes()): one that ends in none of the `limit` + 1
    bytes from its start; and NotUtf8, possibly after some pieces, at bytes that are not
    UTF-8.
    """
    if not dialect.plain:
        raise NeedsExactReading
    limit = limit or max_record_bytes()
    record = 0  # index of the first record of the next piece
    size = first_size = min(piece_bytes(width), limit + 1)
    with path.open("rb") as handle:
        if handle.read(len(_BOM)) != _BOM:
            handle.seek(0)
        while True:
            start = handle.tell()
            data = handle.read(size)
            if not data:
                return
            end = len(data) < size  # a file read returns less only at its end
            cut = len(data) if end else data.rfind(b"\n") + 1
            whole = data[:cut] if 0 < cut < len(data) else data
            if whole.startswith(_BOM):  # a record's U+FEFF, which polars drops at its start
                raise NeedsExactReading
            lines = lines_of_piece(whole, dialect) if cut else None
            keep = lines.whole if lines else 0
            if lines and keep < lines.count and end:
                raise NeedsExactReading  # an unclosed quote
            if not keep:  # no record ends in `size` bytes: read more at once
                if size > limit:
                    if b"\r" in data:
                        raise NeedsExactReading  # a lone carriage return may end it
                    raise RecordTooLong(record, limit)
                del data, whole, lines
                size = min(size * 2, limit + 1)
                handle.seek(start)
                continue
            assert lines is not None
            del data  # the piece is `whole` (no copy) unless a record runs past its end
            for _ in range(lines.count - keep):
                cut = whole.rfind(b"\n", 0, cut - 1) + 1
            piece = whole[:cut] if cut < len(whole) else whole
            del whole
            handle.seek(start + cut)
            size = first_size
            frame = _cells_frame(piece, dialect, width)
            marks = lines.marks.head(keep)
            continued = int(marks.get_column("within").sum())
            if frame.height != keep - continued:
                raise NeedsExactReading
            odd = odd_records(marks, frame, record, dialect, width, continued=bool(continued))
            yield Piece(frame.with_row_index("_i", offset=record), odd, start + cut)
            record += frame.height
            if end:
                return


def piece_bytes(width: int) -> int:
    """Bytes read at a time from a file of `width` columns."""
    return min(MAX_PIECE_BYTES, max(PIECE_BYTES, WIDE_PIECE_BYTES * (width // PIECE_COLUMNS)))


def _cells_frame(piece: bytes, dialect: CsvDialect, width: int) -> pl.DataFrame:
    """The piece's records as `width` text columns c0, c1, ... (NeedsExactReading when
    polars cannot split them, as for text after a closing quote: 'a,"b"c')."""
    try:
        return read_text_csv(
            piece,
            has_header=False,
            separator=dialect.delimiter,
            quote_char=dialect.quote_char,
            schema={f"c{i}": pl.String for i in range(width)},
            truncate_ragged_lines=True,
            empty_string_is_null=False,
            raise_if_empty=False,
            extra_columns="ignore",
            missing_columns="insert",
        )
    except pl.exceptions.ComputeError as exc:
        raise NeedsExactReading from exc
