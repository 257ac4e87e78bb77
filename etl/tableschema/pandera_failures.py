"""pandera.polars run over a batch of read cells; its failure cases as findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl
from pandera.errors import SchemaErrors

from etl.report.catalogue import CONSTRAINT_ERROR, SCHEMA_ERROR
from etl.report.findings import Finding
from etl.tableschema.model import TableSchema
from etl.tableschema.pandera_schema import pandera_schema

#: Columns validated by one pandera schema. pandera.polars asks the frame for its schema
#: once per column, each time in time growing with the width: a wide table is validated in
#: groups of this many columns, so that time grows with its cells, not their square.
PANDERA_COLUMNS = 64

#: Each constraint's problem and hint, by the name our pandera checks carry.
_CONSTRAINTS = {
    "not_nullable": ("is required", "fill it in"),
    "enum": ("is not one of {arg}", "use one of the listed values"),
    "pattern": ("does not match the pattern {arg}", "fix the cell or the pattern"),
    "minimum": ("is below the minimum {arg}", "fix the cell or the constraint"),
    "maximum": ("is above the maximum {arg}", "fix the cell or the constraint"),
    "minLength": ("is shorter than {arg} characters", "fix the cell or the constraint"),
    "maxLength": ("is longer than {arg} characters", "fix the cell or the constraint"),
    "exclusiveMinimum": (
        "is not above the exclusive minimum {arg}",
        "fix the cell or the constraint",
    ),
    "exclusiveMaximum": (
        "is not below the exclusive maximum {arg}",
        "fix the cell or the constraint",
    ),
}


def validate_cells(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    constraints: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """Every cell of a read frame that breaks its field's constraints; frame row i is file
    row `rows[i]`. `constraints` are those of etl.tableschema.pandera_schema. The columns
    are validated PANDERA_COLUMNS at a time."""
    groups = [(schema, frame)]
    if frame.columns == schema.field_names and frame.width > PANDERA_COLUMNS:
        groups = []
        for start in range(0, frame.width, PANDERA_COLUMNS):
            fields = schema.fields[start : start + PANDERA_COLUMNS]
            group = replace(schema, fields=fields, primary_key=(), foreign_keys=())
            # get_column takes the name as it is: pl.col would read `*` or `^...$` as patterns
            groups.append((group, pl.DataFrame([frame.get_column(f.name) for f in fields])))
    found: list[Finding] = []
    for group, cells in groups:
        try:
            pandera_schema(group, constraints).validate(cells, lazy=True)
        except SchemaErrors as exc:
            found.extend(failure_findings(exc.failure_cases, file, rows))
    return sorted(found, key=lambda f: (f.row or 0, f.field or ""))


def failure_findings(cases: pl.DataFrame, file: str, rows: Sequence[int]) -> list[Finding]:
    """pandera's failure cases as findings at file rows, sorted by row then field."""
    out = []
    for case in cases.iter_rows(named=True):
        index = case["index"]
        row = rows[index] if index is not None else None
        check = str(case["check"])
        name, _, arg = check.partition(" ")
        column, value = case["column"], case["failure_case"]
        if name in _CONSTRAINTS:
            problem, hint = (text.format(arg=arg) for text in _CONSTRAINTS[name])
            out.append(CONSTRAINT_ERROR.at(file, row, column, value, problem=problem, hint=hint))
        else:
            problem = f"fails the check {check} - report this as a bug of etl"
            out.append(SCHEMA_ERROR.at(file, row, column, value, problem=problem))
    return sorted(out, key=lambda f: (f.row or 0, f.field or ""))
