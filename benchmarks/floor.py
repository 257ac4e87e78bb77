"""The plain-polars floor: the benchmark's checks written directly as polars expressions.

No pandera, no findings as objects, no multi-line cells, RFC 4180 quoting only: the least
work that finds the same (resource, row, field, type) set on the benchmark packages. Each
file is read once, in pieces of whole lines that polars parses twice, as CSV cells and as
raw lines (whose lengths tell the lines whose cells must be counted), checking every row in
one streaming query; only the key columns are kept, for unique, primary and foreign keys.
Prints {"errors": N} and, with --list, the errors themselves.
Usage: floor.py DATAPACKAGE [--list]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

PIECE = 1 << 24  # bytes read at a time
NUMBER = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
TRUE, FALSE = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]
Found = tuple[str | None, str, list[int]]  # field, error type, rows
Spec = dict[str, Any]  # a field or a schema, as in datapackage.json


def typed(kind: str, text: pl.Expr) -> tuple[pl.Expr | None, pl.Expr | None]:
    """The cell's value (null where it does not parse; None: the text itself), and a test
    that valid text also passes."""
    if kind == "integer":  # to_integer takes exactly [+-]?[0-9]+
        return text.str.strip_chars().str.to_integer(strict=False), None
    if kind == "number":  # the cast also takes inf and nan, which the pattern refuses
        return text.str.strip_chars().cast(pl.Float64, strict=False), text.str.contains(NUMBER)
    if kind == "boolean":
        return pl.when(text.is_in(TRUE)).then(True).when(text.is_in(FALSE)).then(False), None
    if kind == "date":
        return text.str.to_date("%Y-%m-%d", strict=False), None
    return None, None


def broken(field: Spec, value: pl.Expr) -> list[pl.Expr]:
    """Per value constraint of the field, whether a valid value breaks it."""
    c = field.get("constraints", {})
    bound = dt.date.fromisoformat if field["type"] == "date" else (lambda x: x)
    found = []
    if "minimum" in c:
        found.append(value < bound(c["minimum"]))
    if "maximum" in c:
        found.append(value > bound(c["maximum"]))
    if "minLength" in c:
        found.append(value.str.len_chars() < c["minLength"])
    if "maxLength" in c:
        found.append(value.str.len_chars() > c["maxLength"])
    if "pattern" in c:
        found.append(~value.str.contains(f"^(?:{c['pattern']})$"))
    if "enum" in c:
        found.append(~value.is_in(c["enum"]))
    return found


def header(fields: list[Spec], labels: list[str]) -> list[Found]:
    found: list[Found] = []
    for i, (f, label) in enumerate(zip(fields, labels, strict=False)):
        if not label:
            found.append((f["name"], "blank-label", [1]))
        elif label in labels[:i]:
            found.append((f["name"], "duplicate-label", [1]))
        elif label != f["name"]:
            found.append((f["name"], "incorrect-label", [1]))
    found += [(None, "extra-label", [1]) for _ in labels[len(fields) :]]
    found += [(f["name"], "missing-label", [1]) for f in fields[len(labels) :]]
    return found


def key(names: list[str]) -> pl.Expr:
    return pl.col(names[0]) if len(names) == 1 else pl.struct(names)


def repeats(frame: pl.DataFrame, names: list[str], *, nulls: bool) -> list[int]:
    """Rows (indices) whose values in `names` repeat an earlier row's, nulls being values or
    not. Sorting (the values, or hashes of text or of several fields) finds the candidates,
    rows whose sort key repeats; among them, the values decide."""
    keyed = frame.select(key(names)).to_series()
    if keyed.dtype in (pl.String, pl.Struct):
        keyed = keyed.hash()
    ordered = keyed.sort()
    shared = ordered.filter(ordered == ordered.shift(1)).implode()
    candidates = frame.select(names).with_row_index("_i").filter(keyed.is_in(shared))
    if not nulls:
        candidates = candidates.drop_nulls()
    return candidates.filter(~key(names).is_first_distinct()).get_column("_i").to_list()


def pieces(path: Path) -> Iterator[bytes]:
    """The file's lines after the header, about PIECE bytes at a time; the last is empty."""
    with path.open("rb") as handle:
        start = len(handle.readline())
        while True:
            handle.seek(start + PIECE)
            end = handle.tell() + len(handle.readline())
            handle.seek(start)
            yield (data := handle.read(end - start))
            if not data:
                return
            start += len(data)


