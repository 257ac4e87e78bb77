"""The one mapping from a Frictionless Table Schema to a pandera.polars schema of its cells.

pandera checks each cell's type, `required` and value constraints; keys (unique,
primaryKey, foreignKeys) span the whole table and are checked by etl.tableschema.keys.
"""

from __future__ import annotations

from typing import Any

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from etl.tableschema.constraint_rules import (
    Rule,
    constraint_rules,
    matches_once,
    typed_constraints,
)
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.model import Field, TableSchema


def constraint_checks(field: Field, constraints: dict[str, Any] | None = None) -> list[pa.Check]:
    """pandera checks for the field's value constraints; each check's error names the constraint.

    `constraints` overrides the field's own (typed_constraints gives them read as its type);
    the messages show the constraints as written.
    """
    return [pandera_check(rule) for rule in constraint_rules(field, constraints)]


def pandera_check(rule: Rule) -> pa.Check:
    """The pandera check a rule names, with its arguments and error."""
    kwargs = dict(rule.args)
    if rule.check == "pattern":
        return pattern_check(kwargs["pattern"])
    if rule.check == "isin":
        kwargs["allowed_values"] = list(kwargs["allowed_values"])
    check: pa.Check = getattr(pa.Check, rule.check)(**kwargs, error=rule.error)
    return check


def pattern_check(pattern: str) -> pa.Check:
    """A pandera check that each cell matches the whole of a pattern, as Python's re reads
    it (etl.tableschema.patterns says by which engine)."""

    def matches(data: PolarsData) -> pl.LazyFrame:
        cells = data.lazyframe.select(pl.col(data.key)).collect().to_series()
        return pl.LazyFrame([matches_once(cells, pattern)])

    return pa.Check(matches, error=f"pattern {pattern}")


def pandera_schema(
    schema: TableSchema, constraints: dict[str, dict[str, Any]] | None = None
) -> pa.DataFrameSchema:
    """A pandera.polars schema checking each cell of a read table: exactly the schema's
    columns, their dtypes, `required` and value constraints. `constraints` gives the
    constraints read as each field's type (typed_constraints), by field name."""
    columns = {}
    for field in schema.fields:
        typed = (
            constraints.get(field.name) if constraints is not None else typed_constraints(field)[0]
        )
        columns[field.name] = pa.Column(
            polars_dtype(field),
            checks=constraint_checks(field, typed),
            nullable=not field.required,
            required=True,
            coerce=False,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=schema.name)
