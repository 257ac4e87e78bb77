"""Benchmark `etl validate` against itself at an earlier commit: is the CSV path slower?

The earlier commit's `etl/` is taken from git (`git archive`) into a temporary folder and
run by this same Python, with the same installed libraries, so only etl's own code
differs. Both are started the same way (`python -c`, the package first on sys.path), from
run.py's spawner, in alternating order, --repeat times each, on run.py's generated
packages (invalid and valid twins). Prints, and writes to benchmarks/BASELINE.md, the
medians of wall and CPU time (user + sys, all threads), the peak RSS, the load before and
others' CPU during the runs, the ratios now/then, and whether both found the same
(resource, row, field, type) set.

    python benchmarks/baseline.py                     # against c5bdf6b, 1M and 5M rows
    python benchmarks/baseline.py --against HEAD~3 --sizes 100k --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run
from generate import FIELDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: main when the work on "etl validate reads what frictionless reads" (#12) began.
BEFORE = "c5bdf6b"
LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from etl.cli import main; main()"


@dataclass
class Side:
    """The runs of one version on one package."""

    walls: list[float]
    cpus: list[float]
    rss: list[float]
    loads: list[float]
    others: list[float]
    keys: set[run.Key] | None = None


def checkout(revision: str, into: Path) -> str:
    """The commit `revision` names, its etl/ extracted into `into`."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", revision],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "etl"],
        capture_output=True,
        check=True,
    ).stdout
    tar = into / "etl.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as handle:
        handle.extractall(into, filter="data")
    return commit


def measure(root: Path, descriptor: Path, side: Side) -> None:
    """One run of the etl under `root` on the package, added to `side`."""
    command = [sys.executable, "-c", LAUNCH, str(root), "validate", str(descriptor)]
    side.loads.append(os.getloadavg()[0])
    wall, cpu, rss, others, text = run.measure([*command, "--format", "json"])
    side.walls.append(wall)
    side.cpus.append(cpu)
    side.rss.append(rss)
    side.others.append(others)
    side.keys = run.etl_keys(text, descriptor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default=BEFORE, help="the earlier commit")
    parser.add_argument("--sizes", default="1M,5M", help="row counts, e.g. 100k,1M,5M")
    parser.add_argument("--repeat", type=int, default=5, help="runs per version and package")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/etl-bench"))
    parser.add_argument("--output", type=Path, default=HERE / "BASELINE.md")
    args = parser.parse_args()
    run.SPAWN = run.Spawner()  # now, while this process is small
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "etl"], capture_output=True, text=True
    ).stdout.strip()
    now = f"{head}{' with changes' if dirty else ''}"
    rows_out: list[str] = []
    busiest = 0.0
    with tempfile.TemporaryDirectory() as folder:
        then = checkout(args.against, Path(folder))
        for tree in (Path(folder), ROOT):  # both as installed: see run.compile_bytecode
            run.compile_bytecode(tree / "etl")
        for rows in run.sizes(args.sizes):
            for valid in (False, True):
                descriptor, _ = run.package(args.workdir, rows, len(FIELDS), valid)
                sides = {name: Side([], [], [], [], []) for name in ("then", "now")}
                for turn in range(args.repeat):
                    order = ("then", "now") if turn % 2 == 0 else ("now", "then")
                    for name in order:
                        root = Path(folder) if name == "then" else ROOT
                        measure(root, descriptor, sides[name])
                label = f"{rows:,} rows, {'valid' if valid else 'invalid'}"
                print(label, {k: (v.walls, v.cpus) for k, v in sides.items()}, flush=True)
                rows_out.append(line(label, sides))
                busiest = max([busiest, *sides["then"].others, *sides["now"].others])
    warn = 0.5 * (os.cpu_count() or 1)
    lines = [
        "# etl validate now against an earlier commit",
        "",
        f"Written by `{' '.join(['python benchmarks/baseline.py', *sys.argv[1:]])}` on "
        f"{time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores. Then: {then}; now: {now}. "
        f"Medians of {args.repeat} runs each, in alternating order; ratios are now / then "
        "(below 1: now is faster). 'load' is the largest 1-minute load average before a run; "
        "'others' the largest CPU share other processes took during one.",
        "",
        "| package | then wall s | now wall s | wall now/then | then CPU s | now CPU s "
        "| CPU now/then | then RSS MB | now RSS MB | load | others | same set |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows_out,
        "",
    ]
    if busiest > warn:
        warning = f"WARNING: others' CPU passed 0.5 per core ({warn:.1f}): not a quiet machine."
        lines += [warning, ""]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def line(label: str, sides: dict[str, Side]) -> str:
    """One row of the table."""
    median = statistics.median
    then, now = sides["then"], sides["now"]
    walls = median(then.walls), median(now.walls)
    cpus = median(then.cpus), median(now.cpus)
    load = max(then.loads + now.loads)
    others = max(then.others + now.others)
    same = "yes" if then.keys == now.keys else "no"
    return (
        f"| {label} | {walls[0]:.2f} | {walls[1]:.2f} | {walls[1] / walls[0]:.2f} "
        f"| {cpus[0]:.2f} | {cpus[1]:.2f} | {cpus[1] / cpus[0]:.2f} "
        f"| {max(then.rss):.0f} | {max(now.rss):.0f} | {load:.2f} | {others:.2f} | {same} |"
    )


if __name__ == "__main__":
    main()
