"""Checks of a whole table as frictionless-py v5 makes them, as polars expressions: the header
against the schema, rows against the header, and the keys (unique, primaryKey, foreignKeys).

Findings carry frictionless' error types and row numbers (the header is row 1).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.findings import Finding
from etl.schemas import Field, ForeignKey, TableSchema

#: Order of error types within one row, as frictionless reports them.
ROW_ORDER = {
    "blank-label": 0,
    "duplicate-label": 0,
    "incorrect-label": 0,
    "extra-label": 1,
    "missing-label": 2,
    "type-error": 3,
    "constraint-error": 3,
    "extra-cell": 4,
    "missing-cell": 5,
    "blank-row": 6,
    "unique-error": 7,
    "primary-key": 8,
    "foreign-key": 9,
}


@dataclass(frozen=True)
class Column:
    """A column the rows are read into: its position in the file and the field it holds.

    A label the schema has no field for gets an `any` field named after the label.
    """

    position: int
    field: Field
    declared: bool


def expected_columns(labels: list[str], schema: TableSchema, *, header: bool) -> list[Column]:
    """The columns of the data, paired with fields by position (fieldsMatch "exact")."""
    if not header:
        return [Column(i, f, True) for i, f in enumerate(schema.fields)]
    used: set[str] = set()
    columns = []
    for i, label in enumerate(labels):
        if i < len(schema.fields):
            columns.append(Column(i, schema.fields[i], True))
            used.add(schema.fields[i].name)
            continue
        name, suffix = label, 2
        while name in used:
            name, suffix = f"{label}{suffix}", suffix + 1
        used.add(name)
        columns.append(Column(i, Field(name, "any"), False))
    return columns


def file_findings(
    file: str, path: Path, declared_bytes: int | None, declared_hash: str | None
) -> list[Finding]:
    """The declared size in bytes and hash (`sha256:...`, or an md5 alone) against the file's."""
    out = []
    size = path.stat().st_size
    if declared_bytes is not None and declared_bytes != size:
        out.append(
            Finding(
                file,
                None,
                None,
                "byte-count",
                f"the file has {size} bytes, the descriptor says {declared_bytes} - "
                "update the descriptor or restore the file",
                str(size),
            )
        )
    algorithm, _, expected = (declared_hash or "").rpartition(":")
    algorithm = algorithm or "md5"
    if declared_hash and algorithm in hashlib.algorithms_available:
        digest = hashlib.new(algorithm)
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        actual = digest.hexdigest()
        if actual != expected:
            out.append(
                Finding(
                    file,
                    None,
                    None,
                    "hash-count",
                    f"the file's {algorithm} is {actual}, the descriptor says {expected} - "
                    "update the descriptor or restore the file",
                    actual,
                )
            )
    return out


