"""Benchmark `etl validate` against `frictionless validate` and a plain-polars floor.

For each size, generates a package with errors of every type injected (and a valid twin),
then runs the three tools on both, in this one run, each in its own process: wall time
(median of --repeat runs), peak RSS (of that process, from os.wait4), rows per second, and
errors found against errors injected; checks that etl and frictionless report the same set
of (resource, row, field, type). Writes the table to benchmarks/RESULTS.md.

    python benchmarks/run.py                      # 100k, 1M and 5M rows
    python benchmarks/run.py --sizes 100k --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
#: etl is timed with its default text output, as a CI log shows it; one run with
#: --format json gives the findings compared with frictionless' (and its own time).
TOOLS = ("etl", "etl --format json", "frictionless", "floor")
ROW_LEVEL = {"blank-row", "primary-key", "foreign-key", "extra-cell", "extra-label"}
Key = tuple[str, int | None, str | None, str]


@dataclass
class Run:
    """Median wall time, peak RSS and the output of one tool on one package."""

    wall: float
    rss_mb: float
    errors: int
    keys: set[Key] | None


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout of one process."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}.out"
    with out_path.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    text = out_path.read_text(encoding="utf-8")
    out_path.unlink()
    return wall, usage.ru_maxrss / 1024, text


def _normal(resource: str, row: int | None, field: str | None, kind: str) -> Key:
    if kind in ROW_LEVEL:
        field = None
    return (resource, row, field or None, kind)


def etl_keys(text: str, descriptor: Path) -> set[Key]:
    names = {
        Path(r["path"]).name: r["name"] for r in json.loads(descriptor.read_text())["resources"]
    }
    data = json.loads(text)
    return {
        _normal(names.get(Path(f["file"]).name, f["file"]), f["row"], f["field"], f["kind"])
        for f in data["findings"]
    }


def frictionless_keys(text: str) -> set[Key]:
    data = json.loads(text)
    out = set()
    for task in data["tasks"]:
        for error in task["errors"]:
            row = error.get("rowNumber") or (1 if "rowNumbers" in error else None)
            out.add(_normal(task["name"], row, error.get("fieldName"), error["type"]))
    return out


def run_tool(tool: str, descriptor: Path, repeat: int) -> Run:
    commands = {
        "etl": [str(BIN / "etl"), "validate", str(descriptor)],
        "etl --format json": [str(BIN / "etl"), "validate", str(descriptor), "--format", "json"],
        "frictionless": [
            str(BIN / "frictionless"),
            "validate",
            "--json",
            "--limit-errors",
            "100000000",
            str(descriptor),
        ],
        "floor": [sys.executable, str(HERE / "floor.py"), str(descriptor)],
    }
    walls, rss = [], []
    text = ""
    for _ in range(repeat):
        wall, peak, text = measure(commands[tool])
        walls.append(wall)
        rss.append(peak)
    if tool == "etl":
        keys: set[Key] | None = None
        errors = len(text.splitlines())  # one line per finding
    elif tool == "etl --format json":
        keys = etl_keys(text, descriptor)
        errors = len(json.loads(text)["findings"])
    elif tool == "frictionless":
        keys = frictionless_keys(text)
        errors = sum(len(t["errors"]) for t in json.loads(text)["tasks"])
    else:
        keys = None
        errors = int(json.loads(text)["errors"])
    return Run(statistics.median(walls), max(rss), errors, keys)


def targets(ratios: list[tuple[int, str, dict[str, Run]]]) -> list[str]:
    """The issue's targets at 1M rows and more, each said met or not, from this run."""
    big = [(rows, label, r) for rows, label, r in ratios if rows >= 1_000_000]
    if not big:
        return ["Targets apply from 1M rows: run with --sizes 1M,5M to check them."]
    out = ["Targets (invalid and valid packages, 1M rows and more):", ""]
    speed = [r["frictionless"].wall / r["etl"].wall for _, _, r in big]
    floor_speed = [r["frictionless"].wall / r["floor"].wall for _, _, r in big]
    same = all(r["etl --format json"].keys == r["frictionless"].keys for _, _, r in big)
    out.append(
        f"- at least 50x faster than frictionless with the same findings: "
        f"{'met' if min(speed) >= 50 and same else 'NOT met'} - {min(speed):.1f}x to "
        f"{max(speed):.1f}x, same findings: {'yes' if same else 'NO'} (the floor itself is "
        f"{min(floor_speed):.1f}x to {max(floor_speed):.1f}x faster than frictionless here)"
    )
    ratio = [r["etl"].wall / r["floor"].wall for _, _, r in big]
    out.append(
        f"- at most 2x the plain-polars floor: {'met' if max(ratio) <= 2 else 'NOT met'} - "
        f"{min(ratio):.2f}x to {max(ratio):.2f}x"
    )
    largest = max(rows for rows, _, _ in big)
    rss = [(r["etl"].rss_mb, r["frictionless"].rss_mb) for rows, _, r in big if rows == largest]
    below = all(ours < theirs for ours, theirs in rss)
    shown = ", ".join(f"{ours:.0f} MB against {theirs:.0f} MB" for ours, theirs in rss)
    out.append(
        f"- peak RSS below frictionless' at {largest:,} rows: {'met' if below else 'NOT met'}"
        f" - {shown}"
    )
    return out


