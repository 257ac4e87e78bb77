"""Stage 3, validate: typed tables against Table Schemas (pandera.polars), foreign keys."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from pandera.errors import SchemaErrors

from etl.findings import Finding
from etl.schema_mapping import pandera_schema
from etl.schemas import TableSchema
from etl.tables import Table


def _describe(check: str) -> tuple[str, str]:
    """Finding kind and message for a pandera check name (our checks name their constraint)."""
    name, _, arg = check.partition(" ")
    match name:
        case "not_nullable":
            return "constraint-error", "is required - fill it in"
        case "field_uniqueness":
            return "unique-error", "is used by more than one row - each row needs its own value"
        case "multiple_fields_uniqueness":
            return "primary-key", "the primary key is used by more than one row"
        case "enum":
            return "constraint-error", f"is not one of {arg}"
        case "pattern":
            return "constraint-error", f"does not match the pattern {arg}"
        case "minimum":
            return "constraint-error", f"is below the minimum {arg}"
        case "maximum":
            return "constraint-error", f"is above the maximum {arg}"
        case "minLength":
            return "constraint-error", f"is shorter than {arg} characters"
        case "maxLength":
            return "constraint-error", f"is longer than {arg} characters"
        case "exclusiveMinimum":
            return "constraint-error", f"is not above the exclusive minimum {arg}"
        case "exclusiveMaximum":
            return "constraint-error", f"is not below the exclusive maximum {arg}"
    return "schema-error", f"fails the check {check}"


def validate_table(table: Table, schema: TableSchema) -> list[Finding]:
    """Every constraint violation in the table, one finding per cell (or row, for keys)."""
    return validate_frame(table.frame, schema, table.file, table.rows)


def validate_frame(
    frame: pl.DataFrame,
    schema: TableSchema,
    file: str,
    rows: Sequence[int],
    *,
    keys: bool = True,
    constraints: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """Every constraint violation in a typed frame whose row i is file row `rows[i]`.

    `keys` and `constraints` are those of etl.schema_mapping.pandera_schema.
    """
    try:
        pandera_schema(schema, keys=keys, constraints=constraints).validate(frame, lazy=True)
    except SchemaErrors as exc:
        return failure_findings(exc.failure_cases, file, rows, schema)
    return []


def failure_findings(
    cases: pl.DataFrame, file: str, rows: Sequence[int], schema: TableSchema
) -> list[Finding]:
    """pandera's failure cases as findings at file rows, sorted by row then field."""
    out = []
    for case in cases.iter_rows(named=True):
        index = case["index"]
        row = rows[index] if index is not None else None
        kind, message = _describe(str(case["check"]))
        column = case["column"]
        value = case["failure_case"]
        if kind == "primary-key":
            keys = json.loads(value)
            column = ",".join(schema.primary_key)
            value = ", ".join(str(keys[k]) for k in schema.primary_key)
            message = f"the primary key ({column}) is used by more than one row - make it unique"
        out.append(Finding(file, row, column, kind, message, value))
    return sorted(out, key=lambda f: (f.row or 0, f.field or ""))


def check_foreign_keys(
    tables: Mapping[str, Table], schemas: Mapping[str, TableSchema]
) -> list[Finding]:
    """Every row whose foreign key matches no row of the referenced table."""
    out: list[Finding] = []
    for name, schema in schemas.items():
        table = tables.get(name)
        if table is None:
            continue
        for fk in schema.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            keys = target.frame.select(
                [pl.col(r).alias(f) for f, r in zip(fk.fields, fk.reference_fields, strict=True)]
            ).unique()
            frame = table.frame.with_row_index("_i").select("_i", *fk.fields)
            present = frame.drop_nulls(list(fk.fields))
            orphans = present.join(keys, on=list(fk.fields), how="anti", nulls_equal=False)
            for record in orphans.sort("_i").iter_rows(named=True):
                value = ", ".join(str(record[f]) for f in fk.fields)
                out.append(
                    Finding(
                        table.file,
                        table.rows[record["_i"]],
                        ",".join(fk.fields),
                        "foreign-key",
                        f"no row of {target.file} has {'/'.join(fk.reference_fields)} = {value!r} "
                        f"- fix the id or add that row to {target.file}",
                        value,
                    )
                )
    return out


def row_numbers(frame: pl.DataFrame) -> list[int]:
    """File row numbers of a frame written as CSV with a header: 2, 3, ..."""
    return list(range(2, frame.height + 2))


def as_tables(frames: Mapping[str, pl.DataFrame], folder: str) -> dict[str, Table]:
    """Published frames as tables located in `folder`, for findings."""
    return {n: Table(n, f"{folder}/{n}.csv", f, row_numbers(f)) for n, f in frames.items()}


def validate_all(tables: Mapping[str, Table], schemas: Mapping[str, TableSchema]) -> list[Finding]:
    """Constraints of every table, then foreign keys across them."""
    out: list[Finding] = []
    for name, schema in schemas.items():
        if name in tables:
            out.extend(validate_table(tables[name], schema))
    out.extend(check_foreign_keys(tables, schemas))
    return out
