"""pandera.polars run over a batch of read cells; its failure cases as findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl
from pandera.errors import SchemaErrors

from etl.report.catalogue import CONSTRAINT_ERROR, SCHEMA_ERROR
from etl.report.findings import Finding
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.pandera_schema import pandera_schema
from etl.tableschema.patterns import timeout_findings, timeouts

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


def pandera_findings(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    checked: Sequence[tuple[int, Field]],
    constraints: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """pandera's failure cases in the `checked` columns of a read frame (by position, with
    their fields), as findings; frame row i is file row `rows[i]`. The columns go
    PANDERA_COLUMNS at a time, each named by its position (`c0`, ...), so that a field
    named `*` or `^...$` is not read as a pattern of column names."""
    found: list[Finding] = []
    for start in range(0, len(checked), PANDERA_COLUMNS):
        part = checked[start : start + PANDERA_COLUMNS]
        names = {f"c{at}": field.name for at, field in part}
        fields = tuple(replace(field, name=f"c{at}") for at, field in part)
        group = replace(schema, fields=fields, primary_key=(), foreign_keys=())
        typed = None
        if constraints is not None:
            typed = {f"c{at}": constraints.get(field.name, {}) for at, field in part}
        cells = pl.DataFrame([frame.to_series(at).alias(f"c{at}") for at, _ in part])
        with timeouts() as timed_out:  # cells on which a pattern ran past its time limit
            try:
                pandera_schema(group, typed).validate(cells, lazy=True)
            except SchemaErrors as exc:
                found.extend(failure_findings(exc.failure_cases, file, rows, names))
        found.extend(timeout_findings(timed_out, file, rows, names))
    return found


def failure_findings(
    cases: pl.DataFrame, file: str, rows: Sequence[int], names: dict[str, str] | None = None
) -> list[Finding]:
    """pandera's failure cases as findings at file rows, sorted by row then field; `names`
    gives the field name of each column pandera saw, where they differ."""
    out = []
    for case in cases.iter_rows(named=True):
        index = case["index"]
        row = rows[index] if index is not None else None
        check = str(case["check"])
        name, _, arg = check.partition(" ")
        column, value = case["column"], case["failure_case"]
        if name == "not_nullable" and value is not None:
            # pandera counts NaN as null in a float column; Table Schema's `required` (and
            # frictionless) asks only for a value, and NaN is a number's value
            continue
        if names is not None:
            column = names.get(column, column)
        if name in _CONSTRAINTS:
            problem, hint = (text.format(arg=arg) for text in _CONSTRAINTS[name])
            out.append(CONSTRAINT_ERROR.at(file, row, column, value, problem=problem, hint=hint))
        else:
            problem = f"fails the check {check} - report this as a bug of etl"
            out.append(SCHEMA_ERROR.at(file, row, column, value, problem=problem))
    return sorted(out, key=lambda f: (f.row or 0, f.field or ""))