def help_imports() -> str:
    """Which heavy modules `etl --help` imports (it should import none)."""
    code = (
        "import sys; from click.testing import CliRunner; from etl.cli import main; "
        "CliRunner().invoke(main, ['--help']); "
        "print(','.join(m for m in ('polars', 'pandera', 'frictionless') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    return found or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100k,1M,5M", help="row counts, e.g. 100k,1M,5M")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and package")
    parser.add_argument(
        "--slow-repeat",
        type=int,
        default=1,
        help="runs of etl --format json, and of frictionless from 5M rows (minutes each)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/etl-bench"))
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py --sizes {args.sizes} --repeat {args.repeat}` "
        f"on {time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Wall time is the median of {args.repeat} runs "
        f"({args.slow_repeat} for `etl --format json`, and for frictionless from 5M rows); "
        "peak RSS is the largest of the runs. 'same set' compares the (resource, row, field, "
        "type) sets of `etl --format json` and frictionless. Ratios use `etl` (text output).",
        "",
        "| rows | package | tool | wall s | peak RSS MB | rows/s | errors found / injected "
        "| same set as frictionless |",
        "|---:|---|---|---:|---:|---:|---:|---|",
    ]
    ratios = []
    for size_text in args.sizes.split(","):
        rows = parse_size(size_text)
        for valid in (False, True):
            label = "valid" if valid else "invalid"
            folder = args.workdir / f"{rows}-{label}"
            marker = folder / "expected.json"
            if not marker.exists():
                generate(folder, rows, valid=valid)
            injected = len(json.loads(marker.read_text()))
            descriptor = folder / "datapackage.json"
            results: dict[str, Run] = {}
            for tool in TOOLS:
                repeat = args.repeat
                if tool == "etl --format json" or (tool == "frictionless" and rows >= 5_000_000):
                    repeat = args.slow_repeat
                results[tool] = run_tool(tool, descriptor, repeat)
                print(f"{rows} {label} {tool}: {results[tool]}"[:200], flush=True)
            same = results["etl --format json"].keys == results["frictionless"].keys
            for tool, result in results.items():
                same_text = "-" if result.keys is None else ("yes" if same else "NO")
                speed = rows / result.wall
                lines.append(
                    f"| {rows:,} | {label} | {tool} | {result.wall:.2f} | {result.rss_mb:.0f} "
                    f"| {speed:,.0f} | {result.errors:,} / {injected:,} | {same_text} |"
                )
            ratios.append((rows, label, results))
            args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines += [
        "",
        "| rows | package | frictionless / etl (speed-up) | etl / floor "
        "| etl RSS / frictionless RSS |",
        "|---:|---|---:|---:|---:|",
    ]
    for rows, label, results in ratios:
        etl, fl, floor = results["etl"], results["frictionless"], results["floor"]
        lines.append(
            f"| {rows:,} | {label} | {fl.wall / etl.wall:.1f}x | {etl.wall / floor.wall:.2f}x "
            f"| {etl.rss_mb / fl.rss_mb:.2f} |"
        )
    lines += [
        "",
        *targets(ratios),
        "",
        f"`etl --help` imports of polars, pandera, frictionless: {help_imports()}.",
        "",
    ]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
