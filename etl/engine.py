"""The validation engine: any Frictionless data package, checked at polars speed.

One engine for the project's own package (`etl build`) and anyone's (`etl validate`). Each
resource is read in batches, its cells read as Table Schema types (etl.cast) and checked,
CHECK_ROWS rows at a time, by the pandera.polars schema generated from the Table Schema
(etl.schema_mapping, through etl.validate); then the table-wide checks pandera cannot see
across batches run as polars expressions (etl.table_checks): header, cell counts, unique,
primaryKey, foreignKeys. Streaming: memory holds the batch being checked, the next one being
read, the typed cells awaiting pandera and the key columns. Findings carry frictionless-py's
error types and row numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl.csv_reader import (
    NeedsExactReading,
    Piece,
    prefetched,
    read_exact,
    read_labels,
    read_pieces,
)
from etl.findings import Finding, Report, Severity
from etl.package_reader import Package, Resource, read_package, read_table
from etl.schema_mapping import polars_dtype, typed_constraints
from etl.schemas import TableSchema
from etl.table_checks import (
    Column,
    cell_count_findings,
    expected_columns,
    file_findings,
    foreign_key_findings,
    header_findings,
    primary_key_findings,
    sort_key,
    unique_findings,
)
from etl.typed_batch import batch_findings, read_batch, skipped_cells
from etl.validate import validate_frame

#: Rows read at a time from a Parquet file (a CSV file is read in pieces of whole lines,
#: etl.csv_reader.PIECE_BYTES long).
BATCH_ROWS = 250_000
#: Rows of typed cells gathered (from two or more CSV pieces) for one pandera validation:
#: pandera's cost is largely per check and per call. Half a million rows is about 60 MB
#: more at peak on the benchmark's 5M-row packages and 5% faster; a million rows was no
#: faster and held 100 MB more.
CHECK_ROWS = 500_000
#: Called as (resource name, done, total, unit) while a resource is checked: rows of a
#: Parquet file (unit "rows"), bytes of a CSV file (unit "bytes", as it is read in one pass).
Progress = Callable[[str, int, int, str], None]


@dataclass
class _Checked:
    """What checking one resource gave: its findings, and its key columns for later checks."""

    findings: list[Finding] = field(default_factory=list)
    keys: pl.DataFrame | None = None
    names: set[str] = field(default_factory=set)


def validate_package(
    path: str | Path,
    *,
    limit: int | None = None,
    allow_remote: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Every finding in a data package (datapackage.json or .yaml), in frictionless' terms.

    The report lists schema problems first, then each resource's findings in row order.
    With `limit`, only the first `limit` findings are kept and a last `limit-reached` finding
    says how many were left out. Raises etl.errors.UsageError for an unreadable descriptor,
    a path leaving the package folder, or a remote path without `allow_remote`.
    """
    package = read_package(path, allow_remote=allow_remote)
    return validate(package, limit=limit, progress=progress)


def validate_file(
    path: Path, schema: Path, *, limit: int | None = None, progress: Progress | None = None
) -> Report:
    """Every finding in one CSV or Parquet file checked against a Table Schema file."""
    return validate(read_table(path, schema), limit=limit, progress=progress)


def validate(
    package: Package, *, limit: int | None = None, progress: Progress | None = None
) -> Report:
    """Every finding in the resources of a package already read."""
    report = Report()
    report.extend(package.findings)
    wanted: dict[str, set[str]] = {}
    for resource in package.resources:
        for fk in resource.schema.foreign_keys if resource.schema else ():
            target = fk.resource or resource.name
            wanted.setdefault(target, set()).update(fk.reference_fields)
    checked = {
        r.name: check_resource(r, wanted.get(r.name, set()), progress) for r in package.resources
    }
    for resource in package.resources:
        result = checked[resource.name]
        if resource.schema is not None and result.keys is not None:
            result.findings.extend(_foreign_keys(resource, result, package, checked))
        positions = (
            {f.name: i for i, f in enumerate(resource.schema.fields)} if resource.schema else {}
        )
        report.extend(sorted(result.findings, key=lambda f: sort_key(f, positions)))
    return _limited(report, limit)


