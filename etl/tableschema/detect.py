"""What frictionless-py detects in a CSV file whose descriptor leaves it unsaid, detected
the same way from the same bytes, so that etl reads the file as frictionless reads it.

- The encoding: chardet (the detector frictionless' Detector calls) fed the lines of the
  file's first BUFFER_BYTES bytes; below ENCODING_CONFIDENCE, UTF-8 if those bytes are
  UTF-8; ASCII read as UTF-8.
- The delimiter and skipInitialSpace: Python's csv.Sniffer over the text of the first
  SAMPLE lines, choosing among DELIMITERS (a comma when it finds none). Its regular
  expressions take time growing with the square of the text on some (`,"a,"a,"a...`: 20 s
  on 100 KB, in frictionless too), so a text longer than SNIFF_HERE_CHARS is sniffed in a
  child process stopped after SNIFF_SECONDS: SniffTimeout.
- The header row: the first of the first SAMPLE records (comments aside) whose number of
  cells is within a tenth (at least one) of their rounded mean; the records above it are
  left out, as headerRows leaves them out.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from etl.tableschema.csv_reader import read_head, read_head_records
from etl.tableschema.dialect import CsvDialect

#: The bytes frictionless reads to detect the encoding (its Detector's buffer_size).
BUFFER_BYTES = 100_000
#: Bytes chardet reads as ASCII before any other stage could answer otherwise: printable
#: ASCII, tab, line feed and carriage return, but for what its earlier stages look for,
#: `+` and `~` (UTF-7 and HZ-GB-2312 escapes), `<` (an XML or HTML charset declaration)
#: and `#` (a Python coding comment). tests/test_detect.py checks it against chardet.
PLAIN_TEXT = bytes(sorted(set(b"\t\n\r" + bytes(range(0x20, 0x7F))) - set(b"+~<#")))
#: Below this confidence, frictionless takes UTF-8 if the bytes decode as UTF-8.
ENCODING_CONFIDENCE = 0.5
#: The lines frictionless' CSV parser sniffs, and the records its Detector finds the header
#: row among.
SAMPLE = 100
#: The delimiters csv.Sniffer chooses among when the descriptor says none.
DELIMITERS = ",\t;|"
#: The longest text sniffed in this process (at worst about 0.3 s), and the longest a child
#: process may sniff a longer one.
SNIFF_HERE_CHARS, SNIFF_SECONDS = 8 << 10, 10.0
#: A longer text is sniffed in this process too when its quote characters times its length
#: stay below this: csv.Sniffer's regular expressions try a match at each quote, each
#: running at most to the text's end, and ran 130-160 million such steps a second on
#: texts built to be slow. At this bound, at worst about 30 ms, where a child process
#: costs about 15 ms before it sniffs (the benchmark's first 100 lines: 8.6 KB, 198
#: quotes, 3 ms here).
SNIFF_HERE_STEPS = 4_000_000
_CHILD = (
    "import csv, json, sys\n"
    "try:\n"
    "    found = csv.Sniffer().sniff(sys.stdin.buffer.read().decode(), sys.argv[1])\n"
    "    print(json.dumps([found.delimiter, bool(found.skipinitialspace)]))\n"
    "except csv.Error:\n"
    "    print('null')\n"
)


class SniffTimeout(Exception):
    """Sniffing the file's first lines took longer than the limit, in seconds."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"sniffing took more than {seconds:g} s")
        self.seconds = seconds


def detect_encoding(buffer: bytes) -> str:
    """The encoding frictionless-py reads a file in when its descriptor declares none, from
    the file's first BUFFER_BYTES bytes, as Python names it (a name Python does not know
    is returned as detected: the reading refuses it, as frictionless does).

    Plain text (PLAIN_TEXT) is UTF-8 without chardet: chardet answers ASCII for it, or
    no encoding where its first bytes look like a binary format's, and frictionless reads
    both as UTF-8. chardet's import and first run, 70 ms and 25 MB, are spared."""
    if not buffer.translate(None, PLAIN_TEXT):
        return "utf-8"
    return chardet_encoding(buffer)


