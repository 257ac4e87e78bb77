"""Checking the batches of one resource's records: each batch read as typed cells
(etl.tableschema.batch), checked by pandera CHECK_CELLS cells at a time and against the
foreign keys whose referenced table is checked already, its key columns gathered
(etl.tableschema.key_store); then the resource's unique and primary-key checks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from etl.report.catalogue import SCHEMA_ERROR
from etl.report.findings import Finding
from etl.tableschema.batch import batch_findings, read_batch, skipped_cells
from etl.tableschema.cell_checks import pandera_cells, screen, validate_cells
from etl.tableschema.constraint_rules import (
    forget_matches,
    keep_matches,
    kept_matches,
    typed_constraints,
)
from etl.tableschema.csv_lines import NeedsExactReading
from etl.tableschema.detach import detach
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.key_store import KeyStore
from etl.tableschema.keys import Reference, orphan_findings, primary_key_findings, unique_findings
from etl.tableschema.model import TableSchema
from etl.tableschema.package import Resource
from etl.tableschema.profile import Profile
from etl.tableschema.structure import Column
from etl.tableschema.table import Table

#: Typed cells gathered (from one or more CSV pieces) for one pandera validation: pandera's
#: cost is largely per check and per call, and the gathered cells hold their pieces. At 1M
#: rows of the benchmark's packages, 1.5 million cells (166,000 rows of 9 columns, 30,000
#: of 50) held 45-60 MB less at peak than 4.5 million at the same CPU time; half a million
#: rows of 50 columns had held 400 MB more.
CHECK_CELLS = 1_500_000
#: Called as (resource name, done, total, unit) while a resource is checked: rows of a
#: Parquet file (unit "rows"), bytes of a CSV file (unit "bytes", as it is read in one pass).
Progress = Callable[[str, int, int, str], None]


@dataclass
class Checked:
    """What checking one resource gave: its findings, its key columns for later checks
    (those other tables refer to, and those of its foreign keys checked later), and its
    typed table when the profile keeps tables. `foreign` holds the findings of the foreign
    keys checked batch by batch (their indexes in `checked`); they count only while the
    keys are `whole` (a record too long stops the reading)."""

    findings: list[Finding] = field(default_factory=list)
    keys: pl.DataFrame | None = None
    names: set[str] = field(default_factory=set)
    table: Table | None = None
    foreign: list[Finding] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    whole: bool = True
    #: The schema inferred for a resource without one (etl.tableschema.infer).
    schema: TableSchema | None = None


@dataclass
class Batch:
    """Records to check: text (CSV) or typed (Parquet) columns c0, c1, ... with `_i`, the
    0-based record index (and `_line`, the line a record starts on, for a strict CSV);
    record index to cell count for the records with cells missing; and, for a CSV read in
    pieces, the bytes of the file read so far."""

    frame: pl.DataFrame
    short: dict[int, int]
    done: int | None = None


@dataclass(frozen=True)
class Job:
    """Checking one resource: the resource and its schema, the key columns other resources
    refer to (`wanted`), where its findings go (`out`), progress, the reading profile, and
    the referenced keys of its foreign keys into tables checked already, by the foreign
    key's index in the schema."""

    resource: Resource
    schema: TableSchema
    wanted: set[str]
    out: Checked
    progress: Progress | None
    profile: Profile
    references: Mapping[int, Reference] = field(default_factory=dict)


