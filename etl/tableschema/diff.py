"""What changed between two Frictionless data packages: per resource, by primary key, the rows
added, removed and changed (with each changed field's old and new value), and the resources
and fields added or removed.

Each package is a folder holding datapackage.json (or .yaml), the descriptor itself, or a zip of
such a folder, extracted within limits, or refused, as etl validate extracts a zip
(etl.tableschema.zipped). Both are read, typed and validated by the engine
(etl.tableschema.engine), so values compare as their types ("1.0" and "1" are the same
number); a package with errors is refused, since a row it could not type cannot be compared.
A resource without the same primary key in both packages is compared row by row as a whole,
and the difference says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from etl.report.errors import UsageError
from etl.tableschema.engine import read_and_validate
from etl.tableschema.package import read_package
from etl.tableschema.profile import Profile
from etl.tableschema.table import Table
from etl.tableschema.zipped import DESCRIPTOR_NAMES, is_zipped_package, unzip_package

KEEP_TABLES = Profile(keep_tables=True)


@dataclass(frozen=True)
class Changed:
    """A row present in both packages with other values: its key and (field, old, new)."""

    key: dict[str, Any]
    fields: tuple[tuple[str, Any, Any], ...]


@dataclass(frozen=True)
class TableDiff:
    """What changed in one resource present in both packages."""

    name: str
    key: tuple[str, ...]  # empty: rows compared whole (see `note`)
    note: str | None = None
    fields_added: tuple[str, ...] = ()
    fields_removed: tuple[str, ...] = ()
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """True when the resource's fields or rows differ."""
        return bool(
            self.fields_added or self.fields_removed or self.added or self.removed or self.changed
        )


@dataclass(frozen=True)
class PackageDiff:
    """What changed from the package `old` to the package `new`."""

    old: str
    new: str
    tables_added: tuple[str, ...]
    tables_removed: tuple[str, ...]
    tables: tuple[TableDiff, ...]
    #: Resources that are files, not tables (a text, an image): compared by their bytes.
    files_added: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    files_changed: tuple[str, ...] = ()

    @property
    def differs(self) -> bool:
        """True when anything differs."""
        files = self.files_added or self.files_removed or self.files_changed
        tables = self.tables_added or self.tables_removed
        return bool(files or tables) or any(t.differs for t in self.tables)


def diff_packages(old: Path, new: Path) -> PackageDiff:
    """The difference between two packages (folders, descriptors or zips of them)."""
    with _opened(old) as (old_descriptor, old_shown), _opened(new) as (new_descriptor, new_shown):
        before, old_files = _tables(old_descriptor, old, old_shown)
        after, new_files = _tables(new_descriptor, new, new_shown)
        common = [name for name in after if name in before]
        return PackageDiff(
            old=str(old),
            new=str(new),
            tables_added=tuple(n for n in after if n not in before),
            tables_removed=tuple(n for n in before if n not in after),
            tables=tuple(diff_tables(name, *before[name], *after[name]) for name in common),
            files_added=tuple(n for n in new_files if n not in old_files),
            files_removed=tuple(n for n in old_files if n not in new_files),
            files_changed=tuple(
                n for n in new_files if n in old_files and new_files[n] != old_files[n]
            ),
        )


def diff_tables(
    name: str,
    old: pl.DataFrame,
    old_key: tuple[str, ...],
    new: pl.DataFrame,
    new_key: tuple[str, ...],
) -> TableDiff:
    """Rows added, removed and changed from `old` to `new`, matched by their primary key."""
    fields_added = tuple(c for c in new.columns if c not in old.columns)
    fields_removed = tuple(c for c in old.columns if c not in new.columns)
    common = [c for c in new.columns if c in old.columns]
    if not old_key and not new_key:
        note = "has no primary key: rows are compared whole (a changed row is removed and added)"
        return _whole_rows(name, old, new, common, note, fields_added, fields_removed)
    if old_key != new_key:
        keys = f"({', '.join(old_key) or 'none'} before, {', '.join(new_key) or 'none'} now)"
        note = f"changed its primary key {keys}: rows are compared whole"
        return _whole_rows(name, old, new, common, note, fields_added, fields_removed)
    key = list(new_key)
    if not set(key) <= set(common):
        note = "lacks a primary key field in one version: rows are compared whole"
        return _whole_rows(name, old, new, common, note, fields_added, fields_removed)
    comparable = _comparable(old.select(common), new.select(common))
    old_c, new_c = comparable
    added_keys = new_c.join(old_c, on=key, how="anti", nulls_equal=True).select(key)
    removed_keys = old_c.join(new_c, on=key, how="anti", nulls_equal=True).select(key)
    others = [c for c in common if c not in key]
    joined = old_c.with_row_index("_old").join(
        new_c.with_row_index("_new"), on=key, how="inner", suffix="_new", nulls_equal=True
    )
    changed: list[Changed] = []
    if others and joined.height:
        flags = [pl.col(c).ne_missing(pl.col(f"{c}_new")).alias(f"_differs_{c}") for c in others]
        hits = (
            joined.with_columns(flags)
            .filter(pl.any_horizontal(f"_differs_{c}" for c in others))
            .sort(key, nulls_last=True)
        )
        for hit in hits.iter_rows(named=True):
            before = old.row(hit["_old"], named=True)
            after = new.row(hit["_new"], named=True)
            fields = tuple((c, before[c], after[c]) for c in others if hit[f"_differs_{c}"])
            changed.append(Changed({k: after[k] for k in key}, fields))
    return TableDiff(
        name,
        tuple(key),
        None,
        fields_added,
        fields_removed,
        _rows(new, new_c, added_keys, key),
        _rows(old, old_c, removed_keys, key),
        changed,
    )


