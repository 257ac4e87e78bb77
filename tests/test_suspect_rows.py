"""Tests for the rows screened for pandera (etl.tableschema.constraint_rules.failing_rows,
etl.tableschema.cell_checks.screen) and their gathering across batches for one pandera
call (etl.tableschema.checker)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import etl.tableschema.checker
import etl.tableschema.csv_reader
import etl.tableschema.pandera_failures
import etl.tableschema.patterns
import etl.tableschema.resource
from etl.tableschema.cell_checks import screen
from etl.tableschema.constraint_rules import constraint_rules, failing_rows, forget_matches
from etl.tableschema.engine import validate_package
from etl.tableschema.model import Field, TableSchema

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {"name": "name", "type": "string", "constraints": {"pattern": "[a-z]+"}},
    ]
}
#: Forty rows; row 2 has a type error in a required field, row 4 is blank, row 13 is below
#: the minimum, rows 24 and 37 do not match the pattern.
LINES = [f"{n},n" for n in range(1, 41)]
LINES[0], LINES[2], LINES[11], LINES[22], LINES[35] = "x,a", "", "0,b", "22,B1", "35,c2"
TEXT = "id,name\n" + "\n".join(LINES) + "\n"
EXPECTED = [
    (2, "id", "type-error"),
    (4, None, "blank-row"),
    (13, "id", "constraint-error"),
    (24, "name", "constraint-error"),
    (37, "name", "constraint-error"),
]


def write(folder: Path, text: str, schema: dict[str, Any]) -> Path:
    """A package with one CSV resource t.csv holding `text`."""
    (folder / "t.csv").write_text(text, encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "schema": schema}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    return folder / "datapackage.json"


def count_pandera_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by the rows of each call of pandera_findings."""
    calls: list[int] = []
    real: Callable[..., Any] = etl.tableschema.pandera_failures.pandera_findings

    def counted(frame: pl.DataFrame, *args: Any, **kwargs: Any) -> Any:
        calls.append(frame.height)
        return real(frame, *args, **kwargs)

    monkeypatch.setattr(etl.tableschema.pandera_failures, "pandera_findings", counted)
    return calls


@pytest.mark.parametrize(
    ("check_rows", "calls"),
    [
        (5, [5]),  # screened five rows at a time; rows 2, 4, 13, 24 and 37 in one call
        (1, [1] * 5),  # a row screened at a time: each failing row fills CHECK_CELLS
        (100, [5]),  # one screening
    ],
)
def test_failing_rows_of_many_batches_go_to_pandera_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check_rows: int, calls: list[int]
) -> None:
    """pandera is called on the rows the rules find failing, gathered across batches until
    they fill CHECK_CELLS; the findings are those of checking every batch whole, and a cell
    frictionless does not check (the type error's, the blank row's) stays unreported."""
    heard = count_pandera_calls(monkeypatch)
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", 16)
    monkeypatch.setattr(etl.tableschema.checker, "CHECK_CELLS", check_rows * 3)
    report = validate_package(write(tmp_path, TEXT, SCHEMA))
    assert [(f.row, f.field, f.kind) for f in report.findings] == EXPECTED
    assert heard == calls


def test_valid_rows_never_reach_pandera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table the rules pass is not given to pandera at all."""
    heard = count_pandera_calls(monkeypatch)
    text = "id,name\n" + "\n".join(f"{n},n" for n in range(1, 41)) + "\n"
    assert validate_package(write(tmp_path, text, SCHEMA)).findings == []
    assert heard == []


def test_failing_rows_marks_each_broken_rule() -> None:
    """A row is marked where a required cell is null or a rule fails on a cell; a null cell
    passes the rules, as pandera ignores it."""
    frame = pl.DataFrame({"c0": [5, None, 0, 7, 3], "c1": ["a", "b", None, "ab", "A"]})
    rules = {
        "c0": constraint_rules(Field("n", "integer", constraints={"minimum": 1})),
        "c1": constraint_rules(Field("s", "string", constraints={"pattern": "[a-z]"})),
    }
    try:
        marked = failing_rows(frame, rules, {"c0"})
    finally:
        forget_matches()
    assert marked.to_list() == [False, True, True, True, True]


def test_failing_rows_of_two_columns_with_one_pattern() -> None:
    """Two columns sharing a pattern are each marked where it fails in them."""
    frame = pl.DataFrame({"c0": ["a", "1", "b"], "c1": ["2", "c", "d"]})
    rule = constraint_rules(Field("s", "string", constraints={"pattern": "[a-z]"}))
    try:
        marked = failing_rows(frame, {"c0": rule, "c1": rule}, set())
    finally:
        forget_matches()
    assert marked.to_list() == [True, True, False]


def test_failing_rows_where_a_rule_cannot_run_marks_every_row() -> None:
    """A rule polars refuses on the cells' dtype leaves every row to pandera."""
    frame = pl.DataFrame({"c0": [1, 2]})
    rules = {"c0": constraint_rules(Field("s", "string", constraints={"minLength": 1}))}
    assert failing_rows(frame, rules, set()).to_list() == [True, True]