class BatchChecker:
    """Checks every batch of one resource's records, then its keys."""

    def __init__(self, job: Job, columns: list[Column]) -> None:
        resource, schema, out, wanted = job.resource, job.schema, job.out, job.wanted
        self.resource, self.schema, self.columns = resource, schema, columns
        self.out, self.progress, self.profile = out, job.progress, job.profile
        self.declared = [c for c in columns if c.declared]
        self.names = {c.field.name for c in self.declared}
        self.checked_schema = TableSchema(
            schema.name, schema.path, schema.description, tuple(c.field for c in self.declared)
        )
        self.constraints: dict[str, dict[str, object]] = {}
        for column in self.declared:
            typed, unreadable = typed_constraints(column.field)
            self.constraints[column.field.name] = typed
            for key in unreadable:
                problem = f"the {key} constraint cannot be read as {column.field.type} - fix it"
                value = column.field.constraints[key]
                out.findings.append(
                    SCHEMA_ERROR.at(resource.file, None, column.field.name, value, problem=problem)
                )
        self.references = {
            at: ref
            for at, ref in job.references.items()
            if set(schema.foreign_keys[at].fields) <= self.names
        }
        out.foreign, out.checked = [], set(self.references)
        later = [fk for at, fk in enumerate(schema.foreign_keys) if at not in self.references]
        later_names = {n for fk in later if set(fk.fields) <= self.names for n in fk.fields}
        self.key_names = later_names | (wanted & self.names)
        #: Key columns are kept when another resource refers to this one, even if none of
        #: the fields it refers to has a column here (then no key of it matches).
        self.keep_keys = bool(self.key_names or wanted or later)
        self.unique, self.primary = _repeat_keys(schema, self.names)
        self.store = KeyStore([*self.unique, self.primary])
        self.fk_names = sorted(
            {n for at in self.references for n in schema.foreign_keys[at].fields}
        )
        self.pending: list[pl.DataFrame] = []  # typed cells not yet screened
        self.suspects: list[pl.DataFrame] = []  # screened rows not yet checked by pandera
        self.suspect_skip: set[object] = set()
        #: the patterns' answers on the held rows, by pattern and column (c0, c1, ...)
        self.suspect_matches: list[dict[tuple[str, str], pl.Series]] = []
        self.skip: set[object] = set()
        self.kept: list[pl.DataFrame] = []

    def run(self, batches: Iterable[Batch], total: int, unit: str = "rows") -> None:
        """Check every batch. Progress is reported in `unit`: rows checked, or bytes read
        (the batches' `done`)."""
        try:
            self._run(batches, total, unit)
        except NeedsExactReading:
            raise  # the file is read again, by another checker
        except Exception:
            # a reader's error part-way (the caller reports it): the rows screened before it
            # keep their findings, as they would have had pandera checked them at once
            if self.suspects:
                with contextlib.suppress(Exception):  # the first error is the one to report
                    self._check_suspects()
            raise
        finally:
            self.store.close()

    def _run(self, batches: Iterable[Batch], total: int, unit: str) -> None:
        seen = 0
        keys: list[pl.DataFrame] = []
        keys_in = sorted(self.key_names)
        values = ["_row", *(f"_v{c.position}" for c in self.declared)]
        names = {f"_v{c.position}": c.field.name for c in self.declared}
        for item in batches:
            frame = read_batch(
                _with_short(item),
                self.columns,
                self.schema,
                short=bool(item.short),
                canonical=self.profile.canonical,
            )
            self.out.findings.extend(batch_findings(self.resource.file, frame, self.columns))
            typed = frame.select(values).rename(names)  # select by name: `*` is a column
            self.pending.append(typed)
            if self.profile.keep_tables:
                self.kept.append(typed)
            self.skip |= skipped_cells(frame, self.columns)
            if sum(p.height for p in self.pending) * typed.width >= CHECK_CELLS:
                self._screen_pending()
            if self.keep_keys:
                kept = pl.DataFrame([typed.get_column(n) for n in ("_row", *keys_in)])
                keys.append(detach(kept))  # held for the whole table: not its pieces too
            self.store.add(typed)
            if self.references:
                local = pl.DataFrame([typed.get_column(n) for n in ("_row", *self.fk_names)])
                for reference in self.references.values():
                    self.out.foreign.extend(orphan_findings(self.resource.file, local, reference))
            seen += item.frame.height
            if self.progress is not None:
                done = seen if item.done is None else item.done
                self.progress(self.resource.name, done, total, unit)
        if self.pending:
            self._screen_pending()
        if self.suspects:
            self._check_suspects()
        self.out.names = self.names
        if self.profile.keep_tables:
            self.out.table = self._table()
        if self.keep_keys:
            dtypes = {c.field.name: polars_dtype(c.field) for c in self.declared}
            empty = pl.DataFrame(
                schema={"_row": pl.Int64, **{n: dtypes[n] for n in sorted(self.key_names)}}
            )
            self.out.keys = pl.concat(keys, rechunk=False) if keys else empty
        self.out.findings.extend(
            _key_findings(self.resource.file, self.store, self.unique, self.primary)
        )

    def _hold_failing_rows(self) -> None:
        """Screen the pending cells by polars rules; hold the rows pandera may find failing
        for one later pandera call (or check them now, where the rules cannot say which)."""
        cells = pl.concat(self.pending, rechunk=False)  # a copy would cost more than it saves
        skip, self.skip = self.skip, set()
        self.pending.clear()
        rows = _row_numbers(cells.get_column("_row"))
        frame, file = cells.drop("_row"), self.resource.file
        try:
            screened = screen(frame, self.checked_schema, file, rows, self.constraints)
            found = screened.found
            if screened.suspects is None:
                found += pandera_cells(
                    frame, self.checked_schema, file, rows, screened, self.constraints
                )
            elif screened.checked:
                held = detach(cells.filter(screened.suspects))
                self.suspects.append(held)
                self.suspect_skip |= _skips_in(skip, set(held.get_column("_row").to_list()))
                answers = kept_matches()
                self.suspect_matches.append(
                    {key: matched.filter(screened.suspects) for key, matched in answers.items()}
                )
        finally:
            forget_matches()
        self._keep(found, skip)

    def _screen_pending(self) -> None:
        """Screen the pending cells; check the held rows once they fill CHECK_CELLS cells
        (the pending cells freed first)."""
        self._hold_failing_rows()
        if sum(p.height * p.width for p in self.suspects) >= CHECK_CELLS:
            self._check_suspects()

    def _check_suspects(self) -> None:
        """pandera over the rows held by _hold_failing_rows, in one call."""
        cells = pl.concat(self.suspects)
        answers, self.suspect_matches = self.suspect_matches, []
        self.suspects.clear()
        skip, self.suspect_skip = self.suspect_skip, set()
        rows = cells.get_column("_row").to_list()
        frame = cells.drop("_row")
        # each pattern's answers on these cells, from their screening: run once a cell
        keys = set.intersection(*(set(known) for known in answers))
        keep_matches(
            {
                (pattern, name): (
                    frame.to_series(int(name[1:])).alias(name),  # column c{i}: field i
                    pl.concat([known[pattern, name] for known in answers]),
                )
                for pattern, name in keys
            }
        )
        found = validate_cells(
            frame, self.checked_schema, self.resource.file, rows, self.constraints
        )
        self._keep(found, skip)

    def _keep(self, found: list[Finding], skip: set[object]) -> None:
        """The findings but those in cells frictionless does not check (`skip`)."""
        self.out.findings.extend(
            f for f in found if (f.row, f.field) not in skip and f.row not in skip
        )

    def _table(self) -> Table:
        """The typed table: the schema's fields in its order (a field without a column
        is null), with the row number of each row."""
        empty = {c.field.name: polars_dtype(c.field) for c in self.declared}
        frame = (
            pl.concat(self.kept) if self.kept else pl.DataFrame(schema={"_row": pl.Int64, **empty})
        )
        absent = [
            pl.lit(None, polars_dtype(f)).alias(f.name)
            for f in self.schema.fields
            if f.name not in self.names
        ]
        rows = frame.get_column("_row").to_list()
        frame = frame.with_columns(absent)
        typed = pl.DataFrame([frame.get_column(name) for name in self.schema.field_names])
        return Table(self.schema.name, self.resource.file, typed, rows)


