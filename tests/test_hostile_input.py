"""Hostile input to `etl validate`: every case ends in a clear finding or usage error, bounded
in memory and time, and never in a traceback.

Small fixtures live in tests/data/hostile/<what-they-break>/; large ones (100,000 levels of
nesting, records of megabytes) are written by the tests. Peak memory is measured on a
subprocess (its peak resident set size, from os.wait4).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import etl.tableschema.csv_reader
from etl.build.checks.declarations import load_checks
from etl.cli import main
from etl.report.errors import DeclarationError
from etl.tableschema.csv_reader import CsvDialect, RecordTooLong, read_exact, read_pieces
from etl.tableschema.descriptor import MAX_DEPTH, read_descriptor
from etl.tableschema.engine import validate_package
from etl.tableschema.patterns import pattern_engine, pattern_matches
from etl.tableschema.schema import load_schemas, parse_schema

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
ROOT = Path(__file__).resolve().parents[1]
DEEP = 100_000
TOO_DEEP = (
    f"nested deeper than {MAX_DEPTH} levels of lists and mappings - no descriptor needs that "
    "many: remove the extra nesting"
)
NO_ALIASES = (
    "anchors and aliases are refused in descriptors, as a few of them can expand into "
    "gigabytes: write the value out in full"
)
MIB = 1 << 20


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `etl validate ARGS`; it must not raise."""
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


#: Runs argv[1:] and prints its exit code and peak RSS in KiB. A child's ru_maxrss counts
#: the parent it was forked from until it execs: measured from this small launcher, not
#: from pytest, the figure is the command's own.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "with open(os.devnull, 'wb') as sink:\n"
    "    p = subprocess.Popen(sys.argv[1:], stdout=sink, stderr=sink)\n"
    "    _, status, usage = os.wait4(p.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
)


def peak_rss(args: list[str], env: dict[str, str] | None = None) -> tuple[int, int]:
    """Exit code and peak resident memory (bytes) of `python ARGS` run in the project."""
    result = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    code, kib = result.stdout.split()
    return int(code), int(kib) * 1024  # Linux reports KiB


def one_resource(folder: Path, schema: object, csv: str | None = "a\n1\n") -> Path:
    """A package of one resource t.csv with `schema` (inline, or a path to a schema file);
    t.csv holds `csv` (None: the caller writes it)."""
    if csv is not None:
        (folder / "t.csv").write_text(csv, encoding="utf-8", newline="")
    descriptor = folder / "datapackage.json"
    resources = [{"name": "t", "path": "t.csv", "schema": schema}]
    descriptor.write_text(json.dumps({"resources": resources}), encoding="utf-8")
    return descriptor


# 1. Descriptors: deep nesting and YAML aliases.


def test_json_descriptor_nested_100000_levels_is_a_usage_error(tmp_path: Path) -> None:
    """100,000 levels of JSON nesting: exit 2 naming the line, not a RecursionError."""
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text('{"resources":\n' + "[" * DEEP + "]" * DEEP + "}", encoding="utf-8")
    code, out, err = run(str(descriptor))
    assert (code, out, err) == (2, "", f"Error: {descriptor.as_posix()} line 2: {TOO_DEEP}\n")


