"""Checking one resource: its file read in batches (CSV in streamed pieces, a strict CSV
whole, Parquet in row groups), its cells read as their types and checked by pandera, its
keys gathered for the table-wide checks.

Memory holds the batch being checked, the next one being read, the typed cells awaiting
pandera and the key columns (and, when the profile keeps tables, the typed table).
"""

from __future__ import annotations

import csv
import dataclasses
import lzma
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import polars as pl

from etl.report.catalogue import (
    BAD_LABEL,
    EMPTY_FILE,
    ENCODING_ERROR,
    FORMAT_ERROR,
    MISSING_HEADER,
    SCHEME_ERROR,
    SOURCE_ERROR,
    kind_named,
)
from etl.report.findings import Finding
from etl.tableschema.checker import Batch, BatchChecker, Checked, Job, Progress
from etl.tableschema.csv_reader import (
    MAX_RECORD_ENV,
    NeedsExactReading,
    NotUtf8,
    Piece,
    RecordTooLong,
    prefetched,
    read_exact,
    read_labels,
    read_pieces,
)
from etl.tableschema.detect import (
    BUFFER_BYTES,
    SAMPLE,
    SniffTimeout,
    detect_encoding,
    detected_dialect,
)
from etl.tableschema.keys import Reference
from etl.tableschema.native import merge_clashes
from etl.tableschema.native_read import NotAWorkbook, Unreadable
from etl.tableschema.package import Resource
from etl.tableschema.prepare import is_native, prepare
from etl.tableschema.profile import FRICTIONLESS, Profile
from etl.tableschema.sources import (
    Undecodable,
    first_undecodable,
    head_bytes,
    is_utf8,
    plain_file,
)
from etl.tableschema.strict_csv import read_strict
from etl.tableschema.structure import (
    Column,
    cell_count_findings,
    expected_columns,
    file_findings,
    header_findings,
)

#: Rows read at a time from a Parquet file (a CSV file is read in pieces of whole lines,
#: etl.tableschema.csv_reader.PIECE_BYTES long).
BATCH_ROWS = 250_000
#: Formats whose files etl.tableschema.sources decompresses and transcodes.
PLAIN_FORMATS = ("csv", "tsv", "json", "jsonl", "ndjson")


def check_resource(
    resource: Resource,
    wanted: set[str],
    progress: Progress | None,
    profile: Profile = FRICTIONLESS,
    references: Mapping[int, Reference] | None = None,
) -> Checked:
    """Findings of one resource, and its typed key columns (`wanted` adds referenced ones);
    `references` are the foreign keys (by index) checked batch by batch."""
    out = Checked()
    if resource.data is not None:  # inline data: no file
        _check_prepared(resource, Path(), wanted, progress, profile, out, references or {})
        return out
    if resource.path is None or (
        resource.schema is None and resource.tabular and not resource.infer
    ):
        return out
    if not resource.path.is_file():
        out.findings.append(SCHEME_ERROR.at(resource.file))
        return out
    out.findings.extend(file_findings(resource.file, resource.path, resource.bytes, resource.hash))
    if resource.schema is None and not resource.infer:  # not tabular: its file, size, hash
        return out
    plain = _plain_file(resource, out)
    if plain is None:
        return out
    kept = list(out.findings)
    try:
        _check_prepared(resource, plain, wanted, progress, profile, out, references or {})
    except NotUtf8:
        # As in frictionless-py, whose reading stops there: the text's findings are left
        # out (frictionless' depend on where its decoding chunks fall), and no key is whole.
        out.keys = out.table = None
        out.whole = False
        where = first_undecodable(plain, "utf-8")
        problem = f"{where}; no row is checked (declare the encoding it is in if not UTF-8)"
        out.findings = [*kept, ENCODING_ERROR.at(resource.file, problem=problem)]
    except Exception as exc:
        if not _unreadable(exc) or isinstance(exc, PermissionError):
            raise  # a permission is the machine's problem, not the file's: exit 2
        out.keys = out.table = None
        out.whole = False
        problem = (
            f"the file cannot be read ({type(exc).__name__}: {_one_line(exc)}) - check that it is "
            f"{resource.format} as the descriptor says"
        )
        out.findings.append(SOURCE_ERROR.at(resource.file, problem=problem))
    finally:
        if plain != resource.path and resource.data is None:
            plain.unlink(missing_ok=True)
    return out


