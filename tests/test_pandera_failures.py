"""Tests for etl.tableschema.cell_checks, constraint_rules and pandera_failures (constraint
findings at their file rows), and the engine's key checks (unique, primary key, foreign
keys) on the raw tables."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from etl.build.load import RAW_PROFILE, load_tables
from etl.build.settings import Settings
from etl.report.findings import Finding
from etl.tableschema.cell_checks import validate_cells
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.engine import read_and_validate
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.package import Package, Resource
from etl.tableschema.schema import load_schemas

FILE = "raw/places.csv"
#: File rows of the frame rows: lines 4 and 7 held a blank row and a multi-line cell.
ROWS = [2, 3, 5, 6]
FIX = "fix the cell or the constraint"


def one_column(item: Field, values: list[Any]) -> tuple[pl.DataFrame, TableSchema]:
    """A one-column places frame of `values`, and its schema."""
    schema = TableSchema("places", "schemas/raw/places.yaml", "", (item,))
    return pl.DataFrame({item.name: values}, schema={item.name: polars_dtype(item)}), schema


@pytest.mark.parametrize(
    ("item", "values", "expected"),
    [
        (
            Field("id", "string", constraints={"required": True}),
            ["minsk", "brest", None, "gomel"],
            [Finding(FILE, 5, "id", "constraint-error", "is required - fill it in", None)],
        ),
        (
            Field("kind", "string", constraints={"enum": ["city", "town"]}),
            ["city", "town", "village", None],
            [
                Finding(
                    FILE,
                    5,
                    "kind",
                    "constraint-error",
                    "is not one of city, town - use one of the listed values",
                    "village",
                )
            ],
        ),
        (
            Field("id", "string", constraints={"pattern": "[a-z]+"}),
            ["minsk", "br3st", "gomel", "ab1"],
            [
                Finding(
                    FILE,
                    row,
                    "id",
                    "constraint-error",
                    "does not match the pattern [a-z]+ - fix the cell or the pattern",
                    value,
                )
                for row, value in ((3, "br3st"), (6, "ab1"))
            ],
        ),
        (
            Field("population", "integer", constraints={"minimum": 1, "maximum": 2000000}),
            [1, 0, 2000000, 2000001],
            [
                Finding(
                    FILE,
                    3,
                    "population",
                    "constraint-error",
                    f"is below the minimum 1 - {FIX}",
                    "0",
                ),
                Finding(
                    FILE,
                    6,
                    "population",
                    "constraint-error",
                    f"is above the maximum 2000000 - {FIX}",
                    "2000001",
                ),
            ],
        ),
        (
            Field("share", "number", constraints={"exclusiveMinimum": 0, "exclusiveMaximum": 1}),
            [0.0, 0.5, 0.99, 1.0],
            [
                Finding(
                    FILE,
                    2,
                    "share",
                    "constraint-error",
                    f"is not above the exclusive minimum 0 - {FIX}",
                    "0.0",
                ),
                Finding(
                    FILE,
                    6,
                    "share",
                    "constraint-error",
                    f"is not below the exclusive maximum 1 - {FIX}",
                    "1.0",
                ),
            ],
        ),
        (
            Field("code", "string", constraints={"minLength": 3, "maxLength": 3}),
            ["MSQ", "BQ", "GME", "GOML"],
            [
                Finding(
                    FILE,
                    3,
                    "code",
                    "constraint-error",
                    f"is shorter than 3 characters - {FIX}",
                    "BQ",
                ),
                Finding(
                    FILE,
                    6,
                    "code",
                    "constraint-error",
                    f"is longer than 3 characters - {FIX}",
                    "GOML",
                ),
            ],
        ),
        (
            Field("founded", "date", constraints={"minimum": "1067-01-01"}),
            [dt.date(1067, 1, 1), dt.date(1066, 12, 31), None, dt.date(2000, 1, 1)],
            [
                Finding(
                    FILE,
                    3,
                    "founded",
                    "constraint-error",
                    f"is below the minimum 1067-01-01 - {FIX}",
                    "1066-12-31",
                )
            ],
        ),
    ],
)
def test_validate_cells_finding_at_file_row(
    item: Field, values: list[Any], expected: list[Finding]
) -> None:
    """Each constraint violation is a finding at the file row `rows` gives, with its value."""
    frame, schema = one_column(item, values)
    assert validate_cells(frame, schema, FILE, ROWS) == expected


def test_validate_cells_uses_the_constraints_given() -> None:
    """Constraints given read as the field's type are checked; messages show them as written."""
    item = Field("founded", "date", constraints={"maximum": "2000-01-01"})
    frame, schema = one_column(item, [dt.date(1999, 1, 1), dt.date(2001, 1, 1), None, None])
    typed = {"founded": {"maximum": dt.date(2000, 1, 1)}}
    assert validate_cells(frame, schema, FILE, ROWS, typed) == [
        Finding(
            FILE,
            3,
            "founded",
            "constraint-error",
            f"is above the maximum 2000-01-01 - {FIX}",
            "2001-01-01",
        )
    ]


