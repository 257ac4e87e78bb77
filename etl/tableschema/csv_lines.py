"""What polars' reading of a CSV piece's raw lines tells (etl.tableschema.csv_reader): where
records end, which lines are blank, and which records have another number of cells than
the header, with their cells as Python's csv module reads them.

A line without quotes has as many cells as delimiters, and one. A line is `regular` when
each of its quotes opens or closes a cell, none doubled: then its bytes are its cells'
bytes, its delimiters and its quotes, and that identity tells whether it has as many cells
as the header without counting them. Other well-formed lines (a
doubled quote, a record over several lines) are read again by Python's csv module; a
record with a quote inside an unquoted cell, or text after a closing quote, makes the
piece's reading give up (NeedsExactReading), as quote parity no longer tells where
records end.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from etl.tableschema.dialect import CsvDialect

#: What polars' strict UTF-8 reading says of bytes that are not UTF-8.
INVALID_UTF8 = "invalid utf-8 sequence"
#: Bytes tried, in order, as a separator no line holds, to read whole lines with polars.
LINE_SEPARATORS = (b"\x1f", b"\x1e", b"\x1d", b"\x1c", b"\x01", b"\x02", b"\x03")


class NeedsExactReading(Exception):
    """The fast reading cannot vouch for how this file splits into records."""


class NotUtf8(Exception):
    """The file holds bytes that are not UTF-8: frictionless-py stops reading it there, with an
    encoding-error, so the readers stop too rather than replace them."""


@dataclass
class Lines:
    """What one polars pass over a piece's raw lines tells: `marks` for each line (see
    _lines), and how many of the first lines end records (`whole`)."""

    marks: pl.DataFrame
    whole: int

    @property
    def count(self) -> int:
        """The number of lines."""
        return self.marks.height


def read_text_csv(piece: bytes, **options: Any) -> pl.DataFrame:
    """polars' read_csv of a piece whose cells are all text, read as strict UTF-8 (which
    polars also reads about a fifth faster than its lossy decoding): NotUtf8 when it holds
    an invalid sequence."""
    try:
        return pl.read_csv(io.BytesIO(piece), encoding="utf8", **options)
    except pl.exceptions.ComputeError as exc:
        if INVALID_UTF8 not in str(exc):
            raise
        raise NotUtf8 from exc


def lines_of_piece(piece: bytes, dialect: CsvDialect) -> Lines:
    """The piece's lines, read by polars on a byte no line holds, each marked with: `line`
    (its text), `n` (its bytes), `q` (its quotes), `regular` (see _regular), `odd` (an odd
    number of quotes), `within` (it continues a record begun on an earlier line) and
    `blank`."""
    separator = next((c.decode() for c in LINE_SEPARATORS if c not in piece), None)
    if separator is None:
        raise NeedsExactReading
    frame = read_text_csv(
        piece,
        has_header=False,
        separator=separator,
        quote_char=None,
        schema={"line": pl.String},
        empty_string_is_null=False,
        raise_if_empty=False,
    )
    line, quotes, length = pl.col("line"), pl.col("q"), pl.col("n")
    if b'"' in piece:
        quoted = [
            line.str.count_matches('"', literal=True).cast(pl.Int64).alias("q"),
            line.str.contains(_regular(dialect.delimiter)).alias("regular"),
        ]
    else:  # no quote: each line is a record of its own, and regular
        quoted = [pl.lit(0, pl.Int64).alias("q"), pl.lit(True).alias("regular")]
    marks = (
        frame.lazy()
        .with_columns(line.str.len_bytes().cast(pl.Int64).alias("n"), *quoted)
        .with_columns(
            (length == 0).alias("blank"),
            (quotes % 2 == 1).alias("odd"),
            ((quotes.cum_sum() - quotes) % 2 == 1).alias("within"),
        )
        .collect()
    )
    # A line ends a record when the quotes before and in it are even: within == odd.
    ends, text_bytes = marks.select(
        (pl.arg_where(pl.col("within") == pl.col("odd")).max() + 1).fill_null(0),
        length.sum(),
    ).row(0)
    # polars ends lines at \n, dropping a \r before it; Python's csv module also ends them
    # at a lone \r. Either way, the lines must hold every byte of the piece.
    newlines = frame.height - (not piece.endswith(b"\n"))
    if b"\r" in piece:
        lone_cr = marks.select(line.str.contains("\r", literal=True).any()).item()
        if lone_cr or newlines != piece.count(b"\n"):
            raise NeedsExactReading
    elif text_bytes + newlines != len(piece):
        raise NeedsExactReading
    return Lines(marks, int(ends))


def _regular(delimiter: str) -> str:
    """A regular expression of the lines whose every quote opens a cell or closes it, none
    doubled: each cell is quoted with no quote inside, or holds no quote at all. Python's
    csv module leaves no quote in such a line's cells, and takes all of them out."""
    d = f"\\x{{{ord(delimiter):X}}}"
    cell = '(?:"[^"]*"|[^"]*)'
    return f"^{cell}(?:{d}{cell})*$"