def test_yaml_descriptor_nested_100000_levels_is_a_usage_error(tmp_path: Path) -> None:
    """100,000 levels of YAML flow nesting: exit 2 naming the line, quickly."""
    descriptor = tmp_path / "datapackage.yaml"
    descriptor.write_text("resources:\n  - " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    code, out, err = run(str(descriptor))
    assert (code, out, err) == (2, "", f"Error: {descriptor.as_posix()} line 2: {TOO_DEEP}\n")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("lists.json", "[" * DEEP + "1" + "]" * DEEP),
        ("objects.json", '{"a": ' * DEEP + "1" + "}" * DEEP),
        ("flow-lists.yaml", "[" * DEEP + "1" + "]" * DEEP),
        ("flow-mappings.yaml", "{a: " * DEEP + "1" + "}" * DEEP),
        ("block-sequences.yaml", "- " * DEEP + "1\n"),
    ],
)
def test_every_deep_form_is_refused(tmp_path: Path, name: str, text: str) -> None:
    """Lists, mappings and block sequences 100,000 deep: one schema-error finding each."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    data, problems = read_descriptor(path, name)
    assert data is None
    assert [(p.kind, p.row, p.message) for p in problems] == [("schema-error", 1, TOO_DEEP)]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_nesting_up_to_the_limit_is_read(tmp_path: Path, suffix: str) -> None:
    """MAX_DEPTH levels are read; one more is refused."""
    path = tmp_path / f"d{suffix}"
    path.write_text("[" * MAX_DEPTH + "]" * MAX_DEPTH, encoding="utf-8")
    data, problems = read_descriptor(path, "d")
    assert problems == [] and data is not None
    path.write_text("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), encoding="utf-8")
    assert read_descriptor(path, "d")[1][0].message == TOO_DEEP


def test_brackets_inside_json_strings_are_not_nesting(tmp_path: Path) -> None:
    """A string of 1,000 brackets (with an escaped quote) is a string, not nesting."""
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"a": '\\"' + "[" * 1000, "b": ["{"] * 200}), encoding="utf-8")
    data, problems = read_descriptor(path, "d")
    assert problems == [] and data["a"].endswith("[[[")


def test_yaml_alias_bomb_is_refused_at_its_first_anchor() -> None:
    """Nine levels of nine aliases: exit 2 at the first anchor's line, nothing expanded."""
    descriptor = HOSTILE / "yaml-alias-bomb" / "datapackage.yaml"
    code, out, err = run(str(descriptor))
    problem = f"defines the YAML anchor &a - {NO_ALIASES}"
    assert (code, out, err) == (2, "", f"Error: {descriptor.as_posix()} line 2: {problem}\n")


def test_yaml_alias_bomb_stays_small_in_memory() -> None:
    """Validating the bomb peaks under 300 MB (read naively: gigabytes, then MemoryError)."""
    descriptor = HOSTILE / "yaml-alias-bomb" / "datapackage.yaml"
    code, peak = peak_rss(["-m", "etl", "validate", str(descriptor)])
    assert code == 2
    assert peak < 300 * MIB, f"peak RSS {peak / MIB:.0f} MiB"


def test_yaml_alias_without_anchor_names_its_line(tmp_path: Path) -> None:
    """An alias is refused too (its line named), before the composer looks it up."""
    path = tmp_path / "schema.yaml"
    path.write_text("fields:\n  - *field\n", encoding="utf-8")
    _, problems = read_descriptor(path, "schema.yaml")
    assert [(p.row, p.message) for p in problems] == [
        (2, f"uses the YAML alias *field - {NO_ALIASES}")
    ]


def test_schema_file_with_an_anchor_is_a_usage_error(tmp_path: Path) -> None:
    """A resource's schema file, read by path, is held to the same rules."""
    (tmp_path / "schema.yaml").write_text(
        "fields:\n  - &f {name: a, type: integer}\n", encoding="utf-8"
    )
    descriptor = one_resource(tmp_path, "schema.yaml")
    code, out, err = run(str(descriptor))
    shown = (tmp_path / "schema.yaml").as_posix()
    assert (code, out) == (2, "")
    assert err == f"Error: {shown} line 2: defines the YAML anchor &f - {NO_ALIASES}\n"


def test_dialect_file_nested_deep_is_a_usage_error(tmp_path: Path) -> None:
    """A resource's dialect file too."""
    (tmp_path / "dialect.json").write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    descriptor = one_resource(tmp_path, {"fields": [{"name": "a"}]})
    data = json.loads(descriptor.read_text())
    data["resources"][0]["dialect"] = "dialect.json"
    descriptor.write_text(json.dumps(data))
    code, _, err = run(str(descriptor))
    assert (code, err) == (
        2,
        f"Error: {(tmp_path / 'dialect.json').as_posix()} line 1: {TOO_DEEP}\n",
    )