def plan(columns: list[Spec], keep: set[str]) -> tuple[list[list[pl.Expr]], list[Found], list[str]]:
    """The query on a piece's cells (c0, c1, ...) and lines, as three lists of expressions:
    per cell its length and value; per cell whether it is valid, per row whether it is blank
    or plain (below); then a boolean per check, the values of the fields kept (their names),
    and whether the row's cells need counting. The checks' rows go to the Found entries."""
    first: list[pl.Expr] = []
    second: list[pl.Expr] = []
    third: list[pl.Expr] = []
    found: list[Found] = [(None, "blank-row", [])]
    names: list[str] = []
    blank = pl.col("_blank")
    checks = [blank]
    for i, f in enumerate(columns):
        text, size, ok = pl.col(f"c{i}"), pl.col(f"s{i}"), pl.col(f"ok{i}")
        parsed, test = typed(f["type"], text)
        first.append(text.str.len_bytes().alias(f"s{i}"))
        value, valid = text, size > 0
        if parsed is not None:
            first.append(parsed.alias(f"v{i}"))
            value = pl.col(f"v{i}")
            valid &= value.is_not_null()
            checks.append(~ok & (size > 0))
            found.append((f["name"], "type-error", []))
        if test is not None:
            first.append(test.alias(f"t{i}"))
            valid &= pl.col(f"t{i}")
        second.append(valid.alias(f"ok{i}"))
        c = f.get("constraints", {})
        broke = [(size == 0) & ~blank] if c.get("required") else []
        broke += [ok & rule for rule in broken(f, value)]
        checks += broke
        found += [(f["name"], "constraint-error", []) for _ in broke]
        if f["name"] in keep or c.get("unique"):
            third.append(pl.when(ok).then(value).alias(f["name"]))
            names.append(f["name"])
    # A line's bytes are its cells', their delimiters and two quotes per quoted cell: that
    # tells a plain line, with as many cells as columns. A line is not plain if a cell holds
    # a doubled quote, or if it has fewer or more cells: those are counted again.
    line, sizes = pl.col("line"), [pl.col(f"s{i}") for i in range(len(columns))]
    first += [
        line.str.len_bytes().cast(pl.Int64).alias("_bytes"),
        line.str.count_matches('"', literal=True).alias("_quotes"),
        line.str.contains('""', literal=True).alias("_doubled"),
    ]
    rest = pl.col("_bytes") - pl.sum_horizontal(sizes) - pl.col("_quotes")
    plain = (rest == len(columns) - 1) & ~pl.col("_doubled")
    second += [pl.all_horizontal(s == 0 for s in sizes).alias("_blank"), plain.alias("_plain")]
    third += [check.alias(f"_{i}") for i, check in enumerate(checks)]
    third.append((~pl.col("_plain") & ~blank).alias("_count"))
    return [first, second, third], found, names


def counted(piece: bytes, rows: pl.Series) -> pl.DataFrame:
    """The piece's lines at `rows` (indices), with their cells counted outside quotes."""
    line = pl.col("line").str.replace_all('"[^"]*"', "")
    return (
        pl.scan_lines(piece)
        .with_row_index("i")
        .filter(pl.col("i").is_in(rows.implode()))
        .select("i", (line.str.count_matches(",", literal=True) + 1).alias("n"))
        .collect()
    )