def _plain_file(resource: Resource, out: Checked) -> Path | None:
    """The resource's file as plain UTF-8 text (etl.tableschema.sources): decompressed,
    joined and transcoded from its encoding (declared, or for CSV detected as frictionless
    detects it) when need be; None, with a finding, when it cannot be."""
    assert resource.path is not None
    if resource.format not in PLAIN_FORMATS:
        return resource.path
    parts, csv = (resource.path, *resource.more_parts), resource.format in ("csv", "tsv")
    try:
        encoding = resource.encoding or "utf-8"
        if resource.encoding is None and csv:
            head = head_bytes(
                parts, resource.compression, resource.innerpath, header=csv, size=BUFFER_BYTES
            )
            encoding = detect_encoding(head)
        if not (resource.compression or resource.more_parts or not is_utf8(encoding)):
            return resource.path
        header = resource.dialect.header and csv
        return plain_file(parts, resource.compression, resource.innerpath, encoding, header=header)
    except Undecodable as exc:
        out.findings.append(ENCODING_ERROR.at(resource.file, problem=str(exc)))
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as exc:
        if isinstance(exc, PermissionError):
            raise  # the machine's problem: exit 2
        problem = (
            f"the file cannot be decompressed ({_one_line(exc)}) - check that it is "
            f"{resource.compression} as the descriptor says"
        )
        out.findings.append(SOURCE_ERROR.at(resource.file, problem=problem))
    return None


def _check_prepared(
    resource: Resource,
    plain: Path,
    wanted: set[str],
    progress: Progress | None,
    profile: Profile,
    out: Checked,
    references: Mapping[int, Reference],
) -> None:
    """The table, its values written as CSV and its schema inferred when need be
    (etl.tableschema.prepare); a table of values that is not one is a source error. A CSV
    file is read in the dialect frictionless guesses where the descriptor is silent."""
    if resource.format in ("csv", "tsv") and not is_native(resource) and resource.dialect.guess:
        try:
            dialect = detected_dialect(plain, resource.dialect)
        except SniffTimeout as exc:
            problem = (
                "guessing its delimiter as frictionless-py does (Python's csv.Sniffer on its "
                f"first {SAMPLE} lines) takes more than {exc.seconds:g} s - say the delimiter "
                "and skipInitialSpace in the resource's dialect"
            )
            out.findings.append(SOURCE_ERROR.at(resource.file, problem=problem))
            return
        resource = dataclasses.replace(resource, dialect=dialect)
    if not is_native(resource) and resource.schema is not None:  # the common case
        readable = dataclasses.replace(resource, path=plain, encoding="utf-8")
        job = Job(readable, resource.schema, wanted, out, progress, profile, references)
        _check_content(job)
        return
    try:
        ready = prepare(resource, plain)
    except (Unreadable, TypeError, UnicodeDecodeError) as exc:
        kind = FORMAT_ERROR if isinstance(exc, NotAWorkbook) else SOURCE_ERROR
        problem = f"the file holds no table of {resource.format}: {exc}"
        out.findings.append(kind.at(resource.file, problem=problem))
        return
    out.schema = ready.schema
    if ready.note is not None:
        out.findings.append(ready.note)
    try:
        job = Job(ready.resource, ready.schema, wanted, out, progress, profile, references)
        _check_content(job)
    finally:
        if ready.resource.path is not None and ready.native is not None:
            ready.resource.path.unlink(missing_ok=True)
    if ready.native is not None and ready.native.clashes:
        out.findings = merge_clashes(
            out.findings, resource.file, ready.native.clashes, ready.schema
        )