def chardet_encoding(buffer: bytes) -> str:
    """detect_encoding's answer from chardet itself, as frictionless' Detector gets it."""
    from chardet import UniversalDetector  # 30 ms to import, 45 ms more to run once

    detector = UniversalDetector()
    for line in buffer.splitlines():  # line ends left out, as frictionless feeds them
        detector.feed(line)
    detector.close()
    encoding = detector.result["encoding"] or "utf-8"
    if (detector.result["confidence"] or 0) < ENCODING_CONFIDENCE:
        try:
            buffer.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass
    if encoding == "ascii":
        encoding = "utf-8"
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    if encoding == "utf-8" and buffer.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if (encoding, buffer[:2]) in (
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", codecs.BOM_UTF16_LE),
    ):
        return "utf-16"  # which leaves the byte-order mark out
    return encoding


def detected_dialect(path: Path, dialect: CsvDialect) -> CsvDialect:
    """The dialect with what frictionless-py guesses from the file where the descriptor is
    silent (`dialect.guess`): the delimiter and skipInitialSpace from its first SAMPLE lines,
    then the header row from its first SAMPLE records read in that dialect. NotUtf8 at
    bytes that are not UTF-8, SniffTimeout when sniffing takes too long."""
    if dialect.guess & {"delimiter", "skipInitialSpace"}:
        dialect = sniffed(read_head(path, SAMPLE), dialect)
    if "headerRows" in dialect.guess:
        dialect = with_header_row(read_head_records(path, dialect, SAMPLE), dialect)
    return dialect


def sniffed(sample: str, dialect: CsvDialect) -> CsvDialect:
    """The dialect with the delimiter and skipInitialSpace frictionless' CSV parser takes
    from csv.Sniffer on the sample text, where the descriptor leaves them unsaid (a comma,
    and no skipping, when the sniffer finds no delimiter)."""
    guess = dialect.guess
    found = _sniff(sample, DELIMITERS if "delimiter" in guess else dialect.delimiter)
    delimiter, space = found or (",", False)
    return dataclasses.replace(
        dialect,
        delimiter=delimiter if "delimiter" in guess else dialect.delimiter,
        skip_initial_space=space if "skipInitialSpace" in guess else dialect.skip_initial_space,
    )


def _sniff(sample: str, delimiters: str) -> tuple[str, bool] | None:
    """csv.Sniffer's delimiter and skipinitialspace for the sample, None when it finds no
    delimiter: in this process up to SNIFF_HERE_CHARS or SNIFF_HERE_STEPS, else in a child
    process of the same Python (its standard library alone), stopped after SNIFF_SECONDS
    (SniffTimeout)."""
    quotes = sample.count('"') + sample.count("'")
    if len(sample) <= SNIFF_HERE_CHARS or (quotes + 1) * len(sample) <= SNIFF_HERE_STEPS:
        try:
            found = csv.Sniffer().sniff(sample, delimiters)
        except csv.Error:
            return None
        return found.delimiter, bool(found.skipinitialspace)
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _CHILD, delimiters],
            input=sample.encode(),
            capture_output=True,
            timeout=SNIFF_SECONDS,
            check=True,
        )
    except subprocess.TimeoutExpired:
        raise SniffTimeout(SNIFF_SECONDS) from None
    answer = json.loads(done.stdout)
    return None if answer is None else (str(answer[0]), bool(answer[1]))


def with_header_row(records: list[list[str]], dialect: CsvDialect) -> CsvDialect:
    """The dialect with the header row frictionless' Detector finds among the records: the
    first (comments aside) whose number of cells is within a tenth of the rounded mean (at
    least one), or the first row."""
    if not records:
        return dialect
    width = round(sum(map(len, records)) / len(records))
    drift = max(round(width * 0.1), 1)
    for index, cells in enumerate(records):
        if not dialect.comment(index, cells) and abs(len(cells) - width) <= drift:
            return dataclasses.replace(dialect, header_rows=(index + 1,)) if index else dialect
    return dialect
