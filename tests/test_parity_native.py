"""Parity with frictionless-py on tables read as values and on schemas inferred: JSON,
JSON Lines and xlsx resources, inline data, and a table without a schema.

Each case is written into a temporary folder and validated by both tools: the same
(resource, row, field, type) set. etl's `schema-inferred` note (a warning of its own) is
left out of the comparison, and asserted on its own.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from frictionless import Resource as FrictionlessResource
from frictionless import validate as frictionless_validate

from etl.cli import main
from etl.report.findings import Report
from etl.tableschema.dialect import CsvDialect
from etl.tableschema.engine import validate_package
from etl.tableschema.infer import csv_sample, infer_schema
from tests.test_parity import ROW_LEVEL, Key, field, frictionless_keys

TYPED = {
    "fields": [
        field("s"),
        field("i", "integer"),
        field("n", "number"),
        field("b", "boolean"),
        field("y", "year"),
        field("o", "object"),
    ]
}


def keys(report: Report) -> set[Key]:
    """Our findings as (resource, row, field, type), the inferred-schema note left out."""
    return {
        ("t", f.row, None if f.kind in ROW_LEVEL else f.field, f.kind)
        for f in report.findings
        if f.kind != "schema-inferred"
    }


def package(folder: Path, resource: dict[str, Any], files: dict[str, bytes]) -> Path:
    """A package of one resource t, its files written beside it."""
    for name, data in files.items():
        (folder / name).write_bytes(data)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "case", "resources": [{"name": "t", **resource}]}))
    return descriptor


def jsonl(rows: list[Any]) -> bytes:
    """Rows as JSON Lines."""
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


CLASHING_ROWS: list[Any] = [
    ["s", "i", "n", "b", "y", "o"],
    ["x", 1, 1.5, True, 2020, {"a": 1}],
    [1, 1.0, True, 1, 2020.0, [1]],
    ["y", 1.5, "2.5", "true", True, '{"a": 1}'],
    [True, "2", 3, False, "20x", "q"],
]
CLASHING_OBJECTS = [dict(zip(CLASHING_ROWS[0], row, strict=True)) for row in CLASHING_ROWS[1:]]
CLEAN_ROWS: list[Any] = [CLASHING_ROWS[0], CLASHING_ROWS[1], ["z", "3", 2, False, "2021", {}]]

#: name: (resource properties, files).
NATIVE_CASES: dict[str, tuple[dict[str, Any], dict[str, bytes]]] = {
    "json-rows-as-arrays": (
        {"path": "t.json", "type": "table", "schema": TYPED},
        {"t.json": json.dumps(CLASHING_ROWS).encode()},
    ),
    "json-rows-as-objects": (
        {"path": "t.json", "type": "table", "schema": TYPED},
        {"t.json": json.dumps(CLASHING_OBJECTS).encode()},
    ),
    "jsonl-rows-as-arrays": (
        {"path": "t.jsonl", "schema": TYPED},
        {"t.jsonl": jsonl([*CLASHING_ROWS, ["w", 2]])},
    ),
    "ndjson-rows-as-objects": (
        {"path": "t.ndjson", "schema": TYPED},
        {"t.ndjson": jsonl([*CLASHING_OBJECTS, {"s": "v"}])},
    ),
    "inline-values-by-their-json-type": ({"data": CLASHING_ROWS, "schema": TYPED}, {}),
    "json-without-a-schema": (
        {"path": "t.json", "type": "table"},
        {"t.json": json.dumps([["a", "b"], *[[k, "x"] for k in range(12)], ["q", "y"]]).encode()},
    ),
}
VALID_NATIVE: dict[str, tuple[dict[str, Any], dict[str, bytes]]] = {
    "json-rows-as-arrays": (
        {"path": "t.json", "type": "table", "schema": TYPED},
        {"t.json": json.dumps(CLEAN_ROWS).encode()},
    ),
    "jsonl-rows-as-objects": (
        {"path": "t.jsonl", "schema": TYPED},
        {"t.jsonl": jsonl([dict(zip(CLEAN_ROWS[0], r, strict=True)) for r in CLEAN_ROWS[1:]])},
    ),
    "inline-values": ({"data": CLEAN_ROWS, "schema": TYPED}, {}),
    "json-without-a-schema": (
        {"path": "t.json", "type": "table"},
        {"t.json": json.dumps([["a", "b"], [1, "x"], [2, None]]).encode()},
    ),
}


@pytest.mark.parametrize("case", sorted(NATIVE_CASES))
def test_same_findings_as_frictionless_for_values(case: str, tmp_path: Path) -> None:
    """A JSON, JSON Lines or inline table: each cell checked by its JSON value, as in
    frictionless (1 is no string, 1.5 no integer, true a year but no number)."""
    descriptor = package(tmp_path, *NATIVE_CASES[case])
    ours = keys(validate_package(descriptor))
    assert ours == frictionless_keys(descriptor)
    assert ours


@pytest.mark.parametrize("case", sorted(VALID_NATIVE))
def test_valid_values_are_valid_in_both(case: str, tmp_path: Path) -> None:
    """The same kinds of table without faults: valid in both tools."""
    descriptor = package(tmp_path, *VALID_NATIVE[case])
    assert frictionless_validate(str(descriptor)).valid
    assert keys(validate_package(descriptor)) == set()


def test_inline_number_in_a_string_field_is_a_type_error(tmp_path: Path) -> None:
    """Inline data: the JSON number 1 in a string field is a type error, as frictionless says
    (it was once written out as the text "1" and passed)."""
    descriptor = package(tmp_path, {"data": [["s"], [1]], "schema": {"fields": [field("s")]}}, {})
    assert keys(validate_package(descriptor)) == {("t", 2, "s", "type-error")}


INFERRED_COLUMNS = {
    "ym": ["2020-01", "2020-02"],
    "geo": ["1.5, 2", "3, -4"],
    "dur": ["P1D", "PT2H"],
    "obj": ['{"a": 1}', "{}"],
    "arr": ["[1]", "[]"],
    "dt": ["2020-01-02T10:00:00", "2021-03-04T00:00:00Z"],
    "tm": ["10:00:00", "23:59:59"],
    "d": ["2020-01-02", "2021-12-31"],
    "i": ["1", "-20"],
    "n": ["1.5", "2"],
    "b": ["true", "FALSE"],
    "yr": ["2020", "1999"],
    "s": ["x", "2020-01"],
    "empty": ["", ""],
    "mostly-empty-int": ["", "7"],
}


def _inference_csv(rows: int, bad: dict[int, dict[str, str]]) -> str:
    names = list(INFERRED_COLUMNS)
    lines = [",".join(names)]
    for index in range(rows):
        cells = {n: v[index % 2] for n, v in INFERRED_COLUMNS.items()}
        cells.update(bad.get(index + 2, {}))
        lines.append(",".join(f'"{c}"' if "," in c or '"' in c else c for c in cells.values()))
    return "\n".join(lines).replace('{"a": 1}', '"{""a"": 1}"') + "\n"


def test_inferred_types_are_frictionless_types(tmp_path: Path) -> None:
    """Each column's inferred type is the one frictionless' Detector gives, in its order of
    candidates (a year column is an integer, a column of empty cells is any)."""
    path = tmp_path / "t.csv"
    path.write_text(_inference_csv(20, {5: {"i": "x"}, 6: {"d": "soon"}}))
    labels, fragment = csv_sample(path, CsvDialect())
    ours = {f.name: f.type for f in infer_schema("t", "t.csv", labels, fragment).fields}
    theirs = FrictionlessResource(str(path))
    theirs.infer()
    assert ours == {f.name: f.type for f in theirs.schema.fields}
    # a year is an integer (tried first); one bad cell in 20 lets `string` reach 90% first
    assert (ours["yr"], ours["empty"], ours["i"], ours["d"]) == (
        "integer",
        "any",
        "string",
        "string",
    )


@pytest.mark.parametrize(
    "bad",
    [{}, {40: {"d": "soon"}, 130: {"i": "1.5", "ym": "2020-13", "b": "yes"}}],
    ids=["valid", "invalid"],
)
def test_csv_without_a_schema_as_frictionless(tmp_path: Path, bad: dict[int, Any]) -> None:
    """A CSV resource without a schema: checked against the schema inferred from its first
    100 rows, with the same findings as frictionless: the faults past the sample (row 40's
    bad date made that column a string)."""
    text = _inference_csv(150, bad)
    descriptor = package(tmp_path, {"path": "t.csv"}, {"t.csv": text.encode()})
    report = validate_package(descriptor)
    assert keys(report) == frictionless_keys(descriptor)
    assert keys(report) == {("t", 130, name, "type-error") for name in bad.get(130, {})}
    [note] = [f for f in report.findings if f.kind == "schema-inferred"]
    assert note.severity == "warning" and "(ym: yearmonth, geo: geopoint, " in note.message


def test_inferred_schema_is_said_and_strict_fails(tmp_path: Path) -> None:
    """The text report says the schema was inferred; valid (exit 0), but --strict fails."""
    descriptor = package(tmp_path, {"path": "t.csv"}, {"t.csv": b"a,b\n1,x\n"})
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{tmp_path.as_posix()}/t.csv: warning [schema-inferred] the resource has no schema, "
        "so its fields were inferred from its first 100 rows as frictionless infers them "
        "(a: integer, b: string) and the table was checked against them - add a schema that "
        "says what the table must hold\n"
    )
    assert CliRunner().invoke(main, ["validate", str(descriptor), "--strict"]).exit_code == 1


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> bytes:
    """An xlsx workbook of the sheets, written by openpyxl; returns its bytes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path.read_bytes()