def _limited(report: Report, limit: int | None) -> Report:
    if limit is None or len(report.findings) <= limit:
        return report
    kept, dropped = report.findings[:limit], report.findings[limit:]
    last = kept[-1] if kept else None
    errors = any(f.severity is Severity.ERROR for f in dropped)
    notice = Finding(
        last.file if last else "",
        None,
        None,
        "limit-reached",
        f"{len(dropped)} more findings are not shown (--limit {limit}) - fix these, or raise "
        "the limit",
        str(len(dropped)),
        Severity.ERROR if errors else Severity.WARNING,
    )
    return Report(findings=[*kept, notice], checks=list(report.checks))


def check_resource(resource: Resource, wanted: set[str], progress: Progress | None) -> _Checked:
    """Findings of one resource, and its typed key columns (`wanted` adds referenced ones)."""
    out = _Checked()
    if resource.schema is None or resource.path is None:
        return out
    if not resource.path.is_file():
        out.findings.append(
            Finding(
                resource.file,
                None,
                None,
                "scheme-error",
                "the file does not exist - add it, or fix the resource path",
            )
        )
        return out
    out.findings.extend(file_findings(resource.file, resource.path, resource.bytes, resource.hash))
    try:
        _check_content(resource, resource.schema, wanted, out, progress)
    except Exception as exc:
        if not _unreadable(exc):
            raise
        out.keys = None
        out.findings.append(
            Finding(
                resource.file,
                None,
                None,
                "source-error",
                f"the file cannot be read ({type(exc).__name__}: {exc}) - check that it is "
                f"{resource.format} as the descriptor says",
            )
        )
    return out


def _unreadable(exc: Exception) -> bool:
    """True for the errors a reader raises on a file it cannot read (pyarrow's included)."""
    readers = (pl.exceptions.PolarsError, csv.Error, OSError)
    return isinstance(exc, readers) or type(exc).__module__.startswith("pyarrow")


def _check_content(
    resource: Resource,
    schema: TableSchema,
    wanted: set[str],
    out: _Checked,
    progress: Progress | None,
) -> None:
    """The cells of the resource's file, by its format."""
    if resource.format in ("csv", "tsv"):
        if resource.encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "utf-8-sig"):
            out.findings.append(
                Finding(
                    resource.file,
                    None,
                    None,
                    "encoding-error",
                    f"encoding {resource.encoding} is not read by etl validate - save it as UTF-8",
                )
            )
            return
        _check_csv(resource, schema, wanted, out, progress)
    elif resource.format == "parquet":
        _check_parquet(resource, schema, wanted, out, progress)
    else:
        out.findings.append(
            Finding(
                resource.file,
                None,
                None,
                "format-error",
                f"format {resource.format!r} is not read by etl validate (CSV and Parquet are)",
            )
        )


def _check_csv(
    resource: Resource,
    schema: TableSchema,
    wanted: set[str],
    out: _Checked,
    progress: Progress | None,
) -> None:
    assert resource.path is not None
    path, dialect = resource.path, resource.dialect
    labels = read_labels(path, dialect) if dialect.header else []
    size = path.stat().st_size
    if dialect.header and not labels and size == 0:
        out.findings.append(
            Finding(
                resource.file, None, None, "source-error", "the file is empty - add the header row"
            )
        )
        return
    columns = expected_columns(labels, schema, header=dialect.header)
    width = max(len(columns), 1)
    first = 1 if dialect.header else 0
    before = list(out.findings) + (
        header_findings(resource.file, labels, schema) if dialect.header else []
    )
    odd: dict[int, list[str]] = {}

    def batches(pieces: Iterator[Piece]) -> Iterator[_Batch]:
        for piece in prefetched(pieces):
            odd.update(piece.odd)
            start = piece.frame.get_column("_i")[0] if piece.frame.height else first
            frame = piece.frame.slice(max(first - start, 0))  # the header row, if here
            yield _Batch(frame, _short(piece.odd, width, first), piece.done)

    out.findings = list(before)
    try:
        fast = batches(read_pieces(path, dialect, width))
        _check_batches(resource, schema, fast, columns, wanted, out, progress, size, "bytes")
    except NeedsExactReading:
        out.findings, odd = list(before), {}
        exact = batches(read_exact(path, dialect, width))
        _check_batches(resource, schema, exact, columns, wanted, out, progress, size, "bytes")
    _cell_counts(resource, odd, columns, first, out)