def test_screen_of_a_column_of_another_dtype_holds_no_rows() -> None:
    """A column not of its field's dtype (a bug of etl's) is left to pandera whole: the
    screen names no rows, so the caller checks the batch at once."""
    schema = TableSchema("t", "t.yaml", "", (Field("n", "integer"),))
    screened = screen(pl.DataFrame({"n": ["1", "2"]}), schema, "t.csv", [2, 3])
    forget_matches()
    assert ([at for at, _ in screened.checked], screened.suspects) == ([0], None)


def test_screen_of_passing_cells_marks_no_row() -> None:
    """Cells every rule passes give no column to check and no row."""
    schema = TableSchema("t", "t.yaml", "", (Field("n", "integer", constraints={"maximum": 9}),))
    screened = screen(pl.DataFrame({"n": [1, 2]}), schema, "t.csv", [2, 3])
    forget_matches()
    assert screened.checked == []
    assert screened.suspects is not None
    assert screened.suspects.to_list() == [False, False]


def test_rows_screened_before_a_read_error_keep_their_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Parquet file whose second row group cannot be read: the failing row of the first
    is reported beside the source error, though pandera had not checked it yet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = list(range(1, 201))
    ids[9] = 0  # row 11 is below the minimum
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": pa.array(ids, pa.int64())}), path, row_group_size=100)
    second = pq.ParquetFile(path).metadata.row_group(1).column(0)
    data = bytearray(path.read_bytes())
    start = second.data_page_offset
    data[start : start + 40] = b"\xab" * 40  # the page header: no longer thrift
    path.write_bytes(bytes(data))
    schema = {"fields": [{"name": "id", "type": "integer", "constraints": {"minimum": 1}}]}
    resource = {"name": "t", "path": "t.parquet", "format": "parquet", "schema": schema}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    monkeypatch.setattr(etl.tableschema.resource, "BATCH_ROWS", 100)
    monkeypatch.setattr(etl.tableschema.checker, "CHECK_CELLS", 100 * 2)
    heard = count_pandera_calls(monkeypatch)
    report = validate_package(tmp_path / "datapackage.json")
    assert [(f.row, f.field, f.kind) for f in report.findings] == [
        (None, None, "source-error"),
        (11, "id", "constraint-error"),
    ]
    assert heard == [1]


def test_patterns_run_once_a_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern Python's re runs is run once on each cell: the held rows are checked by
    pandera with the answers their screening gave, not matched again."""
    matched: list[str] = []
    real: Callable[..., Any] = etl.tableschema.patterns.fullmatches

    def counted(pattern: str, texts: list[str], limit: float) -> Any:
        matched.extend(texts)
        return real(pattern, texts, limit)

    monkeypatch.setattr(etl.tableschema.patterns, "fullmatches", counted)
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", 16)
    monkeypatch.setattr(etl.tableschema.checker, "CHECK_CELLS", 5 * 3)
    schema = {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"minimum": 1}},
            {"name": "name", "type": "string", "constraints": {"pattern": "(?=[a-z])[a-z]+"}},
        ]
    }
    lines = [f"{n},n" for n in range(1, 41)]
    lines[11], lines[22] = "0,b", "23,B"
    report = validate_package(write(tmp_path, "id,name\n" + "\n".join(lines) + "\n", schema))
    assert [(f.row, f.field, f.value) for f in report.findings] == [
        (13, "id", "0"),
        (24, "name", "B"),
    ]
    assert sorted(matched) == sorted(line.split(",")[1] for line in lines)