def test_schemas_folder_reports_deep_and_aliased_files(tmp_path: Path) -> None:
    """load_schemas (the build's schemas/) gives one finding per file, with its line."""
    (tmp_path / "deep.json").write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    (tmp_path / "bomb.yaml").write_text(
        (HOSTILE / "yaml-alias-bomb" / "datapackage.yaml").read_text(), encoding="utf-8"
    )
    schemas, findings = load_schemas(tmp_path, "schemas/raw")
    assert schemas == {}
    assert [(f.file, f.row, f.kind, f.message) for f in findings] == [
        ("schemas/raw/bomb.yaml", 2, "schema-error", f"defines the YAML anchor &a - {NO_ALIASES}"),
        ("schemas/raw/deep.json", 1, "schema-error", TOO_DEEP),
    ]


def test_checks_yaml_alias_bomb_is_a_declaration_error(tmp_path: Path) -> None:
    """schemas/checks.yaml, read by the build, refuses the bomb: a usage error, exit 2."""
    path = tmp_path / "checks.yaml"
    path.write_text((HOSTILE / "yaml-alias-bomb" / "datapackage.yaml").read_text())
    with pytest.raises(DeclarationError) as caught:
        load_checks(path)
    assert str(caught.value) == f"schemas/checks.yaml:2: defines the YAML anchor &a - {NO_ALIASES}"
    path.write_text("checks:\n" + "  " + "[" * DEEP + "]" * DEEP + "\n")
    with pytest.raises(DeclarationError) as caught:
        load_checks(path)
    assert str(caught.value) == f"schemas/checks.yaml:2: {TOO_DEEP}"


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_number_of_5000_digits_is_a_finding(tmp_path: Path, suffix: str) -> None:
    """A number beyond Python's 4,300-digit conversion limit is a finding, not a ValueError."""
    path = tmp_path / f"d{suffix}"
    path.write_text('{"a": ' + "1" * 5000 + "}", encoding="utf-8")
    data, problems = read_descriptor(path, "d")
    kind = suffix[1:].upper()
    assert data is None
    assert problems[0].message == (
        f"not a readable {kind} descriptor: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the "
        "limit - write the value as a string"
    )


# 2. Patterns.


def pattern_schema(pattern: str) -> dict[str, object]:
    return {"fields": [{"name": "code", "type": "string", "constraints": {"pattern": pattern}}]}


def test_pattern_that_would_match_anything_is_refused() -> None:
    """`a)|(.*` is invalid on its own: a schema error naming the field and the pattern,
    rather than `^(?:a)|(.*)$`, which matches anything."""
    descriptor = HOSTILE / "pattern-unbalanced" / "datapackage.json"
    code, out, err = run(str(descriptor))
    file = (HOSTILE / "pattern-unbalanced" / "codes.csv").as_posix()
    assert (code, err) == (1, "Invalid: 1 errors, 0 warnings.\n")
    assert out == (
        f"{file} (code): error [schema-error] 'a)|(.*': the pattern 'a)|(.*' is not a valid "
        "regular expression (unbalanced parenthesis at position 1) - fix the pattern\n"
    )


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("[", "is not a valid regular expression (unterminated character set at position 0)"),
        ("a{2}{3}", "is not a valid regular expression (multiple repeat at position 4)"),
        (r"\p{L}", r"is not a valid regular expression (bad escape \p at position 0)"),
        ("(" * 2000 + ")" * 2000, "nests its groups too deeply to be read"),
    ],
)
def test_invalid_pattern_is_a_schema_error(pattern: str, why: str) -> None:
    """Each invalid pattern is one schema-error finding, and the schema is not used."""
    schema, findings = parse_schema("t", "t.csv", pattern_schema(pattern), strict=False)
    assert schema is None
    assert [(f.kind, f.field, f.value, f.message) for f in findings] == [
        ("schema-error", "code", pattern, f"the pattern {pattern!r} {why} - fix the pattern")
    ]


def test_look_ahead_pattern_is_run_by_python() -> None:
    """A look-ahead, which polars refuses, is run by Python's re: frictionless' answer."""
    descriptor = HOSTILE / "pattern-look-ahead" / "datapackage.json"
    code, out, _ = run(str(descriptor))
    file = (HOSTILE / "pattern-look-ahead" / "logins.csv").as_posix()
    shown = "does not match the pattern (?=.*[0-9])[a-z0-9]+ - fix the cell or the pattern"
    assert code == 1
    assert out.splitlines() == [
        f"{file}:3 (login): error [constraint-error] 'abc': {shown}",
        f"{file}:5 (login): error [constraint-error] 'ÿ1': {shown}",
    ]