def test_validate_cells_sorts_findings_by_row_then_field() -> None:
    """Findings of several columns come out ordered by file row, then field name."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (
            Field("kind", "string", constraints={"enum": ["city"]}),
            Field("id", "string", constraints={"required": True}),
        ),
    )
    frame = pl.DataFrame({"kind": ["town", "city", "town", "city"], "id": ["a", None, None, "d"]})
    enum = "is not one of city - use one of the listed values"
    assert validate_cells(frame, schema, FILE, ROWS) == [
        Finding(FILE, 2, "kind", "constraint-error", enum, "town"),
        Finding(FILE, 3, "id", "constraint-error", "is required - fill it in", None),
        Finding(FILE, 5, "id", "constraint-error", "is required - fill it in", None),
        Finding(FILE, 5, "kind", "constraint-error", enum, "town"),
    ]


def test_validate_cells_passes_valid_frame() -> None:
    """A frame meeting every constraint gives no finding."""
    frame, schema = one_column(
        Field("id", "string", constraints={"required": True, "pattern": "[a-z]+"}),
        ["minsk", "brest", "gomel", "grodno"],
    )
    assert validate_cells(frame, schema, FILE, range(2, 6)) == []


def test_validate_cells_reports_another_failure_as_a_schema_error() -> None:
    """A pandera failure that is no constraint (a column of the wrong dtype) is a schema-error."""
    schema = TableSchema("places", "schemas/raw/places.yaml", "", (Field("n", "integer"),))
    frame = pl.DataFrame({"n": ["1", "2"]})
    assert validate_cells(frame, schema, FILE, [2, 3]) == [
        Finding(
            FILE,
            None,
            "n",
            "schema-error",
            "fails the check dtype('Int64') - report this as a bug of etl",
            "String",
        )
    ]


def engine(folder: Path, schema: TableSchema, text: str) -> list[Finding]:
    """The engine's findings, in the raw profile, on raw/places.csv holding `text`."""
    path = folder / "places.csv"
    path.write_text(text, encoding="utf-8")
    package = Package((Resource("places", path, FILE, "csv", schema),))
    report, _ = read_and_validate(package, profile=RAW_PROFILE)
    return report.findings


