"""Wide files: how `etl validate` time grows with the number of columns.

For each width (default 1,000, 2,000 and 4,000 columns) x `--rows` rows (default 1,000), it
writes a one-resource package whose columns cycle through integer, number, string (with a
maxLength), date and boolean fields, with one type error every 97 cells, then validates it
in this process (the imports are paid once, before the first width) and prints wall time,
CPU time (all threads), CPU time per million cells, findings, and os.getloadavg() after each
run: on a busy machine, wall time says little.

Run `python benchmarks/wide.py [--columns 1000 2000 4000] [--rows 1000] [--workdir DIR]`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The field types the columns cycle through, each with a valid cell and a constraint.
KINDS: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("integer", "42", {}),
    ("number", "9.5", {}),
    ("string", "text", {"maxLength": 10}),
    ("date", "2022-12-19", {}),
    ("boolean", "true", {}),
)


def write_wide(folder: Path, columns: int, rows: int) -> Path:
    """A package of one `columns`-wide CSV of `rows` rows; returns its datapackage.json."""
    folder.mkdir(parents=True, exist_ok=True)
    fields = []
    for at in range(columns):
        kind, _, constraints = KINDS[at % len(KINDS)]
        field: dict[str, object] = {"name": f"f{at}", "type": kind}
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    with (folder / "wide.csv").open("w", encoding="utf-8") as out:
        out.write(",".join(f"f{at}" for at in range(columns)) + "\n")
        for row in range(rows):
            cells = []
            for at in range(columns):
                cell = (row * columns + at) % 97 == 0
                cells.append(
                    "x"
                    if cell and KINDS[at % len(KINDS)][0] != "string"
                    else KINDS[at % len(KINDS)][1]
                )
            out.write(",".join(cells) + "\n")
    resource = {"name": "wide", "path": "wide.csv", "schema": {"fields": fields}}
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    return descriptor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from etl.tableschema.engine import validate_package

    work = args.workdir or Path(tempfile.mkdtemp(prefix="etl-wide-"))
    print(
        f"{'columns':>8} {'rows':>6} {'wall s':>8} {'cpu s':>8} {'cpu s/Mcell':>12} "
        f"{'findings':>9}  load average (1, 5, 15 min)"
    )
    for columns in args.columns:
        descriptor = write_wide(work / f"wide-{columns}", columns, args.rows)
        wall, cpu = time.perf_counter(), time.process_time()
        report = validate_package(descriptor)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        per_million = cpu / (columns * args.rows / 1e6)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"{columns:>8} {args.rows:>6} {wall:>8.2f} {cpu:>8.2f} {per_million:>12.2f} "
            f"{len(report.findings):>9}  {load}",
            flush=True,
        )


if __name__ == "__main__":
    main()