def _comparable(old: pl.DataFrame, new: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both frames with a field whose type changed read as text in each, so they compare."""
    retyped = [c for c in old.columns if old.schema[c] != new.schema[c]]
    if not retyped:
        return old, new
    as_text = [pl.col(c).cast(pl.String) for c in retyped]
    return old.with_columns(as_text), new.with_columns(as_text)


def _rows(
    frame: pl.DataFrame, comparable: pl.DataFrame, keys: pl.DataFrame, key: list[str]
) -> list[dict[str, Any]]:
    """The whole rows of `frame` whose keys are in `keys`, in key order."""
    if not keys.height:
        return []
    at = (
        comparable.with_row_index("_at")
        .join(keys, on=key, how="semi", nulls_equal=True)
        .sort(key, nulls_last=True)
        .get_column("_at")
    )
    return [frame.row(i, named=True) for i in at.to_list()]


def _whole_rows(
    name: str,
    old: pl.DataFrame,
    new: pl.DataFrame,
    common: list[str],
    note: str,
    fields_added: tuple[str, ...],
    fields_removed: tuple[str, ...],
) -> TableDiff:
    """Rows compared whole on the fields both versions have, each copy counted."""
    if not common:
        rows_new = list(new.iter_rows(named=True))
        rows_old = list(old.iter_rows(named=True))
        return TableDiff(name, (), note, fields_added, fields_removed, rows_new, rows_old)
    old_c, new_c = _comparable(old.select(common), new.select(common))

    def counted(frame: pl.DataFrame) -> pl.DataFrame:
        numbered = frame.with_columns(pl.int_range(pl.len()).over(common).alias("_copy"))
        return numbered.with_row_index("_at")

    old_n, new_n = counted(old_c), counted(new_c)
    on = [*common, "_copy"]
    removed = old_n.join(new_n, on=on, how="anti", nulls_equal=True).get_column("_at")
    added = new_n.join(old_n, on=on, how="anti", nulls_equal=True).get_column("_at")
    return TableDiff(
        name,
        (),
        note,
        fields_added,
        fields_removed,
        [new.row(i, named=True) for i in added.to_list()],
        [old.row(i, named=True) for i in removed.to_list()],
    )


def _tables(
    descriptor: Path, shown: Path, folder: str | None
) -> tuple[dict[str, tuple[pl.DataFrame, tuple[str, ...]]], dict[str, str]]:
    """Each tabular resource of a package as a typed frame with its primary key, and each
    other resource's SHA-256, by resource name; findings name its files under `folder`
    where it is given (a zip's files as `old.zip/...`, not where they were extracted)."""
    package = read_package(descriptor, shown=folder)
    report, tables = read_and_validate(package, profile=KEEP_TABLES)
    if report.errors:
        first = report.errors[0]
        raise UsageError(
            f"{shown} is not a valid data package ({len(report.errors)} errors, the first: "
            f"{first.render()}) - run `etl validate` on it and fix it first"
        )
    out: dict[str, tuple[pl.DataFrame, tuple[str, ...]]] = {}
    files: dict[str, str] = {}
    for resource in package.resources:
        if not resource.tabular:
            data = resource.path.read_bytes() if resource.path is not None else b""
            files[resource.name] = hashlib.sha256(data).hexdigest()
            continue
        table: Table | None = tables.get(resource.name)
        if table is None or resource.schema is None:
            raise UsageError(f"{shown}: resource {resource.name!r} could not be read as a table")
        out[resource.name] = (table.frame, tuple(resource.schema.primary_key))
    return out, files


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tuple[Path, str | None]]:
    """The descriptor of the package at `path`, and how to show its folder where that is not
    the descriptor's (a zip's, `old.zip` or `old.zip/folder`); a zip is extracted, within the
    limits and refusals of etl.tableschema.zipped, into a folder removed at the block's end."""
    if path.is_dir():
        yield _descriptor_in(path, path), None
    elif is_zipped_package(path) or zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="etl-diff-") as folder:
            yield unzip_package(path, into=Path(folder), command="etl diff")
    elif path.is_file():
        yield path, None
    else:
        raise UsageError(f"{path} does not exist - give a package folder, descriptor or zip")


def _descriptor_in(folder: Path, shown: Path) -> Path:
    """The descriptor in `folder`, or in its one sub-folder."""
    for name in DESCRIPTOR_NAMES:
        if (folder / name).is_file():
            return folder / name
    inner = [p for p in folder.iterdir() if p.is_dir()]
    if len(inner) == 1 and not any(p.is_file() for p in folder.iterdir()):
        return _descriptor_in(inner[0], shown)
    raise UsageError(f"{shown} holds no datapackage.json - give a data package")