def test_unique_field_repeated_is_a_finding_at_each_later_row(tmp_path: Path) -> None:
    """A unique field's value used again is a unique-error at each later row; empty cells aren't."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (Field("id", "string", constraints={"unique": True}), Field("name", "string")),
        fields_match="equal",
    )
    text = "id,name\nminsk,Минск\nbrest,Брест\n,Гомель\n,Гродно\nbrest,Брест\nbrest,Брест\n"
    message = "the value is already in an earlier row - each row needs its own value"
    assert engine(tmp_path, schema, text) == [
        Finding(FILE, 6, "id", "unique-error", message, "brest"),
        Finding(FILE, 7, "id", "unique-error", message, "brest"),
    ]


def test_composite_primary_key_repeated_or_empty_is_a_finding(tmp_path: Path) -> None:
    """A composite key repeating an earlier row's, or wholly empty, is a primary-key finding."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (Field("id", "string"), Field("year", "year"), Field("note", "string")),
        ("id", "year"),
        fields_match="equal",
    )
    text = (
        "id,year,note\n"
        "minsk,2020,a\n"
        "minsk,2021,b\n"
        "brest,2020,c\n"
        "minsk,2020,d\n"
        ",,e\n"
        ",2020,f\n"
        "minsk,,g\n"
    )
    assert engine(tmp_path, schema, text) == [
        Finding(
            FILE,
            5,
            "id,year",
            "primary-key",
            "the primary key (id,year) repeats an earlier row - make it unique",
            "minsk, 2020",
        ),
        Finding(
            FILE, 6, "id,year", "primary-key", "the primary key (id,year) is empty - fill it in"
        ),
    ]


def test_unreadable_constraint_is_a_schema_error(tmp_path: Path) -> None:
    """A bound that cannot be read as the field's type is a schema-error, and is not checked."""
    schema = TableSchema(
        "places",
        "schemas/raw/places.yaml",
        "",
        (Field("id", "string"), Field("founded", "date", constraints={"minimum": "long ago"})),
        fields_match="equal",
    )
    assert engine(tmp_path, schema, "id,founded\nminsk,1067-01-01\n") == [
        Finding(
            FILE,
            None,
            "founded",
            "schema-error",
            "the minimum constraint cannot be read as date - fix it",
            "long ago",
        )
    ]


REGIONS_YAML = """fieldsMatch: equal
fields:
  - {name: region_id, type: string, constraints: {required: true}}
primaryKey: [region_id]
"""
CITIES_YAML = """fieldsMatch: equal
fields:
  - {name: city_id, type: string, constraints: {required: true, unique: true}}
  - {name: region, type: string}
primaryKey: [city_id]
foreignKeys:
  - {fields: [region], reference: {resource: regions, fields: [region_id]}}
"""
PERIODS_YAML = """fieldsMatch: equal
fields:
  - {name: region_id, type: string}
  - {name: year, type: year}
primaryKey: [region_id, year]
"""
COUNTS_YAML = """fieldsMatch: equal
fields:
  - {name: region, type: string}
  - {name: year, type: year}
  - {name: count, type: integer}
foreignKeys:
  - {fields: [region, year], reference: {resource: periods, fields: [region_id, year]}}
"""


def project(
    folder: Path, schemas: dict[str, str], tables: dict[str, str | bytes]
) -> tuple[set[str], list[Finding]]:
    """load_tables on a project of schemas/raw/<name>.yaml and raw/<name>.csv: the names
    of the tables it read, and its findings."""
    (folder / "raw").mkdir()
    (folder / "schemas" / "raw").mkdir(parents=True)
    for name, text in schemas.items():
        (folder / "schemas" / "raw" / f"{name}.yaml").write_text(text, encoding="utf-8")
    for name, content in tables.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / "raw" / f"{name}.csv").write_bytes(data)
    read, problems = load_schemas(folder / "schemas" / "raw", "schemas/raw")
    assert problems == []
    loaded, findings = load_tables(Settings.for_project(folder), read)
    return set(loaded), findings


CITY_SCHEMAS = {"regions": REGIONS_YAML, "cities": CITIES_YAML}
REGIONS = "region_id\nminsk-region\nbrest-region\n"


def test_foreign_key_orphan_is_a_finding_at_its_row(tmp_path: Path) -> None:
    """A key matching no row of the referenced table is a finding at its line, with its value."""
    cities = (
        'city_id,region\nminsk,minsk-region\n"brest\n(city)",brest-region\ngomel,gomel-region\n'
    )
    assert project(tmp_path, CITY_SCHEMAS, {"regions": REGIONS, "cities": cities}) == (
        {"regions", "cities"},
        [
            Finding(
                "raw/cities.csv",
                5,
                "region",
                "foreign-key",
                "no row of raw/regions.csv has region_id = 'gomel-region' "
                "- fix the value or add that row to raw/regions.csv",
                "gomel-region",
            )
        ],
    )


