"""Generate benchmark data packages: a large CSV with errors of every type injected at known
rows (and a valid twin), with the list of errors injected.

Run `python benchmarks/generate.py FOLDER ROWS [--valid] [--columns N]`; `generate()` is the
library entry. With N above 9, `main.csv` gains N - 9 fields (integer, number, string with a
pattern, date, boolean, in turn), valid in every row but the rows whose cells are missing.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

#: One error kind per slot of every CYCLE rows; the row's other cells stay valid.
CYCLE = 1000
CODES = [f"C{i}" for i in range(50)]
#: The lookup table holds every enum code but C49 (so C49 is a foreign-key error only), and
#: C50, which the enum does not allow (a constraint error only).
LOOKUP = [*CODES[:-1], "C50"]
FIELDS = ["id", "name", "email", "score", "count", "flag", "day", "code", "note"]
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string", "constraints": {"required": True, "minLength": 2}},
        {
            "name": "email",
            "type": "string",
            "constraints": {"unique": True, "pattern": "[a-z0-9.]+@example[.]org"},
        },
        {"name": "score", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "flag", "type": "boolean"},
        {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
        {"name": "code", "type": "string", "constraints": {"enum": CODES}},
        {"name": "note", "type": "string", "constraints": {"maxLength": 60}},
    ],
    "primaryKey": ["id"],
    "foreignKeys": [{"fields": ["code"], "reference": {"resource": "codes", "fields": ["code"]}}],
}
SMALL_SCHEMA = {
    "fields": [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "string"},
        {"name": "c", "type": "string"},
    ]
}

Error = tuple[str, int, str | None, str]
#: The types of the fields added by a width above len(FIELDS), in turn.
EXTRA_TYPES = ("integer", "number", "string", "date", "boolean")


def _extra_field(at: int) -> dict[str, object]:
    """Field `at` (from len(FIELDS) on) of a wider table."""
    kind = EXTRA_TYPES[at % len(EXTRA_TYPES)]
    field: dict[str, object] = {"name": f"x{at}", "type": kind}
    if kind == "string":
        field["constraints"] = {"pattern": "v[0-9]+"}
    return field


def _extra_cells(at: int, i: int) -> str:
    """Row i's valid cell of extra field `at`."""
    match EXTRA_TYPES[at % len(EXTRA_TYPES)]:
        case "integer":
            return str(i * at % 9973)
        case "number":
            return f"{i % 1000}.{at % 10}"
        case "string":
            return f"v{i % 10_000}"
        case "date":
            return f"20{10 + at % 12}-0{1 + i % 9}-1{i % 10}"
    return "true" if (i + at) % 2 else "false"


def _row(i: int, rnd: random.Random) -> list[str]:
    return [
        str(i),
        f"name {i % 977}",
        f"user{i}@example.org",
        f"{rnd.random() * 100:.3f}",
        str(rnd.randint(0, 1000)),
        "true" if i % 2 else "false",
        f"20{10 + i % 12}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        CODES[i % 49],
        f'"a note, with a comma {i}"',
    ]


