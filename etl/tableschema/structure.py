"""The structure of a table as frictionless-py v5 checks it: the file's size and hash, the
header against the schema (by position or by name, as `fieldsMatch` says), and the cells of
each row against the header.

Findings carry frictionless' error types and row numbers (the header is row 1).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from etl.report.catalogue import (
    BLANK_LABEL,
    BYTE_COUNT,
    DUPLICATE_LABEL,
    EXTRA_CELL,
    EXTRA_LABEL,
    HASH_COUNT,
    INCORRECT_LABEL,
    MISSING_CELL,
    MISSING_LABEL,
)
from etl.report.findings import Finding
from etl.tableschema.model import Field, TableSchema

#: Order of error types within one row, as frictionless reports them.
ROW_ORDER = {
    "blank-label": 0,
    "duplicate-label": 0,
    "incorrect-label": 0,
    "extra-label": 1,
    "missing-label": 2,
    "type-error": 3,
    "constraint-error": 3,
    "pattern-timeout": 3,
    "invisible-character": 3,
    "mixed-script": 3,
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


def matches_by_name(schema: TableSchema) -> bool:
    """True when labels pair with fields by name: any fieldsMatch but "exact"."""
    return schema.fields_match != "exact"


def expected_columns(labels: list[str], schema: TableSchema, *, header: bool) -> list[Column]:
    """The columns of the data: each label paired with a field by position (fieldsMatch
    "exact") or by name (the other modes); a label with no field gets an `any` field."""
    if not header:
        return [Column(i, f, True) for i, f in enumerate(schema.fields)]
    by_name = {f.name: f for f in schema.fields} if matches_by_name(schema) else None
    used: set[str] = set()
    suffixes: dict[str, int] = {}  # the next suffix to try for a repeated label
    columns = []
    for i, label in enumerate(labels):
        item = (
            by_name.get(label)
            if by_name is not None
            else (schema.fields[i] if i < len(schema.fields) else None)
        )
        if item is not None and item.name not in used:
            columns.append(Column(i, item, True))
            used.add(item.name)
            continue
        name, suffix = label, suffixes.get(label, 2)
        while name in used or (by_name is not None and name in by_name):
            name, suffix = f"{label}{suffix}", suffix + 1
        suffixes[label] = suffix
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
        out.append(BYTE_COUNT.at(file, value=size, actual=size, declared=declared_bytes))
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
                HASH_COUNT.at(
                    file, value=actual, algorithm=algorithm, actual=actual, declared=expected
                )
            )
    return out


def header_findings(
    file: str, labels: list[str], schema: TableSchema, *, case: bool = True
) -> list[Finding]:
    """Blank, duplicated, incorrect, extra and missing labels of the header row (row 1);
    without `case` (the dialect's headerCase false), a label may differ from its field's
    name in case (fieldsMatch "exact" only: etl.tableschema.package refuses the others)."""
    if not labels:
        return []
    if matches_by_name(schema):
        return _named_header_findings(file, labels, schema)
    out: list[Finding] = []
    repeats = _earlier_positions(labels)
    for number, (item, label) in enumerate(zip(schema.fields, labels, strict=False), start=1):
        if not label:
            out.append(BLANK_LABEL.at(file, 1, item.name, label, position=number, name=item.name))
            continue
        earlier = repeats[number - 1]
        if earlier:
            out.append(
                DUPLICATE_LABEL.at(
                    file,
                    1,
                    item.name,
                    label,
                    position=number,
                    earlier=", ".join(earlier),
                    name=item.name,
                )
            )
        elif label != item.name and (case or label.lower() != item.name.lower()):
            out.append(
                INCORRECT_LABEL.at(file, 1, item.name, label, position=number, name=item.name)
            )
    for number, label in enumerate(labels[len(schema.fields) :], start=len(schema.fields) + 1):
        out.append(EXTRA_LABEL.at(file, 1, None, label, position=number))
    for number, item in enumerate(schema.fields[len(labels) :], start=len(labels) + 1):
        out.append(MISSING_LABEL.at(file, 1, item.name, item.name, position=number))
    return out


def _named_header_findings(file: str, labels: list[str], schema: TableSchema) -> list[Finding]:
    """Header findings when labels pair with fields by name: a repeated label, a label
    naming no field (unless fieldsMatch tolerates extra labels), a field no label names
    (unless it tolerates missing fields that are not required)."""
    names = set(schema.field_names)
    out: list[Finding] = []
    repeats = _earlier_positions(labels)
    for number, label in enumerate(labels, start=1):
        earlier = repeats[number - 1]
        if earlier:
            out.append(
                DUPLICATE_LABEL.at(
                    file,
                    1,
                    label if label in names else None,
                    label,
                    position=number,
                    earlier=", ".join(earlier),
                    name=label,
                )
            )
        elif label not in names and schema.fields_match not in ("subset", "partial"):
            out.append(EXTRA_LABEL.at(file, 1, None, label, position=number))
    present = set(labels)
    missing = [f for f in schema.fields if f.name not in present]
    if schema.fields_match in ("superset", "partial"):
        missing = [f for f in missing if f.required or f.name in schema.primary_key]
    for offset, item in enumerate(missing):
        position = len(labels) + offset + 1
        out.append(MISSING_LABEL.at(file, 1, item.name, item.name, position=position))
    return out


#: Earlier positions a duplicate label's finding lists; it counts the others.
SHOWN_REPEATS = 10


def _earlier_positions(labels: list[str]) -> list[list[str]]:
    """For each label, the positions (from 1) of the earlier labels equal to it, the first
    SHOWN_REPEATS of them and a count of the others: in one pass, so that a header of
    thousands of labels (or of one label repeated) is checked in time growing with it."""
    seen: dict[str, list[str]] = {}
    out = []
    for number, label in enumerate(labels, start=1):
        positions = seen.setdefault(label, [])
        more = len(positions) - SHOWN_REPEATS
        out.append(positions[:SHOWN_REPEATS] + ([f"and {more} more"] if more > 0 else []))
        positions.append(str(number))
    return out


def cell_count_findings(
    file: str, row: int, cells: list[str], columns: list[Column]
) -> list[Finding]:
    """Extra cells beyond the header, and cells the row lacks, for one row."""
    out = []
    width = len(columns)
    for number, cell in enumerate(cells[width:], start=width + 1):
        out.append(EXTRA_CELL.at(file, row, None, cell, position=number, width=width))
    for column in columns[len(cells) :]:
        out.append(
            MISSING_CELL.at(
                file,
                row,
                column.field.name,
                cells=len(cells),
                position=column.position + 1,
                width=width,
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