def test_foreign_key_ignores_empty_cells(tmp_path: Path) -> None:
    """An empty foreign key is not an orphan."""
    cities = "city_id,region\nminsk,minsk-region\nvitebsk,\n"
    assert project(tmp_path, CITY_SCHEMAS, {"regions": REGIONS, "cities": cities}) == (
        {"regions", "cities"},
        [],
    )


def test_foreign_key_into_a_missing_table_is_not_checked(tmp_path: Path) -> None:
    """A foreign key into a table whose file is missing gives only that table's scheme-error."""
    cities = "city_id,region\ngomel,gomel-region\n"
    assert project(tmp_path, CITY_SCHEMAS, {"cities": cities}) == (
        {"cities"},
        [
            Finding(
                "raw/regions.csv",
                None,
                None,
                "scheme-error",
                "the file does not exist - add it, or fix the resource path",
            )
        ],
    )


def test_foreign_key_into_an_unreadable_table_is_not_checked(tmp_path: Path) -> None:
    """A foreign key into a table that cannot be read gives only that table's finding."""
    regions = "region_id\nminsk-region\n".encode("utf-16")
    cities = "city_id,region\ngomel,gomel-region\n"
    assert project(tmp_path, CITY_SCHEMAS, {"regions": regions, "cities": cities}) == (
        {"cities"},
        [
            Finding(
                "raw/regions.csv",
                None,
                None,
                "encoding-error",
                "is UTF-16 - save the file as UTF-8",
            )
        ],
    )


def test_composite_foreign_key_matches_all_its_fields(tmp_path: Path) -> None:
    """A composite foreign key matches on all its fields together, each read as its type."""
    periods = "region_id,year\nminsk,2020\nbrest,2021\n"
    counts = "region,year,count\nminsk,2020,1\nminsk,2021,2\nbrest,2021,3\n"
    schemas = {"periods": PERIODS_YAML, "counts": COUNTS_YAML}
    assert project(tmp_path, schemas, {"periods": periods, "counts": counts}) == (
        {"periods", "counts"},
        [
            Finding(
                "raw/counts.csv",
                3,
                "region,year",
                "foreign-key",
                "no row of raw/periods.csv has region_id/year = 'minsk, 2021' "
                "- fix the value or add that row to raw/periods.csv",
                "minsk, 2021",
            )
        ],
    )


def test_findings_of_a_row_come_in_frictionless_order(tmp_path: Path) -> None:
    """Within a row, constraint findings come before key findings, and foreign keys last."""
    cities = "city_id,region\nminsk,minsk-region\nminsk,gomel-region\n,brest-region\n"
    _, findings = project(tmp_path, CITY_SCHEMAS, {"regions": REGIONS, "cities": cities})
    assert [(f.file, f.row, f.field, f.kind, f.value) for f in findings] == [
        ("raw/cities.csv", 3, "city_id", "unique-error", "minsk"),
        ("raw/cities.csv", 3, "city_id", "primary-key", "minsk"),
        ("raw/cities.csv", 3, "region", "foreign-key", "gomel-region"),
        ("raw/cities.csv", 4, "city_id", "constraint-error", None),
        ("raw/cities.csv", 4, "city_id", "primary-key", None),
    ]


