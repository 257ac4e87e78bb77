"""Tests for etl.tableschema.detect: the encoding, delimiter, skipInitialSpace and header row
guessed as frictionless-py guesses them, and the time sniffing may take."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import etl.tableschema.detect
from etl.tableschema.detect import (
    PLAIN_TEXT,
    chardet_encoding,
    detect_encoding,
    sniffed,
    with_header_row,
)
from etl.tableschema.dialect import CsvDialect, parse_dialect
from etl.tableschema.engine import validate_package

GUESSING = parse_dialect({}, "csv", "t")


@pytest.mark.parametrize(
    ("buffer", "encoding"),
    [
        (b"", "utf-8"),
        (b"a,b\n1,2\n", "utf-8"),  # ASCII
        (codecs.BOM_UTF8 + b"a,b\n", "utf-8-sig"),
        ("a,b\n1,да\n".encode("utf-16"), "utf-16"),  # its byte-order mark left out
    ],
)
def test_encoding_is_named_as_frictionless_names_it(buffer: bytes, encoding: str) -> None:
    """ASCII is UTF-8, a UTF-8 mark utf-8-sig, UTF-16 with its mark utf-16 (which drops it)."""
    assert detect_encoding(buffer) == encoding


#: ASCII text with every byte chardet's stages before its ASCII one look for.
ASCII_TEXT = st.lists(
    st.sampled_from(
        [
            b"a",
            b"1",
            b",",
            b'"',
            b" ",
            b"\n",
            b"\r",
            b"\t",
            b"+",
            b"~",
            b"{",
            b"}",
            b"-",
            b"<",
            b"?",
            b"#",
            b"=",
            b"%",
            b"\x1b",
            b"\x00",
            b"\x0c",
        ]
    ),
    max_size=60,
).map(b"".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(buffer=ASCII_TEXT)
@example(buffer=b"a,b\n+AGEAYgBj-,1\n")  # UTF-7 to chardet
@example(buffer=b"a\n~{abc~}\n")  # HZ-GB-2312's escape
@example(buffer=b'<?xml version="1.0" encoding="utf-16"?>\n')  # a declared charset
@example(buffer=b"# -*- coding: cp037 -*-\na,b\n")  # a Python coding comment
@example(buffer=b"%PDF-1.4\n")  # a binary format's first bytes: no encoding
def test_plain_text_is_utf8_as_chardet_would_have_it(buffer: bytes) -> None:
    """Wherever detect_encoding answers without chardet (plain text), chardet answers the
    same; text with a byte plain text leaves out goes to chardet."""
    plain = not buffer.translate(None, PLAIN_TEXT)
    if plain:
        assert detect_encoding(buffer) == chardet_encoding(buffer) == "utf-8"
    else:
        assert detect_encoding(buffer) == chardet_encoding(buffer)


def test_plain_text_does_not_import_chardet() -> None:
    """A plain file's encoding is told without importing chardet (70 ms and 25 MB)."""
    code = (
        "import sys\n"
        "from etl.tableschema.detect import detect_encoding\n"
        "print(detect_encoding(b'id,name\\n1,\\\"a, b\\\"\\n'), 'chardet' in sys.modules)\n"
        "print(detect_encoding('id\\n\u0434\\n'.encode()), 'chardet' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "utf-8 False\nutf-8 True\n"


@pytest.mark.parametrize(
    ("widths", "row"),
    [
        ([1, 4, 4, 4, 4], 2),  # a title above the header
        ([1, 2, 2, 2, 2], 1),  # within one cell of the mean
        ([4, 0, 0], 2),  # mean 1.33: a blank row is the header
        ([0, 1], 1),  # mean 0.5 rounds to 0
        ([3, 1, 3], 1),  # mean 2.33: 3 is within one
        ([10, 1, 1, 1, 1, 1, 1, 1, 1, 30], 1),  # mean 4.8: none within one, the first
    ],
)
def test_header_row_is_the_first_near_the_mean_width(widths: list[int], row: int) -> None:
    """The header is the first row within a tenth (or one) of the rounded mean width."""
    # Python's round (half to even), as frictionless; when no row is near, the first.
    records = [["x"] * width for width in widths]
    assert with_header_row(records, GUESSING).header_rows == (row,)


def test_comments_are_never_the_header_row() -> None:
    """A comment row is passed over, though its width is the mean's."""
    dialect = parse_dialect({"commentChar": "#"}, "csv", "t")
    records = [["#", "x"], ["a", "b"], ["1", "2"]]
    assert with_header_row(records, dialect).header_rows == (2,)


def test_a_said_header_is_not_guessed() -> None:
    """`header` said in the descriptor: no header row is guessed, nor the rows above it."""
    assert "headerRows" not in parse_dialect({"header": True}, "csv", "t").guess
    assert parse_dialect({"delimiter": ";"}, "csv", "t").guess == {
        "skipInitialSpace",
        "headerRows",
    }


@pytest.mark.parametrize(
    ("sample", "delimiter", "space"),
    [
        ("a;b\n1;2\n", ";", False),
        ("a|b\n1|2\n", "|", False),
        ('a, b\n1, "x,y"\n', ",", True),
        ("a\n1\n", ",", False),  # no delimiter found: a comma
    ],
)
def test_delimiter_and_space_are_sniffed(sample: str, delimiter: str, space: bool) -> None:
    """csv.Sniffer chooses among ",\\t;|", a comma when it finds none."""
    found = sniffed(sample, GUESSING)
    assert (found.delimiter, found.skip_initial_space) == (delimiter, space)


def test_said_delimiter_is_kept_and_space_still_sniffed() -> None:
    """A said delimiter is the only one sniffed for; skipInitialSpace is still guessed."""
    dialect = parse_dialect({"delimiter": ";"}, "csv", "t")
    found = sniffed("a; b\n1; 2\n", dialect)
    assert (found.delimiter, found.skip_initial_space) == (";", True)
    assert sniffed("a; b\n1; 2\n", CsvDialect(";")) == CsvDialect(";")  # nothing to guess


@pytest.mark.parametrize("sample", ["a;b\n1;2\n" * 50, 'a, b\n1, "x,y"\n' * 40, "a\n1\n" * 99])
def test_a_long_sample_is_sniffed_in_a_child_as_here(
    sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child process answers as this one does."""
    here = sniffed(sample, GUESSING)
    monkeypatch.setattr(etl.tableschema.detect, "SNIFF_HERE_CHARS", 0)
    assert sniffed(sample, GUESSING) == here


@pytest.mark.parametrize(
    ("sample", "here"),
    [
        ("id,note\n" + '1,"a, b"\n' * 1_500, False),  # 13 KB, 3,000 quotes: 39M steps
        ("id,note\n" + '1,"a, b"\n' * 100 + "2,c\n" * 2_000, True),  # 10 KB, 200 quotes
        ("a;b\n1;2\n" * 2_000, True),  # 16 KB, no quote
    ],
)
def test_a_long_sample_with_few_quotes_is_sniffed_here(
    sample: str, here: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SNIFF_HERE_CHARS, a sample whose quotes times length stay under
    SNIFF_HERE_STEPS is sniffed in this process, as a child would sniff it."""
    children: list[object] = []
    run = subprocess.run
    monkeypatch.setattr(
        etl.tableschema.detect.subprocess, "run", lambda *a, **k: children.append(a) or run(*a, **k)
    )
    found = sniffed(sample, GUESSING)
    assert (len(children) == 0, found.delimiter) == (here, "," if "," in sample else ";")


def test_sniffing_past_the_limit_is_a_source_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sniff past the limit is stopped: a source-error saying what to declare."""
    # `,"a,"a,...` takes csv.Sniffer time growing with its square (seconds at 50 KB, hours
    # at 1 MB, in frictionless too).
    monkeypatch.setattr(etl.tableschema.detect, "SNIFF_SECONDS", 0.5)
    (tmp_path / "t.csv").write_text("a\n" + ',"a' * 20_000 + "\n", encoding="utf-8")
    fields = [{"name": "a", "type": "string"}]
    res = {"name": "t", "path": "t.csv", "schema": {"fields": fields}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    started = time.monotonic()
    (finding,) = validate_package(tmp_path / "datapackage.json").findings
    assert time.monotonic() - started < 5
    assert (finding.kind, finding.message) == (
        "source-error",
        "guessing its delimiter as frictionless-py does (Python's csv.Sniffer on its first 100 "
        "lines) takes more than 0.5 s - say the delimiter and skipInitialSpace in the "
        "resource's dialect",
    )
