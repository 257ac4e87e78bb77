"""Adversarial parity fuzz of CSV structure: etl validate against frictionless-py, run live.

Each example is a package of one CSV resource (a header row and a schema of 1 to 4 string
or integer fields) whose bytes are built to be nasty on purpose: unclosed quotes, quotes
inside unquoted cells, text after a closing quote, doubled and empty quoted cells, quoted
delimiters and line feeds, CRLF and lone CR line ends, blank lines, short and long rows,
a byte-order mark (at the start, or starting a record), a NUL, bytes that are not UTF-8,
other delimiters than the comma (and a comma and a space), an encoding declared or left to
detection, a dialect mostly left to guessing (else one option that changes how records
split or which are read: doubleQuote, escapeChar, quoteChar, skipInitialSpace,
skipBlankRows, commentChar, commentRows, headerRows), and pieces so small that records
cross them.

What must always hold: etl never finds nothing where frictionless finds something (a silent
pass). What is asserted besides: both find the same (resource, row, field, type) set, but
for two differences on purpose, which only files longer than those of the first test
reach, and which the second test names where it allows them:

- bytes that are not UTF-8 past frictionless' first decoding chunk (8 KiB): etl reports the
  encoding-error alone; frictionless also reports the rows it checked before its decoding
  reached them (which depend on its buffering);
- more than 1,000 errors: frictionless stops at its default limit, etl reports every one.

A third lies outside both: a dialect whose sniffing takes longer than
etl.tableschema.detect.SNIFF_SECONDS is a source-error in etl and hours of work in
frictionless (tests/test_detect.py).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate as frictionless_validate
from hypothesis import example, given, settings
from hypothesis import strategies as st

import etl.tableschema.csv_reader
from etl.tableschema.engine import validate_package
from tests.test_parity import V2, Key, etl_keys, report_keys

#: Field names, in the order the schema lists them.
NAMES = ("a", "b", "c", "d")
#: Piece sizes of the fast reading: a record crosses pieces of 1 and 7 bytes (files of
#: hundreds of records are read in pieces of 64 bytes at least, at 1 ms a piece).
PIECES, LONG_PIECES = (1, 7, 64, 1 << 20), (64, 1 << 20)
#: Examples run: about 12 ms each on one core; those of long files, about 150 ms.
EXAMPLES, LONG_EXAMPLES = 2_000, 100
#: frictionless' encoding-error when it decodes bytes that are not UTF-8.
ENCODING_ERROR = ("t", None, None, "encoding-error")

#: Bytes of cells: text, integers, spaces, other delimiters, quotes, line ends, a NUL,
#: bytes that are not UTF-8 (latin-1 é, a cut two-byte and three-byte sequence, 0xff), and
#: what some dialects read otherwise: another quote, an escape, a comment.
TOKENS = (
    b"x",
    b"1",
    b"-7",
    b" ",
    b"\xc3\xa9",
    b",",
    b", ",
    b";",
    b"\t",
    b"|",
    b'"',
    b'""',
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\xe9",
    b"\xc3",
    b"\xe2\x82",
    b"\xff",
    b"\xef\xbb\xbf",
    b"'",
    b"\\",
    b"#",
)


def quoted(inner: bytes) -> bytes:
    """A cell quoted as RFC 4180 writes it."""
    return b'"' + inner.replace(b'"', b'""') + b'"'


#: Cells built to break a reader, and cells made of any tokens.
SOUP = st.lists(st.sampled_from(TOKENS), max_size=5).map(b"".join)
WORD = st.sampled_from(
    [b"", b"x", b"1", b"-7", b" 3 ", b"\xc3\xa9", b"\xe9", b"a b", b"\xef\xbb\xbf"]
)
CELL = st.one_of(
    WORD,
    WORD.map(quoted),  # '"x"', '""'
    st.tuples(WORD, WORD).map(lambda p: quoted(p[0] + b'"' + p[1])),  # doubled: '"a""b"'
    st.tuples(WORD, st.sampled_from([b",", b"\n", b"\r\n", b"\r", b";"]), WORD).map(
        lambda p: quoted(b"".join(p))  # a quoted delimiter or line end
    ),
    st.tuples(WORD, WORD).map(lambda p: p[0] + b'"' + p[1]),  # a quote inside: 'a"b'
    st.tuples(WORD, WORD).map(lambda p: quoted(p[0]) + p[1]),  # after the close: '"a"b'
    WORD.map(lambda w: b'"' + w),  # an unclosed quote: '"a'
    SOUP,
)
NO_FILLER = st.just(0)
LINE_END = st.sampled_from([b"\n", b"\n", b"\r\n", b"\r"])
#: What the descriptor says of the dialect: mostly nothing (frictionless guesses it), else
#: one of the options that change how records split or which are read.
DIALECTS = st.sampled_from(
    [None] * 8
    + [
        {"delimiter": ","},
        {"header": True},
        {"skipInitialSpace": True},
        {"doubleQuote": False},
        {"doubleQuote": False, "escapeChar": "\\"},
        {"quoteChar": "'"},
        {"skipBlankRows": True},
        {"commentChar": "#"},
        {"commentRows": [2]},
        {"headerRows": [2], "skipBlankRows": True},
    ]
)


@dataclass(frozen=True)
class Case:
    """One package: its file's bytes, its fields' types, whether it declares UTF-8, what
    its dialect says, and the piece size of the fast reading."""

    data: bytes
    types: tuple[str, ...]
    declared: bool
    dialect: dict[str, Any] | None
    piece: int


@st.composite
def cases(draw: st.DrawFn, filler: st.SearchStrategy[int] = NO_FILLER) -> Case:
    """A CSV file of a header row and up to 8 records (rarely 30, enough for csv.Sniffer's
    consistency to choose another delimiter), each of nasty cells, joined by a comma, a
    semicolon or a comma and a space, each line ending its own way. With `filler`, the
    nasty records come after that many well-formed ones, below a header that is right (so
    that the findings stay below frictionless' limit of 1,000 errors: etl has none)."""
    width = draw(st.integers(1, 4))
    types = draw(st.lists(st.sampled_from(["string", "integer"]), min_size=width, max_size=width))
    delimiter = draw(st.sampled_from([b",", b",", b",", b";", b", "]))
    header = delimiter.join(n.encode() for n in NAMES[:width])
    good = draw(filler)
    if not good and draw(st.integers(0, 9)) == 0:  # a broken header
        header = delimiter.join(draw(st.lists(CELL, min_size=1, max_size=5)))
    lines = [header] + [delimiter.join([b"123456789012345678"] * width)] * good
    records = draw(st.integers(0, 8)) if draw(st.integers(0, 9)) else 30
    lines += [delimiter.join(draw(st.lists(CELL, max_size=6))) for _ in range(records)]
    ends = [draw(LINE_END) for _ in lines]
    data = b"".join(line + end for line, end in zip(lines, ends, strict=True))
    if draw(st.booleans()):
        data = data[: -len(ends[-1])]  # no line end at the end
    if draw(st.integers(0, 4)) == 0:
        data = b"\xef\xbb\xbf" + data
    piece = draw(st.sampled_from(LONG_PIECES if good else PIECES))
    return Case(data, tuple(types), draw(st.booleans()), draw(DIALECTS), piece)


def write_case(folder: Path, case: Case) -> Path:
    """The package of one resource `t`; returns its datapackage.json."""
    (folder / "t.csv").write_bytes(case.data)
    fields = [{"name": n, "type": t} for n, t in zip(NAMES, case.types, strict=False)]
    resource: dict[str, Any] = {"name": "t", "path": "t.csv", "schema": {"fields": fields}}
    if case.declared:
        resource["encoding"] = "utf-8"
    if case.dialect is not None:
        resource["dialect"] = case.dialect
    descriptor = folder / "datapackage.json"
    package = {"$schema": V2, "name": "case", "resources": [resource]}
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    return descriptor


def both(case: Case) -> tuple[set[Key], set[Key], bool]:
    """etl's and frictionless' findings of the package, as (resource, row, field, type), and
    whether frictionless stopped at its limit of 1,000 errors (etl has none)."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", case.piece)
        descriptor = write_case(Path(folder), case)
        ours = etl_keys(validate_package(descriptor), descriptor)
        report = frictionless_validate(str(descriptor))
    stopped = any(w.startswith("reached error limit") for t in report.tasks for w in t.warnings)
    return ours, report_keys(report), stopped


@settings(derandomize=True, max_examples=EXAMPLES, deadline=None)
@given(case=cases())
# A blank header row and nothing after it: etl passed, frictionless says the source is empty.
@example(case=Case(b"\xef\xbb\xbf\n", ("string",), False, None, 1))
# A blank header row: etl checked no cell, frictionless checks them as the schema's fields.
@example(case=Case(b"\nx\n", ("integer", "string"), False, None, 64))
# Bytes that are not UTF-8 in a file declared UTF-8: etl read U+FFFD and passed.
@example(case=Case(b"a,b\nx,caf\xe9\n", ("string", "string"), True, None, 1 << 20))
# Detected as UTF-8 (chardet, undeclared), then latin-1's é: etl read U+FFFD and passed.
@example(case=Case(b"a,b\nx,caf\xc3\xa9\nx,y\nx,y\nx,caf\xe9\n", ("string",) * 2, False, None, 7))
# cp1251 undeclared, split on ';': etl read UTF-8 and a comma.
@example(case=Case("a;b\n1;да\nq;нет\n".encode("cp1251"), ("integer", "string"), False, None, 7))
# ';' sniffed below a header of one label: etl read one cell a row and passed.
@example(case=Case(b"a\n" + b"x;y\n" * 30, ("string",), False, None, 64))
# A space after each delimiter, sniffed: etl found an extra cell in '1, "x,y"'.
@example(case=Case(b'a, b\n1, "x,y"\n', ("integer", "string"), False, None, 7))
# The header row is the first near the mean width (row 3 here): etl took row 1.
@example(
    case=Case(b'a,b,c,d\r\n\r"-7"\n', ("string", "integer", "string", "integer"), False, None, 7)
)
# A label quoting a line feed is blank once stripped: etl said incorrect-label.
@example(case=Case(b'"\n', ("integer", "string", "string"), False, None, 1))
# doubleQuote false without escapeChar, read true by frictionless: etl found two cells.
@example(case=Case(b'a,b\n"x"",\n', ("string", "string"), False, {"doubleQuote": False}, 64))
# Blank rows skipped above the header row: etl dropped the first row of data with them.
@example(
    case=Case(b"t\n\n\na\nx\n", ("integer",), False, {"headerRows": [4], "skipBlankRows": True}, 7)
)
# Blank rows skipped, the header row blank too: etl crashed, no record left to read.
@example(case=Case(b",\n", ("integer",), False, {"skipBlankRows": True}, 1 << 20))
# A record starting with U+FEFF at a piece's start: polars dropped it, and the type error.
@example(case=Case(b"a,b\r\n\xef\xbb\xbf,1\r\n", ("integer", "integer"), False, None, 1))
def test_same_findings_as_frictionless_and_never_a_silent_pass(case: Case) -> None:
    """Never no finding where frictionless has one; and the same findings."""
    ours, theirs, _ = both(case)
    assert ours or not theirs, f"silent pass: frictionless finds {sorted(theirs, key=str)}"
    assert ours == theirs


@settings(derandomize=True, max_examples=LONG_EXAMPLES, deadline=None)
@given(case=cases(filler=st.integers(100, 700)))
# 1,100 type errors: frictionless stops at 1,000, etl reports them all (on purpose).
@example(case=Case(b"a\n" + b"x\n" * 1_100, ("integer",), False, None, 1 << 20))
# Latin-1's é past the first 8 KiB of a file declared UTF-8: etl read U+FFFD and passed.
@example(case=Case(b"a,b\n" + b"1,1\n" * 3_000 + b"1,\xe9\n", ("string",) * 2, True, None, 64))
def test_long_files_as_frictionless_but_for_text_past_its_first_chunk(case: Case) -> None:
    """Past 8 KiB and 100 lines: no silent pass, and the same findings but the two named."""
    ours, theirs, stopped = both(case)
    assert ours or not theirs, f"silent pass: frictionless finds {sorted(theirs, key=str)}"
    if stopped:  # on purpose: etl reports every finding, frictionless its first 1,000
        assert theirs <= ours
    elif ENCODING_ERROR in theirs:
        # On purpose: etl reports the encoding-error alone; frictionless also reports the
        # rows it checked before its decoding (8 KiB at a time) reached the bad bytes, no
        # later than the line holding them.
        assert ours == {ENCODING_ERROR}
        bad = first_not_utf8(case.data)
        lines = len(re.findall(rb"\r\n|\r|\n", case.data[:bad])) + 1
        assert all(row is None or row <= lines for _, row, _, _ in theirs)
    else:
        assert ours == theirs


def first_not_utf8(data: bytes) -> int:
    """The offset of the first byte that is not UTF-8 (a BOM at the start left out)."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        return start + exc.start
    return len(data)
