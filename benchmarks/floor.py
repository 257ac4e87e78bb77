"""The plain-polars floor: the benchmark's checks written directly as polars expressions.

No pandera, no findings as objects, no batches, no multi-line cells: the least work that
finds the same (resource, row, field, type) set on the benchmark packages. Prints
{"errors": N} and, with --list, the errors themselves. Usage: floor.py DATAPACKAGE [--list]
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import polars as pl

INTEGER = r"^\s*[+-]?[0-9]+\s*$"
NUMBER = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"


def typed(field: dict, text: pl.Expr) -> pl.Expr:
    kind = field.get("type", "string")
    if kind == "integer":
        return (
            pl.when(text.str.contains(INTEGER))
            .then(text.str.strip_chars())
            .str.to_integer(strict=False)
        )
    if kind == "number":
        return (
            pl.when(text.str.contains(NUMBER))
            .then(text.str.strip_chars())
            .cast(pl.Float64, strict=False)
        )
    if kind == "boolean":
        true, false = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]
        return pl.when(text.is_in(true)).then(True).when(text.is_in(false)).then(False)
    if kind == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    return text


def bound(field: dict, value: object) -> object:
    if field["type"] == "date":
        return pl.lit(str(value)).str.to_date("%Y-%m-%d")
    return value


def check(folder: Path, res: dict, keys: dict[str, pl.DataFrame]) -> list[pl.DataFrame]:
    schema = res["schema"]
    fields = schema["fields"]
    path = folder / res["path"]
    with path.open(newline="") as handle:
        labels = next(csv.reader(handle))
    name = res["name"]
    out: list[pl.DataFrame] = []

    def errs(frame: pl.DataFrame, field: str | None, kind: str) -> None:
        out.append(
            frame.select(
                pl.lit(name).alias("resource"),
                pl.col("_row").cast(pl.Int64),
                pl.lit(field, pl.String).alias("field"),
                pl.lit(kind).alias("type"),
            )
        )

    head = pl.DataFrame({"_row": [1]})
    for i, (f, label) in enumerate(zip(fields, labels, strict=False)):
        if not label:
            errs(head, f["name"], "blank-label")
        elif label in labels[:i]:
            errs(head, f["name"], "duplicate-label")
        elif label != f["name"]:
            errs(head, f["name"], "incorrect-label")
    for _ in labels[len(fields) :]:
        errs(head, None, "extra-label")
    for f in fields[len(labels) :]:
        errs(head, f["name"], "missing-label")
    width = len(labels)
    columns = [
        f if i < len(fields) else {"name": labels[i], "type": "any"}
        for i, f in enumerate(fields[:width] + [{}] * (width - len(fields)))
    ]
    lines = pl.read_csv(
        path, has_header=False, separator="\x1f", quote_char=None, schema={"l": pl.String}
    ).with_row_index("_i")
    line = pl.col("l").fill_null("")
    count = (
        pl.when(line == "")
        .then(0)
        .otherwise(line.str.replace_all(r'"[^"]*"', "").str.count_matches(",", literal=True) + 1)
    )
    counts = lines.select((pl.col("_i") + 1).alias("_row"), count.alias("n")).filter(
        (pl.col("_row") > 1) & (pl.col("n") != width)
    )
    raw = pl.read_csv(
        path,
        has_header=False,
        skip_rows=1,
        schema={f"c{i}": pl.String for i in range(width)},
        truncate_ragged_lines=True,
        empty_string_is_null=False,
    ).with_row_index("_i")
    raw = raw.join(counts.select((pl.col("_row") - 2).alias("_i"), "n"), on="_i", how="left")
    exprs = [(pl.col("_i") + 2).alias("_row")]
    for i, f in enumerate(columns):
        text = (
            pl.when(pl.col("n").is_not_null() & (pl.col("n") <= i))
            .then(None)
            .otherwise(pl.col(f"c{i}"))
        )
        missing = text.is_null() | (text == "")
        exprs += [
            missing.alias(f"m{i}"),
            pl.when(missing).then(None).otherwise(typed(f, text)).alias(f"v{i}"),
        ]
    frame = raw.select(*exprs, "n")
    blank = pl.all_horizontal([pl.col(f"m{i}") for i in range(width)])
    frame = frame.with_columns(blank.alias("blank"))
    errs(frame.filter("blank"), None, "blank-row")
    live = frame.filter(~pl.col("blank"))
    for i, f in enumerate(columns):
        v, m = pl.col(f"v{i}"), pl.col(f"m{i}")
        bad = ~m & v.is_null()
        errs(live.filter(bad), f["name"], "type-error")
        ok = ~bad
        c = f.get("constraints", {})
        if c.get("required"):
            errs(live.filter(m), f["name"], "constraint-error")
        tests = []
        if "minimum" in c:
            tests.append(v < bound(f, c["minimum"]))
        if "maximum" in c:
            tests.append(v > bound(f, c["maximum"]))
        if "minLength" in c:
            tests.append(v.str.len_chars() < c["minLength"])
        if "maxLength" in c:
            tests.append(v.str.len_chars() > c["maxLength"])
        if "pattern" in c:
            tests.append(~v.str.contains(f"^(?:{c['pattern']})$"))
        if "enum" in c:
            tests.append(~v.is_in(c["enum"]))
        for test in tests:
            errs(live.filter(ok & test.fill_null(False)), f["name"], "constraint-error")
        if c.get("unique"):
            errs(live.filter(v.is_not_null() & ~v.is_first_distinct()), f["name"], "unique-error")
    short = counts.join(frame.select("_row", "blank"), on="_row").filter(~pl.col("blank"))
    for n_cells, part in short.group_by("n"):
        n = int(n_cells[0])
        if n > width:
            for _ in range(n - width):
                errs(part, None, "extra-cell")
        else:
            for f in columns[n:]:
                errs(part, f["name"], "missing-cell")
    names = [f["name"] for f in columns]
    values = frame.select("_row", *[pl.col(f"v{i}").alias(n) for i, n in enumerate(names)])
    pk = schema.get("primaryKey", [])
    if pk:
        key = values.select(
            "_row",
            pl.all_horizontal([pl.col(k).is_null() for k in pk]).alias("empty"),
            pl.struct(pk).is_first_distinct().alias("first"),
        )
        errs(key.filter(pl.col("empty") | ~pl.col("first")), None, "primary-key")
    keys[name] = values
    return out


def foreign(res: dict, keys: dict[str, pl.DataFrame]) -> list[pl.DataFrame]:
    out = []
    for fk in res["schema"].get("foreignKeys", []):
        local, ref = fk["fields"], fk["reference"]["fields"]
        target = keys[fk["reference"]["resource"]].select(
            [pl.col(r).alias(f) for f, r in zip(local, ref, strict=True)]
        )
        values = keys[res["name"]].filter(~pl.all_horizontal([pl.col(k).is_null() for k in local]))
        orphans = values.join(target.unique(), on=local, how="anti", nulls_equal=True)
        out.append(
            orphans.select(
                pl.lit(res["name"]).alias("resource"),
                pl.col("_row").cast(pl.Int64),
                pl.lit(None, pl.String).alias("field"),
                pl.lit("foreign-key").alias("type"),
            )
        )
    return out


def main() -> None:
    descriptor = Path(sys.argv[1])
    package = json.loads(descriptor.read_text())
    keys: dict[str, pl.DataFrame] = {}
    found: list[pl.DataFrame] = []
    for res in package["resources"]:
        found += check(descriptor.parent, res, keys)
    for res in package["resources"]:
        found += foreign(res, keys)
    errors = pl.concat(found)
    result: dict[str, object] = {"errors": errors.height}
    if "--list" in sys.argv:
        result["list"] = errors.rows()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