XLSX_SCHEMA = {
    "fields": [field("s"), field("i", "integer"), field("d", "date"), field("t", "datetime")]
}
XLSX_ROWS = [
    ["s", "i", "d", "t"],
    ["x", 1, dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 2, 10, 30)],
    [5, 2.5, dt.datetime(2020, 1, 2, 10), "2020-01-02T10:00:00"],
    ["y", "3", "2020-01-03", dt.date(2020, 1, 3)],
    [None, None, None, None],
    ["z", 4, "x"],
]


#: The Excel options read, each in a parity case below.
XLSX_DIALECTS = [{"excel": {"sheet": "data"}}, {"excel": {"sheet": 2, "stringified": True}}]


@pytest.mark.parametrize(
    ("rows", "dialect"),
    [(XLSX_ROWS, {}), (XLSX_ROWS[:2], {}), *((XLSX_ROWS, d) for d in XLSX_DIALECTS)],
    ids=["invalid", "valid", "sheet-by-name", "sheet-by-number-stringified"],
)
def test_xlsx_as_frictionless(tmp_path: Path, rows: list[list[Any]], dialect: Any) -> None:
    """An xlsx resource: its cells' values (numbers, dates, text) checked as frictionless
    checks them, on the first sheet or the one the dialect names."""
    sheets = {"data": rows} if dialect else {"first": rows}
    if dialect:
        sheets = {"other": [["q"]], **sheets}
    data = workbook(tmp_path / "t.xlsx", sheets)
    res = {"path": "t.xlsx", "schema": XLSX_SCHEMA, "dialect": dialect}
    descriptor = package(tmp_path, res, {"t.xlsx": data})
    ours = keys(validate_package(descriptor))
    assert ours == frictionless_keys(descriptor)
    assert bool(ours) == (len(rows) > 2)