def check(path: Path, schema: Spec, keep: set[str]) -> tuple[list[Found], pl.DataFrame]:
    """The resource's errors, but foreign keys; and the values of its key fields."""
    fields = schema["fields"]
    with path.open(newline="") as handle:
        labels = next(csv.reader(handle), [])
    width = len(labels)
    columns = fields[:width] + [{"name": x, "type": "any"} for x in labels[len(fields) :]]
    (first, second, third), found, names = plan(columns, keep)
    short: list[Found] = []  # missing and extra cells
    kept, offset = [], 2  # frictionless' row of the piece's first line
    for piece in pieces(path):
        cells = pl.scan_csv(
            piece,
            has_header=False,
            schema={f"c{i}": pl.String for i in range(width)},
            truncate_ragged_lines=True,
            empty_string_is_null=False,
            raise_if_empty=False,
            extra_columns="ignore",
            missing_columns="insert",
        )
        query = pl.concat([cells, pl.scan_lines(piece)], how="horizontal").with_columns(first)
        out = query.with_columns(second).select(third).collect(engine="streaming")
        for i, (_, _, rows) in enumerate(found):
            rows += (out.get_column(f"_{i}").arg_true() + offset).to_list()
        if (odd := out.get_column("_count").arg_true()).len():
            for i, n in counted(piece, odd).iter_rows():
                short += [(None, "extra-cell", [i + offset])] * (n - width)
                short += [(f["name"], "missing-cell", [i + offset]) for f in columns[n:]]
        kept.append(out.select(names))
        offset += out.height
    frame = pl.concat(kept)
    found = header(fields, labels) + found + short
    if pk := schema.get("primaryKey", []):
        empty = frame.select(pl.all_horizontal(pl.col(k).is_null() for k in pk)).to_series()
        twice = set(empty.arg_true().to_list()) | set(repeats(frame, pk, nulls=True))
        found.append((None, "primary-key", [r + 2 for r in sorted(twice)]))
    for f in columns:
        if f.get("constraints", {}).get("unique"):
            rows = repeats(frame, [f["name"]], nulls=False)
            found.append((f["name"], "unique-error", [r + 2 for r in rows]))
    return found, frame.select(n for n in names if n in keep)


def foreign(schema: Spec, keys: dict[str, pl.DataFrame], own: pl.DataFrame) -> list[Found]:
    found: list[Found] = []
    for fk in schema.get("foreignKeys", []):
        local, ref = fk["fields"], fk["reference"]["fields"]
        target = keys[fk["reference"]["resource"]].select(key(ref)).to_series().implode()
        given = ~pl.all_horizontal(pl.col(k).is_null() for k in local)
        orphans = own.select(given & ~key(local).is_in(target)).to_series()
        found.append((None, "foreign-key", (orphans.arg_true() + 2).to_list()))
    return found


def main() -> None:
    descriptor = Path(sys.argv[1])
    resources = json.loads(descriptor.read_text())["resources"]
    keep = {r["name"]: set(r["schema"].get("primaryKey", [])) for r in resources}
    for res in resources:
        for fk in res["schema"].get("foreignKeys", []):
            keep[res["name"]] |= set(fk["fields"])
            keep[fk["reference"]["resource"]] |= set(fk["reference"]["fields"])
    keys: dict[str, pl.DataFrame] = {}
    errors: list[tuple[str, Found]] = []
    for res in resources:
        path = descriptor.parent / res["path"]
        found, keys[res["name"]] = check(path, res["schema"], keep[res["name"]])
        errors += [(res["name"], f) for f in found]
    for res in resources:
        errors += [(res["name"], f) for f in foreign(res["schema"], keys, keys[res["name"]])]
    result: dict[str, object] = {"errors": sum(len(rows) for _, (_, _, rows) in errors)}
    if "--list" in sys.argv:
        result["list"] = [(name, r, f, kind) for name, (f, kind, rows) in errors for r in rows]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