def _short(odd: dict[int, list[str]], width: int, first: int) -> dict[int, int]:
    """Record index to cell count, for the records (past the header) with cells missing."""
    return {i: len(c) for i, c in odd.items() if len(c) < width and i >= first}


def _cell_counts(
    resource: Resource,
    odd: dict[int, list[str]],
    columns: list[Column],
    first: int,
    out: _Checked,
) -> None:
    blank = {f.row for f in out.findings if f.kind == "blank-row"}
    for index, cells in sorted(odd.items()):
        row = index + 1
        if index >= first and row not in blank:
            out.findings.extend(cell_count_findings(resource.file, row, cells, columns))


def _check_parquet(
    resource: Resource,
    schema: TableSchema,
    wanted: set[str],
    out: _Checked,
    progress: Progress | None,
) -> None:
    assert resource.path is not None
    import pyarrow.parquet as pq  # only for Parquet: it takes a tenth of a second to import

    source = pq.ParquetFile(resource.path)
    labels = list(source.schema_arrow.names)
    columns = expected_columns(labels, schema, header=True)
    out.findings.extend(header_findings(resource.file, labels, schema))
    total = source.metadata.num_rows

    def batches() -> Iterator[_Batch]:
        offset = 1
        for record_batch in source.iter_batches(batch_size=BATCH_ROWS):
            frame = pl.DataFrame(pl.from_arrow(record_batch))
            frame.columns = [f"c{i}" for i in range(frame.width)]
            yield _Batch(frame.with_row_index("_i", offset=offset), {})
            offset += frame.height

    _check_batches(resource, schema, batches(), columns, wanted, out, progress, total)


@dataclass
class _Batch:
    """Records to check: text (CSV) or typed (Parquet) columns c0, c1, ... with `_i`, the
    0-based record index (row number - 1); record index to cell count for the records with
    cells missing; and, for a CSV read in pieces, the bytes of the file read so far."""

    frame: pl.DataFrame
    short: dict[int, int]
    done: int | None = None


