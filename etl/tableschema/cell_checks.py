"""The constraint findings of a batch of read cells: each field's rules run as polars
expressions (etl.tableschema.constraint_rules), then pandera.polars, imported only then,
over the columns where one fails, for its failure cases (etl.tableschema.pandera_failures).
The rules also say which rows may fail, so that a caller can gather those rows of many
batches for one pandera call (etl.tableschema.checker).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from etl.report.findings import Finding
from etl.tableschema.constraint_rules import (
    constraint_rules,
    failing_rows,
    forget_matches,
    may_fail,
    typed_constraints,
)
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.patterns import timeout_findings, timeouts


@dataclass
class Screened:
    """What the polars rules found in a frame of read cells (see screen): the columns
    pandera is to check (by position, with their fields), the pattern-timeout findings,
    and which rows may hold a failure (None: any row may: a column is not of its field's
    dtype, or a pattern ran past its time limit)."""

    checked: list[tuple[int, Field]]
    found: list[Finding]
    suspects: pl.Series | None


def validate_cells(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    constraints: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """Every cell of a read frame that breaks its field's constraints, sorted by row then
    field; frame row i is file row `rows[i]`, and its columns are the schema's fields.
    `constraints` are those of typed_constraints, by field name."""
    try:
        screened = screen(frame, schema, file, rows, constraints)
        found = screened.found + pandera_cells(frame, schema, file, rows, screened, constraints)
    finally:
        forget_matches()
    return sorted(found, key=lambda f: (f.row or 0, f.field or ""))


def screen(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    constraints: dict[str, dict[str, Any]] | None = None,
) -> Screened:
    """The columns and rows of a read frame in which pandera can find a failure, by polars
    rules: those not of their field's dtype (a bug of etl's, which pandera then reports),
    and those with a constraint or `required` that `may_fail` finds broken. The others are
    of their field's type by construction (etl.tableschema.batch). The patterns' answers
    are kept for pandera until forget_matches."""
    dtypes = frame.dtypes
    wrong = {at for at, field in enumerate(schema.fields) if dtypes[at] != polars_dtype(field)}
    rules = {
        at: constraint_rules(field, _of(constraints, field))
        for at, field in enumerate(schema.fields)
        if at not in wrong
    }
    required = {at for at, field in enumerate(schema.fields) if field.required}
    suspect = [at for at in rules if rules[at] or at in required]
    cells = pl.DataFrame([frame.to_series(at).alias(f"c{at}") for at in suspect])
    names = {f"c{at}": field.name for at, field in enumerate(schema.fields)}
    needed = {f"c{at}" for at in required - wrong}
    with timeouts() as timed_out:  # cells on which a pattern ran past its time limit
        failing = may_fail(cells, {f"c{at}": rules[at] for at in suspect}, needed)
        rows_failing = None
        if failing and not wrong and not timed_out:
            rules_failing = {f"c{at}": rules[at] for at in suspect if f"c{at}" in failing}
            rows_failing = failing_rows(cells, rules_failing, needed)  # may_fail's answers
    found = timeout_findings(timed_out, file, rows, names)
    checked = [
        (at, field) for at, field in enumerate(schema.fields) if at in wrong or f"c{at}" in failing
    ]
    if not checked:
        rows_failing = pl.repeat(False, frame.height, eager=True)
    return Screened(checked, found, rows_failing)


def pandera_cells(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    screened: Screened,
    constraints: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """pandera's findings in the columns `screened` names (none when it names none)."""
    if not screened.checked:
        return []
    from etl.tableschema.pandera_import import load_pandera

    load_pandera()
    from etl.tableschema.pandera_failures import pandera_findings

    return pandera_findings(frame, schema, file, rows, screened.checked, constraints)


def _of(constraints: dict[str, dict[str, Any]] | None, field: Field) -> dict[str, Any]:
    """The field's constraints read as its type: as given, else typed_constraints'."""
    if constraints is None:
        return typed_constraints(field)[0]
    return constraints.get(field.name, {})