@pytest.mark.parametrize(
    ("pattern", "engine", "cells"),
    [
        ("[A-Z]{2}[0-9]", "mixed", ["AB1", "ab1", "AB12", "ÀB1"]),
        (r"\w+", "mixed", ["abc", "a\u0301", "x²", "a b"]),  # Rust's \w differs beyond ASCII
        (r"\s?x", "mixed", [" x", "\x1cx", "\u00a0x", "x"]),  # re's \s takes U+001C
        ("(?<=a)b|ab", "python", ["ab", "b"]),  # look-behind
        (r"(a)\1", "python", ["aa", "ab"]),  # back-reference
        ("a++a", "python", ["aa", "a"]),  # possessive in re, (a+)+ in Rust
        ("[[:alpha:]]+", "python", ["abc", "[:]", ":]"]),  # a set of [:alph in re
        ("[a-z&&[^aeiou]]", "python", ["b", "a", "&"]),  # an intersection in Rust
        ("a$\n", "python", ["a\n", "a"]),  # re's $ before a final line feed
        ("(?x) a [ ] b", "python", ["a b", "ab"]),  # verbose: Rust skips the set's blank
        ("a{,2}", "python", ["aa", "", "aaa"]),  # {,n}: refused by Rust
    ],
)
@pytest.mark.filterwarnings("ignore::FutureWarning")  # re's, on `[[` and `&&`
def test_pattern_engines_give_re_fullmatch(pattern: str, engine: str, cells: list[str]) -> None:
    """Whichever engine runs a pattern, each cell gets re.fullmatch's answer."""
    assert pattern_engine(pattern) == engine
    series = pl.Series("c", [*cells, None], dtype=pl.String)
    expected = [re.fullmatch(pattern, cell) is not None for cell in cells] + [None]
    assert pattern_matches(series, pattern).to_list() == expected


# 3. A foreign key naming a field the referenced resource lacks.


def test_foreign_key_to_a_missing_field_reports_every_row() -> None:
    """teams has no field `code`: no key matches, as frictionless reports (foreign-key)."""
    folder = HOSTILE / "foreign-key-field-missing"
    report = validate_package(folder / "datapackage.json")
    teams = (folder / "teams.csv").as_posix()
    assert [(f.row, f.kind, f.field, f.value, f.message) for f in report.findings] == [
        (
            row,
            "foreign-key",
            "team",
            value,
            f"no row of {teams} has code = {value!r} - fix the value or add that row to {teams}",
        )
        for row, value in ((2, "a"), (4, "b"))
    ]


# 4. Records longer than the limit.


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """A record limit of 1,000 bytes, and pieces of 4,096 bytes."""
    monkeypatch.delenv("ETL_MAX_RECORD_BYTES", raising=False)
    monkeypatch.setattr(etl.tableschema.csv_reader, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", 4096)
    return 1000


def too_long(row: int, limit: str = "1,000 bytes") -> str:
    return (
        f"the record starting at row {row} is longer than {limit}, the longest etl validate "
        "reads; the rest of the file is not checked - check that its quotes are closed and its "
        "lines end, or if such a record is right, raise the limit by setting "
        "ETL_MAX_RECORD_BYTES to a number of bytes"
    )


INT_TEXT = {"fields": [{"name": "a", "type": "integer"}, {"name": "b"}]}


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("a-long-line", "a,b\nx,1\n2," + "y" * 5000 + "\n3,z\n"),
        ("no-line-feed-to-the-end", "a,b\nx,1\n2," + "y" * 5000),
        ("an-unclosed-quote", 'a,b\nx,1\n2,"' + "y\n" * 3000),
        ("lone-carriage-returns", "a,b\rx,1\r2," + "y" * 5000 + "\r3,z\r"),
    ],
)
def test_record_longer_than_the_limit_is_a_source_error(
    tmp_path: Path, small_limit: int, case: str, text: str
) -> None:
    """The rows before it are checked; the long one is a source error at its row."""
    descriptor = one_resource(tmp_path, INT_TEXT, text)
    report = validate_package(descriptor)
    file = (tmp_path / "t.csv").as_posix()
    assert [(f.file, f.row, f.kind, f.message) for f in report.findings] == [
        (
            file,
            2,
            "type-error",
            "is not a whole number such as 42 (type integer) - fix the cell or the field's type",
        ),
        (file, 3, "source-error", too_long(3)),
    ]