def _check_batches(
    resource: Resource,
    schema: TableSchema,
    batches: Iterable[_Batch],
    columns: list[Column],
    wanted: set[str],
    out: _Checked,
    progress: Progress | None,
    total: int,
    unit: str = "rows",
) -> None:
    """Check every batch of records. Progress is reported in `unit`: rows checked, or
    bytes read (the batches' `done`)."""
    declared = [c for c in columns if c.declared]
    names = {c.field.name for c in declared}
    checked_schema = TableSchema(
        schema.name, schema.path, schema.description, tuple(c.field for c in declared)
    )
    constraints: dict[str, dict[str, object]] = {}
    for column in declared:
        typed, unreadable = typed_constraints(column.field)
        constraints[column.field.name] = typed
        for key in unreadable:
            out.findings.append(
                Finding(
                    resource.file,
                    None,
                    column.field.name,
                    "schema-error",
                    f"the {key} constraint cannot be read as {column.field.type} - fix it",
                    str(column.field.constraints[key]),
                )
            )
    key_names = _key_names(schema, names) | (wanted & names)
    seen = 0
    keys: list[pl.DataFrame] = []
    pending: list[pl.DataFrame] = []  # typed cells not yet checked by pandera
    skip: set[object] = set()

    def check_pending() -> None:
        cells = pl.concat(pending)
        rows = _row_numbers(cells.get_column("_row"))
        found = validate_frame(
            cells.drop("_row"),
            checked_schema,
            resource.file,
            rows,
            keys=False,
            constraints=constraints,
        )
        out.findings.extend(f for f in found if (f.row, f.field) not in skip and f.row not in skip)
        pending.clear()
        skip.clear()

    for item in batches:
        batch = item.frame
        if item.short:  # each short record's number of cells, by position in the batch
            start = int(batch.get_column("_i")[0])
            at = pl.Series([i - start for i in item.short], dtype=pl.UInt32)
            counts = pl.Series(list(item.short.values()), dtype=pl.Int64)
            absent = pl.repeat(None, batch.height, dtype=pl.Int64, eager=True)
            batch = batch.with_columns(absent.scatter(at, counts).alias("_n"))
        frame = read_batch(batch, columns, schema, short=bool(item.short))
        out.findings.extend(batch_findings(resource.file, frame, columns))
        pending.append(frame.select("_row", *[pl.col(c.field.name) for c in declared]))
        skip |= skipped_cells(frame, columns)
        if sum(p.height for p in pending) >= CHECK_ROWS:
            check_pending()
        if key_names:
            keys.append(frame.select("_row", *sorted(key_names)))
        seen += batch.height
        if progress is not None:
            progress(resource.name, seen if item.done is None else item.done, total, unit)
    if pending:
        check_pending()
    out.names = names
    if key_names:
        dtypes = {c.field.name: polars_dtype(c.field) for c in declared}
        empty = pl.DataFrame(schema={"_row": pl.Int64, **{n: dtypes[n] for n in sorted(key_names)}})
        out.keys = pl.concat(keys, rechunk=False) if keys else empty
        out.findings.extend(_key_findings(resource.file, out.keys, schema, names))


def _row_numbers(rows: pl.Series) -> Sequence[int]:
    """The batch's row numbers: a range when they run on without a gap (they do when read
    from one piece), else a list."""
    if rows.is_empty():
        return []
    first, last = rows[0], rows[-1]
    if last - first + 1 == rows.len() and rows.is_sorted():
        return range(first, last + 1)
    return rows.to_list()


def _key_names(schema: TableSchema, names: set[str]) -> set[str]:
    out = {f.name for f in schema.fields if f.constraints.get("unique") and f.name in names}
    if schema.primary_key and set(schema.primary_key) <= names:
        out |= set(schema.primary_key)
    for fk in schema.foreign_keys:
        if set(fk.fields) <= names:
            out |= set(fk.fields)
    return out


def _key_findings(
    file: str, keys: pl.DataFrame, schema: TableSchema, names: set[str]
) -> list[Finding]:
    unique = [f.name for f in schema.fields if f.constraints.get("unique") and f.name in names]
    out = unique_findings(file, keys, unique)
    if schema.primary_key and set(schema.primary_key) <= names:
        out.extend(primary_key_findings(file, keys, list(schema.primary_key)))
    return out


def _foreign_keys(
    resource: Resource, result: _Checked, package: Package, checked: dict[str, _Checked]
) -> list[Finding]:
    assert resource.schema is not None and result.keys is not None
    out: list[Finding] = []
    for fk in resource.schema.foreign_keys:
        if not set(fk.fields) <= result.names:
            continue
        target_name = fk.resource or resource.name
        target = package.resource(target_name)
        if target is None and package.single_file:
            message = (
                f"the foreign key to resource {target_name!r} is not checked when one file is "
                "validated alone - validate the whole package to check it"
            )
            out.append(
                Finding(
                    resource.file,
                    None,
                    ",".join(fk.fields),
                    "schema-error",
                    message,
                    target_name,
                    Severity.WARNING,
                )
            )
            continue
        if target is None:
            out.append(
                Finding(
                    resource.file,
                    None,
                    ",".join(fk.fields),
                    "schema-error",
                    f"the foreign key points at resource {target_name!r}, which the package "
                    "does not have - fix the reference",
                    target_name,
                )
            )
            continue
        keys = checked[target_name].keys
        if keys is None or not set(fk.reference_fields) <= set(keys.columns):
            continue
        out.extend(foreign_key_findings(resource.file, result.keys, fk, keys, target.file))
    return out