def _inject(
    slot: int, cells: list[str], i: int, row: int, fields: list[str]
) -> tuple[list[str], list[Error]]:
    """Break the row for its slot; the errors frictionless reports for it."""
    t = "main"
    match slot:
        case 0:
            cells[4] = "x12"
            return cells, [(t, row, "count", "type-error")]
        case 1:
            cells[3] = "1..5"
            return cells, [(t, row, "score", "type-error")]
        case 2:
            cells[5] = "maybe"
            return cells, [(t, row, "flag", "type-error")]
        case 3:
            cells[6] = "2021-02-30"
            return cells, [(t, row, "day", "type-error")]
        case 4:
            cells[1] = ""
            return cells, [(t, row, "name", "constraint-error")]
        case 5:
            cells[1] = "A"
            return cells, [(t, row, "name", "constraint-error")]
        case 6:
            cells[8] = "n" * 61
            return cells, [(t, row, "note", "constraint-error")]
        case 7:
            cells[2] = f"Bad{i}@example.org"
            return cells, [(t, row, "email", "constraint-error")]
        case 8:
            cells[3] = "-1"
            return cells, [(t, row, "score", "constraint-error")]
        case 9:
            cells[3] = "100.5"
            return cells, [(t, row, "score", "constraint-error")]
        case 10:
            cells[7] = "C50"
            return cells, [(t, row, "code", "constraint-error")]
        case 11:
            cells[7] = "C49"
            return cells, [(t, row, None, "foreign-key")]
        case 12:
            cells[2] = f"user{i - 1}@example.org"
            return cells, [(t, row, "email", "unique-error")]
        case 13:
            cells[0] = str(i - 1)
            return cells, [(t, row, None, "primary-key")]
        case 14:
            return cells[:3], [(t, row, f, "missing-cell") for f in fields[3:]]
        case 15:
            return [*cells, "extra"], [(t, row, None, "extra-cell")]
        case 16:
            return [""] * len(cells), [(t, row, None, "blank-row"), (t, row, None, "primary-key")]
        case 17:
            cells[6] = "1999-12-31"
            return cells, [(t, row, "day", "constraint-error")]
    return cells, []


def generate(
    folder: Path, rows: int, *, valid: bool = False, seed: int = 1, columns: int = len(FIELDS)
) -> list[Error]:
    """Write a package of `rows` rows (`columns` fields wide, at least len(FIELDS)) into
    `folder`; the errors injected (none when valid)."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    errors: list[Error] = []
    added = range(len(FIELDS), max(columns, len(FIELDS)))
    names = FIELDS + [f"x{at}" for at in added]
    with (folder / "main.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(names) + "\n")
        lines = []
        for i in range(rows):
            cells = _row(i, rnd) + [_extra_cells(at, i) for at in added]
            if not valid and i >= CYCLE:
                cells, found = _inject(i % CYCLE, cells, i, i + 2, names)
                errors.extend(found)
            lines.append(",".join(cells))
            if len(lines) >= 100_000:
                out.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            out.write("\n".join(lines) + "\n")
    (folder / "codes.csv").write_text(
        "code,label\n" + "".join(f"{c},Code {c}\n" for c in LOOKUP), encoding="utf-8"
    )
    header = "a,b,c" if valid else "a,a,x,d"
    extra = "" if valid else ",4"
    (folder / "header.csv").write_text(
        f"{header}\n" + "".join(f"{n},b{n},c{n}{extra}\n" for n in range(3)), encoding="utf-8"
    )
    (folder / "short.csv").write_text(
        ("a,b,c\n1,x,y\n" if valid else "a,\n1,x\n"), encoding="utf-8"
    )
    if not valid:
        errors += [
            ("header", 1, "b", "duplicate-label"),
            ("header", 1, "c", "incorrect-label"),
            ("header", 1, None, "extra-label"),
            ("short", 1, "b", "blank-label"),
            ("short", 1, "c", "missing-label"),
        ]
    package = {
        "name": "benchmark",
        "resources": [
            {
                "name": "main",
                "path": "main.csv",
                "schema": {**SCHEMA, "fields": SCHEMA["fields"] + [_extra_field(a) for a in added]},
            },
            {
                "name": "codes",
                "path": "codes.csv",
                "schema": {
                    "fields": [
                        {"name": "code", "type": "string"},
                        {"name": "label", "type": "string"},
                    ]
                },
            },
            {"name": "header", "path": "header.csv", "schema": SMALL_SCHEMA},
            {"name": "short", "path": "short.csv", "schema": SMALL_SCHEMA},
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps(errors), encoding="utf-8")
    return errors


def main() -> None:
    """Command line: generate FOLDER ROWS [--valid] [--columns N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("rows", type=int)
    parser.add_argument("--valid", action="store_true")
    parser.add_argument("--columns", type=int, default=len(FIELDS), help="fields of main.csv")
    args = parser.parse_args()
    errors = generate(args.folder, args.rows, valid=args.valid, columns=args.columns)
    print(f"{args.folder}: {args.rows} rows, {len(errors)} errors injected")


if __name__ == "__main__":
    main()