#: One field of each constraint, with a cell that breaks it and one that does not.
SHARED_CONSTRAINTS = [
    (Field("n", "integer", constraints={"minimum": 3}), [5, 1]),
    (Field("n", "integer", constraints={"maximum": 3}), [1, 5]),
    (Field("n", "number", constraints={"exclusiveMinimum": 3}), [4.0, 3.0]),
    (Field("n", "number", constraints={"exclusiveMaximum": 3}), [2.0, 3.0]),
    (
        Field("d", "date", constraints={"minimum": "2020-01-01"}),
        [dt.date(2021, 1, 1), dt.date(2019, 1, 1)],
    ),
    (Field("s", "string", constraints={"enum": ["a", "b"]}), ["a", "c"]),
    (Field("s", "string", constraints={"minLength": 2}), ["ab", "a"]),
    (Field("s", "string", constraints={"maxLength": 2}), ["ab", "abc"]),
    (Field("s", "string", constraints={"required": True}), ["a", None]),
    (Field("s", "string", constraints={"pattern": "[a-z]+"}), ["ab", "a1"]),
]


def pandera_alone(frame: pl.DataFrame, schema: TableSchema, rows: list[int]) -> list[Finding]:
    """What pandera itself finds over every column of the frame, with no column left out."""
    from pandera.errors import SchemaErrors

    from etl.tableschema.pandera_failures import failure_findings
    from etl.tableschema.pandera_schema import pandera_schema

    try:
        pandera_schema(schema).validate(frame, lazy=True)
    except SchemaErrors as exc:
        return failure_findings(exc.failure_cases, FILE, rows)
    return []


@pytest.mark.parametrize(("item", "cells"), SHARED_CONSTRAINTS, ids=lambda v: str(v)[:40])
def test_columns_sharing_a_constraint_give_what_pandera_gives(
    item: Field, cells: list[Any]
) -> None:
    """Four columns share a constraint and only the third breaks it: validate_cells finds
    just what pandera finds when it checks all four itself."""
    good, bad = cells
    fields = tuple(
        Field(f"{item.name}{at}", item.type, constraints=item.constraints) for at in range(4)
    )
    schema = TableSchema("places", "schemas/raw/places.yaml", "", fields)
    columns = {f.name: [good, good] for f in fields}
    columns[fields[2].name] = [good, bad]
    frame = pl.DataFrame(columns, schema={f.name: polars_dtype(f) for f in fields})
    expected = pandera_alone(frame, schema, [2, 3])
    assert [(f.row, f.field) for f in expected] == [(3, fields[2].name)]
    assert validate_cells(frame, schema, FILE, [2, 3]) == expected


def test_clean_columns_are_not_sent_to_pandera() -> None:
    """Of 100 columns under one constraint, only the two with a broken cell may fail: the
    other 98 never reach pandera's per-column validation."""
    from etl.tableschema.constraint_rules import constraint_rules, may_fail

    item = Field("n", "integer", constraints={"maximum": 3})
    frame = pl.DataFrame({f"c{at}": [1, 9 if at in (17, 80) else 2] for at in range(100)})
    rules = {name: constraint_rules(item) for name in frame.columns}
    assert may_fail(frame, rules, set()) == {"c17", "c80"}


#: Cells for each rule's test, beside pandera's check function: nulls, NaN, infinities,
#: bounds themselves, and strings of combining marks (their length is in characters).
RULE_CELLS = [
    (Field("n", "number", constraints={"minimum": 3}), [None, float("nan"), 3.0, 2.9, -1e308]),
    (Field("n", "number", constraints={"maximum": 3}), [None, float("nan"), 3.0, float("inf")]),
    (Field("n", "number", constraints={"exclusiveMinimum": 3}), [None, 3.0, 3.1, float("nan")]),
    (Field("n", "integer", constraints={"exclusiveMaximum": 3}), [None, 3, 2, -(2**62)]),
    (Field("d", "date", constraints={"maximum": "2020-01-01"}), [None, dt.date(2020, 1, 2)]),
    (Field("s", "string", constraints={"enum": ["a", "b"]}), [None, "a", "A", ""]),
    (Field("n", "integer", constraints={"enum": ["1", "2"]}), [None, 1, 3]),
    (Field("s", "string", constraints={"minLength": 2}), [None, "", "e\u0301", "ab"]),
    (Field("s", "string", constraints={"maxLength": 1}), [None, "", "e\u0301", "\u0436"]),
]


