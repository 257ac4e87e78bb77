"""pandera.polars run over a batch of read cells; its failure cases as findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.backends.polars.register import register_polars_backends
from pandera.errors import SchemaErrors

from etl.report.catalogue import CONSTRAINT_ERROR, SCHEMA_ERROR
from etl.report.findings import Finding
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.pandera_schema import constraint_checks, pandera_schema, typed_constraints
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


def validate_cells(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    constraints: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """Every cell of a read frame that breaks its field's constraints; frame row i is file
    row `rows[i]`, and its columns are the schema's fields. `constraints` are those of
    etl.tableschema.pandera_schema, by field name.

    Only the columns in which pandera can find a failure go to pandera: those not of
    their field's dtype (a bug of etl's, which pandera then reports), and those with a
    constraint or `required` that `_may_fail` finds broken. The others are of their
    field's type by construction (etl.tableschema.batch). They go PANDERA_COLUMNS at a
    time, each named by its position (`c0`, ...), so that a field named `*` or `^...$` is
    not read as a pattern of column names.
    """
    dtypes = frame.dtypes
    wrong = {at for at, field in enumerate(schema.fields) if dtypes[at] != polars_dtype(field)}
    checks = {
        at: constraint_checks(field, _of(constraints, field))
        for at, field in enumerate(schema.fields)
        if at not in wrong
    }
    required = {at for at, field in enumerate(schema.fields) if field.required}
    suspect = [at for at in checks if checks[at] or at in required]
    cells = pl.DataFrame([frame.to_series(at).alias(f"c{at}") for at in suspect])
    failing = _may_fail(cells, {f"c{at}": checks[at] for at in suspect}, required)
    checked = [
        (at, field) for at, field in enumerate(schema.fields) if at in wrong or f"c{at}" in failing
    ]
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
    return sorted(found, key=lambda f: (f.row or 0, f.field or ""))


def _may_fail(
    cells: pl.DataFrame, checks: dict[str, list[pa.Check]], required: set[int]
) -> set[str]:
    """The columns of `cells` (named `c{position}`) in which pandera would find a failure:
    a required one with a null cell, or one where a check of its fails on a cell.

    Each check is run by pandera's own check function, once over all the columns that
    share it (same check, arguments and dtype), as pandera runs it over one: a query
    costs about a millisecond however few its cells, and pandera runs a few per column.
    A check that cannot run over several columns (a pattern, which etl runs itself, or
    one pandera's check function refuses) keeps its columns.
    """
    out = {
        name
        for name in cells.columns
        if int(name[1:]) in required and cells.get_column(name).null_count()
    }
    shared: dict[tuple[str, str, str], tuple[pa.Check, list[str]]] = {}
    for name, column_checks in checks.items():
        dtype = str(cells.get_column(name).dtype)
        for check in column_checks:
            if str(check.error).startswith("pattern "):
                out.add(name)
                continue
            key = (str(check.name), repr(sorted(check._check_kwargs.items())), dtype)
            shared.setdefault(key, (check, []))[1].append(name)
    register_polars_backends()  # what pandera does before it runs a check
    lazy, queries, columns = cells.lazy(), [], []
    for check, names in shared.values():
        pattern = "^(?:" + "|".join(names) + ")$"
        try:
            result = check._check_fn(PolarsData(lazy, pattern), **check._check_kwargs)
        except (AttributeError, KeyError, TypeError):  # not a check pandera can run so
            result = None
        if not isinstance(result, pl.LazyFrame):
            out.update(names)
            continue
        queries.append(result.select((~pl.all()).any()))
        columns.append(names)
    for names, broken in zip(columns, pl.collect_all(queries), strict=True):
        row = broken.row(0, named=True)
        out.update(name for name in names if row.get(name))
    return out


def _of(constraints: dict[str, dict[str, Any]] | None, field: Field) -> dict[str, Any]:
    """The field's constraints read as its type: as given, else typed_constraints'."""
    if constraints is None:
        return typed_constraints(field)[0]
    return constraints.get(field.name, {})


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
        if names is not None:
            column = names.get(column, column)
        if name in _CONSTRAINTS:
            problem, hint = (text.format(arg=arg) for text in _CONSTRAINTS[name])
            out.append(CONSTRAINT_ERROR.at(file, row, column, value, problem=problem, hint=hint))
        else:
            problem = f"fails the check {check} - report this as a bug of etl"
            out.append(SCHEMA_ERROR.at(file, row, column, value, problem=problem))
    return sorted(out, key=lambda f: (f.row or 0, f.field or ""))
