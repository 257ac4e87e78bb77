"""Reading a CSV file at polars speed in bounded memory: its header, the records whose number
of cells differs from the header's (or that are blank), and its cells in batches.

Records are numbered as frictionless-py numbers rows: the header is record 0 (row 1), a blank
line is a record, and a quoted cell holding line breaks keeps its record whole. The file is
read in pieces of whole lines through Python (not memory-mapped, so the resident memory stays
at a few pieces however large the file); a record spanning several lines is told by the
parity of its quotes, and no piece ever ends inside one. When this reading and polars' could
disagree (no free separator byte, an unusual quote character, an unclosed quote), the shape
comes from Python's csv module, which frictionless uses.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

#: Bytes tried, in order, as a separator no line holds, to read whole lines with polars.
_LINE_SEPARATORS = (b"\x1f", b"\x1e", b"\x1d", b"\x1c", b"\x01", b"\x02", b"\x03")
#: Bytes read at a time: a piece of whole lines is about this large.
PIECE_BYTES = 1 << 24
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class CsvDialect:
    """How the CSV is written: the Table Dialect properties etl validate reads."""

    delimiter: str = ","
    quote_char: str = '"'
    header: bool = True


@dataclass
class Structure:
    """The number of records, the records whose cells need a closer look, and multi-line ones.

    `odd` maps the index of every record (the header is 0) that is blank or whose cell count
    differs from the expected width to its cells as Python's csv reads them (an empty list
    for a blank line). `spans` gives the first and last line of each multi-line record.
    """

    records: int
    odd: dict[int, list[str]] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)
    exact: bool = False


def read_labels(path: Path, dialect: CsvDialect) -> list[str]:
    """The cells of the first record (the header row), as Python's csv reads them."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=dialect.delimiter, quotechar=dialect.quote_char)
        return next(reader, [])


def read_structure(
    path: Path, dialect: CsvDialect, width: int, *, exact: bool = False
) -> Structure:
    """The file's structure; `width` is the number of cells a record should have.

    The fast reading is used unless `exact` is asked for or the file rules it out; the caller
    checks the record count against the rows polars reads, and asks again with `exact` when
    they differ.
    """
    if not exact and dialect.quote_char == '"':
        found = _scan_lines(path, dialect, width)
        if found is not None:
            return found
    return _python_structure(path, dialect, width)


def read_batches(
    path: Path, dialect: CsvDialect, width: int, spans: list[tuple[int, int]]
) -> Iterator[pl.DataFrame]:
    """The records as text columns c0, c1, ... (`width` of them; extra cells are dropped, and
    absent ones are empty) with their index `_i`, one piece of the file at a time."""
    offset = 0
    schema = {f"c{i}": pl.String for i in range(width)}
    for piece in _pieces(path, spans):
        frame = pl.read_csv(
            io.BytesIO(piece),
            has_header=False,
            separator=dialect.delimiter,
            quote_char=dialect.quote_char,
            schema=schema,
            truncate_ragged_lines=True,
            empty_string_is_null=False,
            encoding="utf8-lossy",
            raise_if_empty=False,
            extra_columns="ignore",
            missing_columns="insert",
        )
        yield frame.with_row_index("_i", offset=offset)
        offset += frame.height


def _pieces(path: Path, spans: list[tuple[int, int]]) -> Iterator[bytes]:
    """Pieces of whole lines of the file, in order, about PIECE_BYTES long.

    A byte-order mark is dropped, and no piece ends inside a record spanning `spans`.
    """
    starts = [s for s, _ in spans]

    def inside(line: int) -> bool:
        at = bisect_right(starts, line) - 1
        return at >= 0 and spans[at][0] <= line < spans[at][1]

    first, rest = 0, b""
    with path.open("rb") as handle:
        data = handle.read(PIECE_BYTES).removeprefix(_BOM)
        while data:
            buffer = rest + data if rest else data
            cut = buffer.rfind(b"\n") + 1
            if spans:  # lines are counted only when a cut could fall inside a record
                last = first + buffer.count(b"\n", 0, cut) - 1
                while cut and inside(last):
                    cut = buffer.rfind(b"\n", 0, cut - 1) + 1
                    last -= 1
                first = last + 1
            if cut:
                yield buffer[:cut]
                rest = buffer[cut:]
            else:
                rest = buffer
            data = handle.read(PIECE_BYTES)
        if rest:
            yield rest