def test_xlsx_without_a_schema_as_frictionless(tmp_path: Path) -> None:
    """An xlsx resource without a schema: its schema inferred from the cells' values."""
    rows = [["a", "b"], *[[k, "x"] for k in range(12)], ["q", 1.5]]
    descriptor = package(
        tmp_path, {"path": "t.xlsx"}, {"t.xlsx": workbook(tmp_path / "t.xlsx", {"s": rows})}
    )
    ours = keys(validate_package(descriptor))
    assert (
        ours
        == frictionless_keys(descriptor)
        == {("t", 14, "a", "type-error"), ("t", 14, "b", "type-error")}
    )


@pytest.mark.parametrize(
    "option", ["fillMergedCells", "preserveFormatting", "adjustFloatingPointError"]
)
def test_excel_option_not_read_is_refused(tmp_path: Path, option: str) -> None:
    """An Excel option that changes what a cell holds, not read by etl validate: exit 2."""
    data = workbook(tmp_path / "t.xlsx", {"s": XLSX_ROWS[:2]})
    res = {"path": "t.xlsx", "schema": XLSX_SCHEMA, "dialect": {"excel": {option: True}}}
    result = CliRunner().invoke(main, ["validate", str(package(tmp_path, res, {"t.xlsx": data}))])
    assert result.exit_code == 2
    assert f"resource 't': dialect excel {option}=True (" in result.stderr
    assert "is not read by etl validate" in result.stderr


@pytest.mark.parametrize(
    ("resource", "said"),
    [
        ({"path": "t.xls"}, "resource 't': Excel 97-2003 workbooks (xls) are not read"),
        ({"path": "sqlite:///t.db", "dialect": {"sql": {"table": "t"}}}, "SQL resources"),
        ({"path": "t.csv", "format": "sql"}, "SQL database tables (sql) are not read"),
    ],
)
def test_unread_formats_are_refused(tmp_path: Path, resource: dict[str, Any], said: str) -> None:
    """A format frictionless reads and etl validate does not: exit 2, saying exactly that."""
    descriptor = package(tmp_path, resource, {"t.xls": b"", "t.csv": b""})
    result = CliRunner().invoke(main, ["validate", str(descriptor)])
    assert result.exit_code == 2
    assert said in result.stderr


def test_json_with_a_schema_is_a_table_even_without_type(tmp_path: Path) -> None:
    """A .json resource with a schema but no `type: table`: frictionless reads it as a plain
    JSON file and passes it unread; etl validate checks it as the table its schema says it
    is (on purpose: a schema that is never checked would be a silent pass)."""
    rows = json.dumps([["a"], [1], ["q"]]).encode()
    schema = {"fields": [field("a", "integer")]}
    descriptor = package(tmp_path, {"path": "t.json", "schema": schema}, {"t.json": rows})
    assert frictionless_validate(str(descriptor)).valid
    assert keys(validate_package(descriptor)) == {("t", 3, "a", "type-error")}


@pytest.mark.parametrize(
    ("dialect", "said"),
    [({}, "the file is not an xlsx workbook"), ({"excel": {"sheet": "nope"}}, "no sheet 'nope'")],
)
def test_broken_workbook_is_a_format_error(tmp_path: Path, dialect: Any, said: str) -> None:
    """A file that is no workbook, or a sheet the workbook lacks: a format-error in both."""
    data = b"a,b\n1,x\n" if not dialect else workbook(tmp_path / "t.xlsx", {"s": XLSX_ROWS})
    res = {"path": "t.xlsx", "schema": XLSX_SCHEMA, "dialect": dialect}
    descriptor = package(tmp_path, res, {"t.xlsx": data})
    [finding] = validate_package(descriptor).findings
    assert (finding.kind, said in finding.message) == ("format-error", True)
    assert keys(validate_package(descriptor)) == frictionless_keys(descriptor)