def header_findings(file: str, labels: list[str], schema: TableSchema) -> list[Finding]:
    """Blank, duplicated, incorrect, extra and missing labels of the header row (row 1)."""
    out: list[Finding] = []
    if not labels:
        return out
    for number, (item, label) in enumerate(zip(schema.fields, labels, strict=False), start=1):
        if not label:
            out.append(
                Finding(
                    file,
                    1,
                    item.name,
                    "blank-label",
                    f"the header label at position {number} is blank - name the column {item.name}",
                    label,
                )
            )
            continue
        earlier = [str(n) for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
        if earlier:
            out.append(
                Finding(
                    file,
                    1,
                    item.name,
                    "duplicate-label",
                    f"the header label at position {number} repeats position "
                    f"{', '.join(earlier)} - rename the column {item.name}",
                    label,
                )
            )
        elif label != item.name:
            out.append(
                Finding(
                    file,
                    1,
                    item.name,
                    "incorrect-label",
                    f"the header label at position {number} is not the field name "
                    f"{item.name!r} - rename the column or the field",
                    label,
                )
            )
    for number, label in enumerate(labels[len(schema.fields) :], start=len(schema.fields) + 1):
        out.append(
            Finding(
                file,
                1,
                None,
                "extra-label",
                f"the header label at position {number} has no field in the schema - "
                "add the field or remove the column",
                label,
            )
        )
    for number, item in enumerate(schema.fields[len(labels) :], start=len(labels) + 1):
        out.append(
            Finding(
                file,
                1,
                item.name,
                "missing-label",
                f"the schema's field {number} has no column in the file - add the column "
                "or remove the field",
            )
        )
    return out


def cell_count_findings(
    file: str, row: int, cells: list[str], columns: list[Column]
) -> list[Finding]:
    """Extra cells beyond the header, and cells the row lacks, for one row."""
    out = []
    width = len(columns)
    for number, cell in enumerate(cells[width:], start=width + 1):
        out.append(
            Finding(
                file,
                row,
                None,
                "extra-cell",
                f"the row has a cell at position {number}, beyond the header's {width} "
                "columns - quote cells holding the delimiter, or add the column",
                cell,
            )
        )
    for column in columns[len(cells) :]:
        out.append(
            Finding(
                file,
                row,
                column.field.name,
                "missing-cell",
                f"the row has {len(cells)} cells and none for column {column.position + 1} "
                f"of {width} - give every row every column",
            )
        )
    return out


def _repeat_candidates(keys: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """The rows whose key (not null) hashes like another row's key: a small superset of the
    rows repeating a key, found by sorting 64-bit hashes rather than hashing the values into
    a table (which, for millions of texts, costs more memory than the texts themselves)."""
    key = pl.col(names[0]) if len(names) == 1 else pl.struct(names)
    hashed = keys.select(pl.when(key.is_null()).then(None).otherwise(key.hash()).alias("h"))
    ordered = hashed.get_column("h").sort()
    repeated = ordered.filter(ordered == ordered.shift(1)).unique()
    if repeated.is_empty():
        return keys.clear()
    return keys.filter(hashed.get_column("h").is_in(repeated.implode()))


def unique_findings(file: str, keys: pl.DataFrame, names: list[str]) -> list[Finding]:
    """A unique field's value repeated by a later row: one finding per later row.

    `keys` holds the typed columns and the row number `_row`, in file order.
    """
    out = []
    for name in names:
        col = pl.col(name)
        candidates = _repeat_candidates(keys.select("_row", name), [name])
        repeated = candidates.filter(col.is_not_null() & ~col.is_first_distinct()).select(
            "_row", col.cast(pl.String).alias("v")
        )
        for row, value in repeated.iter_rows():
            out.append(
                Finding(
                    file,
                    row,
                    name,
                    "unique-error",
                    "the value is already in an earlier row - each row needs its own value",
                    value,
                )
            )
    return out


def primary_key_findings(file: str, keys: pl.DataFrame, primary: list[str]) -> list[Finding]:
    """Rows whose primary key is empty, or repeats an earlier row's."""
    key = pl.col(primary[0]) if len(primary) == 1 else pl.struct(primary)
    empty = pl.all_horizontal([pl.col(k).is_null() for k in primary])
    shown = ",".join(primary)
    columns = keys.select("_row", *primary)
    repeats = _repeat_candidates(columns, primary).filter(~key.is_first_distinct() & ~empty)
    rows = (
        pl.concat([columns.filter(empty), repeats])
        .sort("_row")
        .select(
            "_row",
            empty.alias("empty"),
            pl.concat_str(
                [pl.col(k).cast(pl.String) for k in primary], separator=", ", ignore_nulls=True
            ).alias("v"),
        )
    )
    out = []
    for row, is_empty, value in rows.iter_rows():
        message = (
            f"the primary key ({shown}) is empty - fill it in"
            if is_empty
            else f"the primary key ({shown}) repeats an earlier row - make it unique"
        )
        out.append(Finding(file, row, shown, "primary-key", message, None if is_empty else value))
    return out


def foreign_key_findings(
    file: str, keys: pl.DataFrame, fk: ForeignKey, target: pl.DataFrame, target_file: str
) -> list[Finding]:
    """Rows whose foreign key (not all empty) matches no row of the referenced table.

    `target` holds the referenced table's key columns, typed.
    """
    local = list(fk.fields)
    present = keys.select("_row", *local).filter(
        ~pl.all_horizontal([pl.col(k).is_null() for k in local])
    )
    reference = target.select(
        [pl.col(r).alias(f) for f, r in zip(local, fk.reference_fields, strict=True)]
    ).filter(~pl.all_horizontal([pl.col(k).is_null() for k in local]))
    for name in local:
        if present.schema[name] != reference.schema[name]:
            present = present.with_columns(pl.col(name).cast(pl.String))
            reference = reference.with_columns(pl.col(name).cast(pl.String))
    orphans = present.join(reference.unique(), on=local, how="anti", nulls_equal=True)
    out = []
    shown = ",".join(local)
    for record in orphans.sort("_row").iter_rows(named=True):
        value = ", ".join("" if record[k] is None else str(record[k]) for k in local)
        out.append(
            Finding(
                file,
                record["_row"],
                shown,
                "foreign-key",
                f"no row of {target_file} has {'/'.join(fk.reference_fields)} = {value!r} "
                f"- fix the value or add that row to {target_file}",
                value,
            )
        )
    return out


def sort_key(finding: Finding, positions: dict[str, int]) -> tuple[int, int, int]:
    """Findings of one table in frictionless' order: by row, then kind, then column."""
    return (
        finding.row or 0,
        ROW_ORDER.get(finding.kind, 10),
        positions.get(finding.field or "", 0),
    )