def _scan_lines(path: Path, dialect: CsvDialect, width: int) -> Structure | None:
    """One pass over raw lines: quote parity, blank lines and cell counts.

    None when the file rules this reading out: an unclosed quote, or a piece holding every
    byte that could serve to split it into whole lines.
    """
    line = pl.col("line").str.strip_chars_end("\r")
    quotes = line.str.count_matches('"', literal=True)
    unquoted = pl.when(quotes == 0).then(line).otherwise(line.str.replace_all(r'"[^"]*"', ""))
    counted = unquoted.str.count_matches(dialect.delimiter, literal=True) + 1
    cells = pl.when(line.str.len_bytes() == 0).then(0).otherwise(counted)
    odd = (quotes % 2 == 1).cast(pl.Int64)
    rows: list[dict[str, Any]] = []
    lines = 0
    carry = 0  # quote parity at the start of the piece
    for piece in _pieces(path, []):
        separator = next((c.decode() for c in _LINE_SEPARATORS if c not in piece), None)
        if separator is None:
            return None
        first = lines
        frame = pl.read_csv(
            io.BytesIO(piece),
            has_header=False,
            separator=separator,
            quote_char=None,
            schema={"line": pl.String},
            empty_string_is_null=False,
            encoding="utf8-lossy",
            raise_if_empty=False,
        )
        marks = frame.select(
            pl.int_range(first, first + pl.len(), dtype=pl.Int64).alias("i"),
            line.alias("line"),
            odd.alias("odd"),
            ((odd.cum_sum() - odd + carry) % 2).alias("within"),
            cells.alias("cells"),
        )
        carry = (carry + int(marks.get_column("odd").sum())) % 2
        lines += frame.height
        # as Python values at once: a filtered frame would keep the whole piece alive
        rows += marks.filter(
            (pl.col("odd") == 1) | (pl.col("within") == 1) | (pl.col("cells") != width)
        ).rows(named=True)
    if carry:
        return None  # an unclosed quote: let Python's csv module say what it reads
    text = {r["i"]: r["line"] for r in rows}
    opening = [r["i"] for r in rows if r["odd"] and not r["within"]]
    closing = [r["i"] for r in rows if r["odd"] and r["within"]]
    spans = list(zip(opening, closing, strict=True))
    starts = [s for s, _ in spans]
    before: list[int] = []  # continuation lines before each span
    running = 0
    for start, end in spans:
        before.append(running)
        running += end - start
    found: dict[int, list[str]] = {}
    for record in rows:
        index = record["i"]
        at = bisect_right(starts, index) - 1
        if at >= 0 and spans[at][0] < index <= spans[at][1]:
            continue  # inside a record that started on an earlier line
        if at >= 0 and spans[at][0] == index:
            shift = before[at]
            source = "\n".join(text[i].removesuffix("\r") for i in range(index, spans[at][1] + 1))
        else:
            shift = before[at] + spans[at][1] - spans[at][0] if at >= 0 else 0
            source = record["line"]
        parsed = _cells(source, dialect)
        if len(parsed) != width:
            found[index - shift] = parsed
    return Structure(lines - running, found, spans)


def _cells(text: str, dialect: CsvDialect) -> list[str]:
    """The cells of one record's text, as Python's csv module reads them."""
    text = text.removesuffix("\r")
    if text == "":
        return []
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote_char
    )
    return [cell for row in reader for cell in row]


def _python_structure(path: Path, dialect: CsvDialect, width: int) -> Structure:
    """The structure as Python's csv module reads it: slower, and exact."""
    found: dict[int, list[str]] = {}
    spans: list[tuple[int, int]] = []
    count = 0
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=dialect.delimiter, quotechar=dialect.quote_char)
        line = 0
        for index, cells in enumerate(reader):
            count += 1
            if reader.line_num - 1 > line:
                spans.append((line, reader.line_num - 1))
            line = reader.line_num
            if len(cells) != width:
                found[index] = cells
    return Structure(count, found, spans, exact=True)
