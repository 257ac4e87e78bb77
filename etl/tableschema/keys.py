"""Checks of a table's keys as frictionless-py v5 makes them, as polars expressions: unique
fields, the primary key, and foreign keys into another table's typed key columns."""

from __future__ import annotations

import difflib

import polars as pl

from etl.report.catalogue import FOREIGN_KEY, PRIMARY_KEY, UNIQUE_ERROR
from etl.report.findings import Finding
from etl.tableschema.model import ForeignKey


def _keyed(keys: pl.DataFrame, names: list[str]) -> tuple[pl.DataFrame, list[str]]:
    """`_row` and the named columns renamed k0, k1, ..., and those names: pl.col reads a
    name such as `*` or `^a.*$` as a pattern, so key columns are named by position here."""
    keyed = [keys.get_column(name).alias(f"k{at}") for at, name in enumerate(names)]
    return pl.DataFrame([keys.get_column("_row"), *keyed]), [f"k{at}" for at in range(len(names))]


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
        col = pl.col("k0")
        candidates = _repeat_candidates(*_keyed(keys, [name]))
        repeated = candidates.filter(col.is_not_null() & ~col.is_first_distinct()).select(
            "_row", col.cast(pl.String).alias("v")
        )
        for row, value in repeated.iter_rows():
            out.append(UNIQUE_ERROR.at(file, row, name, value))
    return out


def primary_key_findings(file: str, keys: pl.DataFrame, primary: list[str]) -> list[Finding]:
    """Rows whose primary key is empty, or repeats an earlier row's."""
    columns, names = _keyed(keys, primary)
    key = pl.col(names[0]) if len(names) == 1 else pl.struct(names)
    empty = pl.all_horizontal([pl.col(k).is_null() for k in names])
    shown = ",".join(primary)
    repeats = _repeat_candidates(columns, names).filter(~key.is_first_distinct() & ~empty)
    rows = (
        pl.concat([columns.filter(empty), repeats])
        .sort("_row")
        .select(
            "_row",
            empty.alias("empty"),
            pl.concat_str(
                [pl.col(k).cast(pl.String) for k in names], separator=", ", ignore_nulls=True
            ).alias("v"),
        )
    )
    out = []
    for row, is_empty, value in rows.iter_rows():
        problem = "is empty - fill it in" if is_empty else "repeats an earlier row - make it unique"
        shown_value = None if is_empty else value
        out.append(PRIMARY_KEY.at(file, row, shown, shown_value, fields=shown, problem=problem))
    return out


class Reference:
    """A foreign key's referenced keys, prepared once for the batches checked against it.

    `target` holds the referenced table's key columns, typed. A referenced field it lacks
    (the referenced schema or file has no such column) is empty in every row, as
    frictionless-py reads it: then no key matches, unless its other fields do and the
    row's own cell of that field is empty too.
    """

    def __init__(self, fk: ForeignKey, target: pl.DataFrame, target_file: str, suggest: bool):
        self.fk, self.target_file, self.suggest = fk, target_file, suggest
        self.names = [f"k{at}" for at in range(len(fk.fields))]
        absent = pl.Series([None] * target.height, dtype=pl.String)
        self.frame = (
            pl.DataFrame(
                [
                    (target.get_column(r) if r in target.columns else absent).alias(k)
                    for k, r in zip(self.names, fk.reference_fields, strict=True)
                ]
            )
            .filter(~pl.all_horizontal([pl.col(k).is_null() for k in self.names]))
            .unique()
        )
        self._text: pl.DataFrame | None = None
        self._choices: list[str] | None = None

    def matching(self, present: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """`present` and the referenced keys, with every key column of the same type: as
        text where the two differ."""
        if all(present.schema[k] == self.frame.schema[k] for k in self.names):
            return present, self.frame
        if self._text is None:
            self._text = self.frame.with_columns(pl.col(self.names).cast(pl.String)).unique()
        return present.with_columns(pl.col(self.names).cast(pl.String)), self._text

    def choices(self) -> list[str]:
        if self._choices is None:
            self._choices = _choices(self.frame, self.names) if self.suggest else []
        return self._choices


def foreign_key_findings(
    file: str,
    keys: pl.DataFrame,
    fk: ForeignKey,
    target: pl.DataFrame,
    target_file: str,
    suggest: bool = False,
) -> list[Finding]:
    """Rows whose foreign key (not all empty) matches no row of the referenced table.

    With `suggest`, the hint of a one-field key names the closest existing key (difflib),
    when one is close enough.
    """
    return orphan_findings(file, keys, Reference(fk, target, target_file, suggest))


def orphan_findings(file: str, keys: pl.DataFrame, reference: Reference) -> list[Finding]:
    """Rows of `keys` (`_row` and the local fields, typed) whose foreign key, not all
    empty, matches no referenced key."""
    fk, names = reference.fk, reference.names
    present, _ = _keyed(keys, list(fk.fields))
    present = present.filter(~pl.all_horizontal([pl.col(k).is_null() for k in names]))
    present, referenced = reference.matching(present)
    orphans = present.join(referenced, on=names, how="anti", nulls_equal=True)
    out = []
    shown = ",".join(fk.fields)
    choices = reference.choices() if orphans.height else []
    for record in orphans.sort("_row").iter_rows(named=True):
        value = ", ".join("" if record[k] is None else str(record[k]) for k in names)
        out.append(
            FOREIGN_KEY.at(
                file,
                record["_row"],
                shown,
                value,
                target=reference.target_file,
                reference="/".join(fk.reference_fields),
                key=value,
                suggestion=did_you_mean(value, choices),
            )
        )
    return out


#: Suggestions are looked for among at most this many referenced keys.
MAX_CHOICES = 10_000


def _choices(reference: pl.DataFrame, local: list[str]) -> list[str]:
    """The referenced keys a miss may be near: one-field keys only, within MAX_CHOICES."""
    if len(local) != 1:
        return []
    values = reference.get_column(local[0]).drop_nulls().unique()
    if values.len() > MAX_CHOICES:
        return []
    return sorted(values.cast(pl.String).to_list())


#: How alike (difflib's ratio) a key must be to be suggested: ids share suffixes such as
#: "-region", so only a near copy ("gomel-regon", a look-alike letter) is suggested.
SUGGEST_CUTOFF = 0.8


def did_you_mean(value: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' for the choice closest to `value`, or '' when none is close."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=SUGGEST_CUTOFF)
    return f" (did you mean {close[0]!r}?)" if close else ""