def _unreadable(exc: Exception) -> bool:
    """True for the errors a reader raises on a file it cannot read (pyarrow's included)."""
    readers = (pl.exceptions.PolarsError, csv.Error, OSError)
    return isinstance(exc, readers) or type(exc).__module__.startswith("pyarrow")


def _check_content(job: Job) -> None:
    """The cells of the resource's file, by its format."""
    resource, out, profile = job.resource, job.out, job.profile
    if resource.format in ("csv", "tsv"):  # UTF-8 by now (etl.tableschema.sources)
        if profile.strict_csv:
            _check_strict_csv(job)
        else:
            _check_csv(job)
    elif resource.format == "parquet":
        _check_parquet(job)
    else:
        problem = f"format {resource.format!r} is not read by etl validate (CSV and Parquet are)"
        out.findings.append(FORMAT_ERROR.at(resource.file, problem=problem))


def _check_csv(job: Job) -> None:
    resource, schema, out = job.resource, job.schema, job.out
    assert resource.path is not None
    path, dialect = resource.path, resource.dialect
    try:
        labels = read_labels(path, dialect) if dialect.header else []
    except RecordTooLong as exc:
        out.findings.append(_too_long(resource.file, 1, exc.limit))
        return
    size = path.stat().st_size
    if dialect.header and not labels and size == 0:
        problem = "the file is empty - add the header row"
        out.findings.append(SOURCE_ERROR.at(resource.file, problem=problem))
        return
    # A blank header row is no header, as frictionless-py reads it: no label is checked,
    # and the cells are the schema's fields in order.
    columns = expected_columns(labels, schema, header=dialect.header and bool(labels))
    width = max(len(columns), 1)
    first = dialect.first_record
    before = list(out.findings) + (
        header_findings(resource.file, labels, schema, case=dialect.header_case)
        if dialect.header
        else []
    )
    odd: dict[int, list[str]] = {}
    too_long: list[RecordTooLong] = []
    rows = [0]  # rows of data read

    def batches(pieces: Iterator[Piece]) -> Iterator[Batch]:
        """The pieces as batches; at a record too long, the batches before it."""
        try:
            for piece in prefetched(pieces):
                odd.update(piece.odd)
                start = piece.frame.get_column("_i")[0] if piece.frame.height else first
                frame = piece.frame
                if start < first:  # the header rows; records left out leave gaps in `_i`
                    frame = frame.filter(pl.col("_i") >= first)
                rows[0] += frame.height
                yield Batch(frame, _short(piece.odd, width, first), piece.done)
        except RecordTooLong as exc:
            too_long.append(exc)

    out.findings = list(before)
    check = BatchChecker(job, columns)
    try:
        check.run(batches(read_pieces(path, dialect, width)), size, "bytes")
    except NeedsExactReading:
        out.findings, odd, rows[0] = list(before), {}, 0
        check = BatchChecker(job, columns)
        check.run(batches(read_exact(path, dialect, width)), size, "bytes")
    if not labels and not rows[0] and not too_long:  # frictionless: "the source is empty"
        problem = "the file holds neither labels nor rows - write the header row and the data"
        out.findings.append(SOURCE_ERROR.at(resource.file, problem=problem))
    _cell_counts(resource, odd, columns, first, out, lambda index: index + 1)
    for stop in too_long:
        # The rows past it are unread: the keys are not whole, so no foreign key is
        # checked against (or from) this table.
        out.keys, out.whole = None, False
        out.findings.append(_too_long(resource.file, stop.record + 1, stop.limit))


def _too_long(file: str, row: int, limit: int) -> Finding:
    """The source error of a record longer than the limit."""
    shown = f"{limit >> 20} MiB" if limit % (1 << 20) == 0 else f"{limit:,} bytes"
    problem = (
        f"the record starting at row {row} is longer than {shown}, the longest etl validate "
        "reads; the rest of the file is not checked - check that its quotes are closed and "
        "its lines end, or if such a record is right, raise the limit by setting "
        f"{MAX_RECORD_ENV} to a number of bytes"
    )
    return SOURCE_ERROR.at(file, row, problem=problem)