@pytest.mark.parametrize(("item", "cells"), RULE_CELLS, ids=lambda v: str(v)[:40])
def test_each_rule_tests_a_cell_as_pandera_checks_it(item: Field, cells: list[Any]) -> None:
    """Each rule's polars test gives, cell by cell, what pandera's own check function gives
    (null for a null cell), so that may_fail skips pandera only where pandera finds nothing."""
    from pandera.api.polars.types import PolarsData
    from pandera.backends.polars.register import register_polars_backends

    from etl.tableschema.constraint_rules import constraint_rules, typed_constraints
    from etl.tableschema.pandera_schema import pandera_check

    frame = pl.DataFrame({"c": cells}, schema={"c": polars_dtype(item)})
    register_polars_backends()
    for rule in constraint_rules(item, typed_constraints(item)[0]):
        check = pandera_check(rule)
        theirs = check._check_fn(PolarsData(frame.lazy(), "c"), **check._check_kwargs)
        test = rule.passes(pl.col("c"))
        assert test is not None
        ours = frame.select(test.alias("c")).to_series().to_list()
        assert ours == theirs.collect().to_series().to_list()


def test_a_valid_table_is_checked_without_importing_pandera(tmp_path: Path) -> None:
    """etl validate on a table whose cells keep their constraints never imports pandera;
    one broken cell brings it in, and the finding comes from pandera's failure cases."""
    import subprocess
    import sys

    schema = {
        "fields": [
            {"name": "n", "type": "integer", "constraints": {"maximum": 3, "required": True}},
            {"name": "s", "type": "string", "constraints": {"enum": ["a", "b"]}},
        ]
    }
    (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "good.csv").write_text("n,s\n1,a\n3,b\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("n,s\n1,a\n4,b\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from etl.cli import main\n"
        "args = ['validate', '--format', 'json', '--schema', sys.argv[2], sys.argv[1]]\n"
        "result = CliRunner().invoke(main, args)\n"
        "print(result.exit_code, 'pandera' in sys.modules, 'pandas' in sys.modules)\n"
    )
    said = []
    for name in ("good.csv", "bad.csv"):
        args = [sys.executable, "-c", code, str(tmp_path / name), str(tmp_path / "schema.json")]
        said.append(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    assert said == ["0 False False\n", "1 True False\n"]


def test_names_that_polars_reads_as_patterns_are_checked_as_names() -> None:
    """Fields named `*` and `^a.*$` get their own findings, not every column's."""
    fields = (
        Field("*", "integer", constraints={"maximum": 3}),
        Field("^a.*$", "integer", constraints={"maximum": 3}),
        Field("ab", "integer"),
    )
    schema = TableSchema("places", "schemas/raw/places.yaml", "", fields)
    frame = pl.DataFrame(
        [pl.Series("*", [1, 5]), pl.Series("^a.*$", [5, 1]), pl.Series("ab", [9, 9])]
    )
    found = [(f.row, f.field, f.value) for f in validate_cells(frame, schema, FILE, [2, 3])]
    assert found == [(2, "^a.*$", "5"), (3, "*", "5")]


def test_a_broken_pattern_is_run_once_per_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """may_fail's run of a pattern answers pandera's check on the same cells: the pattern
    runs once per column, and the findings are pandera's."""
    import etl.tableschema.constraint_rules as rules

    calls: list[str] = []
    original = rules.pattern_matches

    def counted(cells: pl.Series, pattern: str) -> pl.Series:
        calls.append(pattern)
        return original(cells, pattern)

    monkeypatch.setattr(rules, "pattern_matches", counted)
    item = Field("s", "string", constraints={"pattern": "(?=a)[a-z]+"})  # run by Python's re
    frame, schema = one_column(item, ["ab", "a1", "b", "ac"])
    found = [(f.row, f.field, f.value) for f in validate_cells(frame, schema, FILE, ROWS)]
    assert (found, calls) == ([(3, "s", "a1"), (5, "s", "b")], ["(?=a)[a-z]+"])
    assert rules._MATCHED == {}