def _with_short(item: Batch) -> pl.DataFrame:
    """The batch with `_n`, each short record's number of cells, where any record is short."""
    batch = item.frame
    if not item.short:
        return batch
    index = batch.get_column("_i")  # sorted; a record left out by the dialect leaves a gap
    at = index.search_sorted(pl.Series(list(item.short), dtype=index.dtype)).cast(pl.UInt32)
    counts = pl.Series(list(item.short.values()), dtype=pl.Int64)
    absent = pl.repeat(None, batch.height, dtype=pl.Int64, eager=True)
    return batch.with_columns(absent.scatter(at, counts).alias("_n"))


def _skips_in(skip: set[object], rows: set[int]) -> set[object]:
    """The skipped cells and rows (see skipped_cells) in `rows`."""
    return {s for s in skip if (s[0] if isinstance(s, tuple) else s) in rows}


def _row_numbers(rows: pl.Series) -> Sequence[int]:
    """The batch's row numbers: a range when they run on without a gap (they do when read
    from one piece), else a list."""
    if rows.is_empty():
        return []
    first, last = rows[0], rows[-1]
    if last - first + 1 == rows.len() and rows.is_sorted():
        return range(first, last + 1)
    return rows.to_list()


def _repeat_keys(schema: TableSchema, names: set[str]) -> tuple[list[list[str]], list[str]]:
    """The keys whose values must not repeat: each unique field, and the primary key (empty
    when the schema has none, or a field of it has no column)."""
    unique = [[f.name] for f in schema.fields if f.constraints.get("unique") and f.name in names]
    primary = list(schema.primary_key) if set(schema.primary_key) <= names else []
    return unique, primary


def _key_findings(
    file: str, store: KeyStore, unique: list[list[str]], primary: list[str]
) -> list[Finding]:
    out = []
    order = [*unique, primary]
    for at, key in enumerate(unique):
        out.extend(unique_findings(file, store.candidates(key, empty=False), key))
        if key not in order[at + 1 :]:
            store.drop(key)  # its tokens are freed before the next key's are sorted
    if primary:
        out.extend(primary_key_findings(file, store.candidates(primary, empty=True), primary))
    return out