def test_header_longer_than_the_limit(tmp_path: Path, small_limit: int) -> None:
    """A header longer than the limit is a source error at row 1, and nothing else."""
    descriptor = one_resource(tmp_path, INT_TEXT, "a," + "b" * 2000 + "\n1,x\n")
    report = validate_package(descriptor)
    assert [(f.row, f.kind, f.message) for f in report.findings] == [
        (1, "source-error", too_long(1))
    ]


def test_record_of_exactly_the_limit_is_read(tmp_path: Path, small_limit: int) -> None:
    """1,000 bytes (line feed aside, a carriage return counted) pass; 1,001 do not."""
    fits = "a,b\r\n1," + "y" * 997 + "\r\n"
    assert validate_package(one_resource(tmp_path, INT_TEXT, fits)).findings == []
    over = "a,b\n1," + "y" * 999 + "\n"
    assert [
        f.message for f in validate_package(one_resource(tmp_path, INT_TEXT, over)).findings
    ] == [too_long(2)]


@pytest.mark.parametrize("reader", [read_pieces, read_exact])
def test_both_readers_stop_at_the_same_record(tmp_path: Path, reader: object) -> None:
    """read_pieces and read_exact give the pieces before the record, then RecordTooLong."""
    path = tmp_path / "t.csv"
    path.write_text("a,b\n" + "1,x\n" * 50 + "2," + "y" * 300 + "\n3,z\n", encoding="utf-8")
    read = []
    with pytest.raises(RecordTooLong) as caught:
        for piece in reader(path, CsvDialect(), 2, limit=200):  # type: ignore[operator]
            read.append(piece.frame.height)
    assert (caught.value.record, caught.value.limit) == (51, 200)
    assert sum(read) == 51


def test_limit_is_raised_by_the_environment(
    tmp_path: Path, small_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ETL_MAX_RECORD_BYTES raises the limit; a value that is not a number is exit 2."""
    descriptor = one_resource(tmp_path, INT_TEXT, "a,b\n1," + "y" * 5000 + "\n")
    monkeypatch.setenv("ETL_MAX_RECORD_BYTES", "10000")
    assert validate_package(descriptor).findings == []
    monkeypatch.setenv("ETL_MAX_RECORD_BYTES", "64M")
    code, out, err = run(str(descriptor))
    assert (code, out) == (2, "")
    assert err == (
        "Error: ETL_MAX_RECORD_BYTES='64M' is not a number of bytes - set it to a whole number "
        "such as 1000, or unset it\n"
    )


@pytest.mark.parametrize("quoted", [False, True], ids=["no-line-feed", "open-quote"])
def test_long_record_memory_stays_bounded(tmp_path: Path, quoted: bool) -> None:
    """A 64 MiB record with a 4 MiB limit: peak memory grows with the limit, not the file
    (read whole, it took 4 to 14 times the file's size)."""
    limit = 4 * MIB
    big = tmp_path / "big"
    big.mkdir()
    one_resource(big, INT_TEXT, None)
    with (big / "t.csv").open("wb") as out:
        out.write(b'a,b\n1,"' if quoted else b"a,b\n1,")
        line = b"y" * 1023 + (b"\n" if quoted else b"y")
        for _ in range(64 * 1024):
            out.write(line)
    small = tmp_path / "small"
    small.mkdir()
    one_resource(small, INT_TEXT, "a,b\n1,x\n")
    env = {"ETL_MAX_RECORD_BYTES": str(limit)}
    code, peak = peak_rss(["-m", "etl", "validate", str(big / "datapackage.json")], env)
    base_code, base = peak_rss(["-m", "etl", "validate", str(small / "datapackage.json")], env)
    assert (code, base_code) == (1, 0)
    assert peak - base < 12 * limit, f"{peak / MIB:.0f} MiB, {base / MIB:.0f} MiB at rest"