def odd_records(
    marks: pl.DataFrame,
    cells: pl.DataFrame,
    first: int,
    dialect: CsvDialect,
    width: int,
    *,
    continued: bool,
) -> dict[int, list[str]]:
    """The records whose cells differ from `width` (or that are blank), by record index
    counted from `first`, with their cells as Python's csv module reads them.

    A line with no quote has as many cells as delimiters, and one. A regular line with
    quotes (_regular) has its cells' bytes, one delimiter between cells and its quotes: with
    `width` cells, polars' cells (cells past `width` dropped, absent ones empty) make that
    identity hold; with fewer, the missing delimiters break it, and with more, the dropped
    cells and their delimiters do. Blank lines, lines that are not regular, have an odd
    number of quotes or are inside a multi-line record, and those the counts flag are read
    again by Python.
    """
    quotes, simple = pl.col("q"), pl.col("regular") & ~pl.col("odd") & ~pl.col("within")
    some, every = marks.select((quotes > 0).any().alias("some"), (quotes > 0).all()).row(0)
    bad = pl.lit(False)
    if not every:  # lines without quotes: their delimiters
        count = pl.col("line").str.count_matches(dialect.delimiter, literal=True)
        bad = bad | ((quotes == 0) & (count + 1 != width))
    if some:  # lines with quotes: their cells' bytes
        size = cells.select(
            pl.sum_horizontal(pl.col(c).str.len_bytes().fill_null(0) for c in cells.columns)
        ).to_series()
        if continued:  # the record of each line
            record = marks.select((~pl.col("within")).cast(pl.UInt32).cum_sum() - 1)
            size = size.gather(record.to_series())
        separators = (width - 1) * len(dialect.delimiter.encode())
        bytes_left = pl.col("n") - size.cast(pl.Int64) - quotes
        bad = bad | ((quotes > 0) & (bytes_left != separators))
    flagged = (
        marks.with_row_index("i")
        .filter(~simple | pl.col("blank") | bad)
        .select("i", "line", "odd", "within", "regular")
    )
    found: dict[int, list[str]] = {}
    shift = 0  # continuation lines seen so far
    pending: list[str] = []
    form = _well_formed(dialect.delimiter)
    for i, text, odd, within, regular in flagged.iter_rows():  # no \r: see lines_of_piece
        if within:
            shift += 1
            pending.append(text)
            if not odd:
                continue  # the record goes on
        elif odd:
            pending = [text]
            continue
        else:
            pending = [text]
        joined = "\n".join(pending)
        if not (regular and len(pending) == 1) and not form.fullmatch(joined):
            raise NeedsExactReading  # quote parity no longer tells where records end
        parsed = _cells(joined, dialect)
        if len(parsed) != width:
            found[first + i - shift] = parsed
        pending = []
    return found


@lru_cache(maxsize=16)
def _well_formed(delimiter: str) -> re.Pattern[str]:
    """The records whose every quote opens or closes a quoted cell or is doubled inside one
    (RFC 4180), where polars, Python's csv module and quote parity all agree. An unquoted
    cell holds no delimiter, quote or line break, so that matching takes linear time."""
    d = re.escape(delimiter)
    cell = f'(?:"(?:[^"]|"")*"|[^"{d}\\r\\n]*)'
    return re.compile(f"{cell}(?:{d}{cell})*")


def _cells(text: str, dialect: CsvDialect) -> list[str]:
    """The cells of one record's text, as Python's csv module reads them."""
    text = text.removesuffix("\r")
    if text == "":
        return []
    reader = csv.reader(io.StringIO(text, newline=""), **dialect.python_options())
    return [cell for row in reader for cell in row]
