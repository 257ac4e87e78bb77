"""Reading a small CSV file whole and strictly: UTF-8 only, quotes closed, each record with
the line it starts on, every label and cell tidied. The strict profile's reader."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.report.catalogue import ENCODING_ERROR, SOURCE_ERROR
from etl.report.findings import Finding
from etl.tableschema.csv_reader import MAX_RECORD_ENV, CsvDialect, max_record_bytes


@dataclass
class StrictRecords:
    """A file's header and records as text, each record with the line it starts on."""

    labels: list[str]
    #: True when the file holds no record at all (not even a blank line).
    empty: bool = False
    records: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def decode(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """The UTF-8 text of a file (a BOM is dropped); any other encoding is a finding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [ENCODING_ERROR.at(file, problem="is UTF-16")]
    if b"\x00" in data:
        # Text never holds NUL; UTF-16 or UTF-32 without a byte-order mark is full of them.
        problem = "holds NUL bytes (it looks like UTF-16 or binary)"
        return None, [ENCODING_ERROR.at(file, problem=problem)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = " (it looks like Windows-1251)" if _looks_cp1251(data) else ""
        problem = f"byte {data[exc.start]:#04x} is not UTF-8{guess}"
        return None, [ENCODING_ERROR.at(file, line, problem=problem)]


def _looks_cp1251(data: bytes) -> bool:
    """True when the bytes read as mostly Cyrillic letters in Windows-1251."""
    high = [b for b in data if b >= 0x80]
    return bool(high) and sum(b >= 0xC0 for b in high) / len(high) > 0.8


def read_strict(
    path: Path, file: str, dialect: CsvDialect, tidy: Callable[[str], str] | None
) -> tuple[StrictRecords | None, list[Finding]]:
    """The file's records, or the findings that make it unreadable (encoding, a quote left
    open). An empty file gives no labels."""
    text, findings = decode(path.read_bytes(), file)
    if text is None:
        return None, findings
    limit = max_record_bytes()
    csv.field_size_limit(limit)
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=dialect.delimiter,
        quotechar=dialect.quote_char,
        strict=True,
    )
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            records.append([tidy(cell) for cell in record] if tidy else record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problem = (
                f"a cell of the record starting on this row is longer than {limit} bytes, the "
                f"longest read - check that its quotes are closed, or raise the limit with "
                f"{MAX_RECORD_ENV}"
            )
            return None, [SOURCE_ERROR.at(file, start, problem=problem)]
        problem = (
            f"the CSV cannot be read ({exc}) - close the quoted cell that starts on this "
            "row, and double any quote inside a cell"
        )
        return None, [SOURCE_ERROR.at(file, start, problem=problem)]
    if not records:
        return StrictRecords([], empty=True), []
    return StrictRecords(records[0], False, records[1:], lines[1:]), []