def _check_strict_csv(job: Job) -> None:
    """A CSV read whole by the strict reader: rows numbered by line, cells tidied and
    checked for traps, labels matched by the schema's fieldsMatch."""
    resource, schema, out, profile = job.resource, job.schema, job.out, job.profile
    assert resource.path is not None
    file = resource.file
    read, problems = read_strict(resource.path, file, resource.dialect, profile.tidy)
    out.findings.extend(problems)
    if read is None:
        return
    if read.empty:
        out.findings.append(EMPTY_FILE.at(file))
        return
    if not any(read.labels):
        out.findings.append(MISSING_HEADER.at(file, 1, labels=",".join(schema.field_names)))
        return
    names = ", ".join(schema.field_names)
    bad = [
        BAD_LABEL.at(file, 1, None, label, position=i, names=names)
        for i, label in enumerate(read.labels, start=1)
        if not label.isprintable()
    ]
    if bad:
        out.findings.extend(bad)
        return
    out.findings.extend(header_findings(file, read.labels, schema))
    columns = expected_columns(read.labels, schema, header=True)
    width = len(columns)
    odd = {i: cells for i, cells in enumerate(read.records) if len(cells) != width}
    if profile.trap is not None:
        for index, cells in enumerate(read.records):
            if index not in odd:
                out.findings.extend(_traps(file, read.lines[index], cells, columns, profile))
    padded = [(cells + [""] * width)[:width] for cells in read.records]
    text = {f"c{i}": [row[i] for row in padded] for i in range(width)}
    frame = pl.DataFrame(text, schema=dict.fromkeys(text, pl.String)).with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        pl.Series("_line", read.lines, dtype=pl.Int64),
    )
    batch = Batch(frame, _short(odd, width, 0))
    check = BatchChecker(job, columns)
    check.run([batch], len(read.records))
    _cell_counts(resource, odd, columns, 0, out, lambda index: read.lines[index])


def _traps(
    file: str, line: int, cells: list[str], columns: list[Column], profile: Profile
) -> list[Finding]:
    """A finding for each tidied cell of a row that holds a text trap."""
    assert profile.trap is not None
    found = []
    for column, cell in zip(columns, cells, strict=True):
        trap = profile.trap(cell)
        if trap is not None:
            kind, problem = trap
            found.append(kind_named(kind).at(file, line, column.field.name, cell, problem=problem))
    return found


def _short(odd: dict[int, list[str]], width: int, first: int) -> dict[int, int]:
    """Record index to cell count, for the records (past the header) with cells missing."""
    return {i: len(c) for i, c in odd.items() if len(c) < width and i >= first}


def _cell_counts(
    resource: Resource,
    odd: dict[int, list[str]],
    columns: list[Column],
    first: int,
    out: Checked,
    row_of: Callable[[int], int],
) -> None:
    blank = {f.row for f in out.findings if f.kind == "blank-row"}
    for index, cells in sorted(odd.items()):
        row = row_of(index)
        if index >= first and row not in blank:
            out.findings.extend(cell_count_findings(resource.file, row, cells, columns))


def _check_parquet(job: Job) -> None:
    resource, schema, out = job.resource, job.schema, job.out
    assert resource.path is not None
    import pyarrow.parquet as pq  # only for Parquet: it takes a tenth of a second to import

    source = pq.ParquetFile(resource.path)
    labels = list(source.schema_arrow.names)
    columns = expected_columns(labels, schema, header=True)
    out.findings.extend(header_findings(resource.file, labels, schema))
    total = source.metadata.num_rows

    def batches() -> Iterator[Batch]:
        offset = 1
        for record_batch in source.iter_batches(batch_size=BATCH_ROWS):
            frame = pl.DataFrame(pl.from_arrow(record_batch))
            frame.columns = [f"c{i}" for i in range(frame.width)]
            yield Batch(frame.with_row_index("_i", offset=offset), {})
            offset += frame.height

    BatchChecker(job, columns).run(batches(), total)


def _one_line(exc: Exception) -> str:
    """An exception's text on one line: a finding is one line, whatever a reader raised."""
    return " ".join(str(exc).split())
