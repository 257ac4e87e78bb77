"""Benchmark `etl validate` against `frictionless validate`, a plain-polars floor and the
least any polars-based checker does (read_only.py: every cell parsed once, nothing checked).

For each size, generates a package with errors of every type injected (and a valid twin),
then runs the four tools on both, in this one run, each in its own process and each
writing JSON: wall time and CPU time (user + sys of the process and its threads, from
os.wait4; medians of --repeat runs), peak RSS, the machine's 1-minute load average before
the run and the CPU time other processes used during it, and errors found against errors
injected. The (resource, row, field, type) sets of etl and of the floor are each compared
with frictionless'. Wider packages (--wide) and an etl-only memory run at a large size
(--memory) follow. Writes the tables and the targets of the issue to benchmarks/RESULTS.md.

    python benchmarks/run.py                      # the issue's sizes: about an hour
    python benchmarks/run.py --sizes 100k --wide none --memory none --repeat 1
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
from generate import FIELDS, generate

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TOOLS = ("etl", "frictionless", "floor", "read")
ROW_LEVEL = {"blank-row", "primary-key", "foreign-key", "extra-cell", "extra-label"}
#: Modules `etl --help` must not import (each costs start-up time on every command).
HEAVY = ("polars", "pandera", "frictionless", "yaml")
Key = tuple[str, int | None, str | None, str]
#: The line after which RESULTS.md holds notes written by hand (the reasons for a target
#: missed, the next lever), kept when the figures above it are written again.
NOTES = "<!-- notes written by hand: kept by run.py -->"


@dataclass
class Run:
    """Medians of wall and CPU seconds, peak RSS, load, and the output of one tool."""

    wall: float
    cpu: float
    rss_mb: float
    load: float  # the largest 1-minute load average seen before a run
    others: float  # other processes' CPU seconds per wall second, the largest of the runs
    errors: int
    keys: set[Key] | None


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def sizes(text: str) -> list[int]:
    return [] if text == "none" else [parse_size(t) for t in text.split(",")]


def compile_bytecode(folder: Path) -> None:
    """Write the bytecode of every module under `folder`, as pip writes it when it installs
    a package. An editable install (the README's) has none until a first import writes it,
    and none at all where PYTHONDONTWRITEBYTECODE is set (as on CI machines): etl's modules
    would then be compiled from source at every run, about 40 ms of its start-up, which an
    installed frictionless does not pay."""
    import compileall

    compileall.compile_dir(folder, quiet=1)


def etl_folder() -> Path:
    """The folder of the etl package this Python imports."""
    import etl

    return Path(etl.__file__).resolve().parent


def busy_seconds() -> float | None:
    """CPU seconds all processes have used since boot (Linux /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


#: A small process that starts each measured command and reports its rusage. Linux counts
#: into a child's peak RSS (ru_maxrss) the memory of the process that forked it, so forked
#: from this one (which holds every finding read so far: 660 MB after the 5M-row runs)
#: every child seemed to peak at least that high; forked from this spawner (a few MB), it
#: does not.
SPAWNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    command, out = json.loads(line)
    with open(out, "wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([wall, cpu, usage.ru_maxrss]), flush=True)
"""


class Spawner:
    """The spawner process, started while this one is small."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, command: list[str], out: Path) -> tuple[float, float, float]:
        """Wall seconds, CPU seconds and peak RSS (MB) of one command, its stdout to `out`."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([command, str(out)]) + "\n")
        self.process.stdin.flush()
        wall, cpu, rss = json.loads(self.process.stdout.readline())
        return wall, cpu, rss / 1024


SPAWN: Spawner | None = None


def measure(command: list[str]) -> tuple[float, float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS in MB, others' CPU share, stdout of one process."""
    global SPAWN
    if SPAWN is None:
        SPAWN = Spawner()
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}.out"
    before = busy_seconds()
    wall, cpu, rss = SPAWN.run(command, out_path)
    after = busy_seconds()
    others = 0.0 if before is None or after is None else max(after - before - cpu, 0) / wall
    text = out_path.read_text(encoding="utf-8")
    out_path.unlink()
    return wall, cpu, rss, others, text


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


def floor_keys(text: str) -> set[Key]:
    return {_normal(*item) for item in json.loads(text)["list"]}


def command(tool: str, descriptor: Path) -> list[str]:
    """The command line of a tool; each writes its findings as JSON."""
    match tool:
        case "etl":
            return [str(BIN / "etl"), "validate", str(descriptor), "--format", "json"]
        case "frictionless":
            limit = ["--limit-errors", "100000000"]  # every error, not the first 1,000
            return [str(BIN / "frictionless"), "validate", "--json", *limit, str(descriptor)]
        case "read":
            return [sys.executable, str(HERE / "read_only.py"), str(descriptor)]
    return [sys.executable, str(HERE / "floor.py"), str(descriptor), "--list"]


def run_tool(tool: str, descriptor: Path, repeat: int) -> Run:
    walls, cpus, rss, loads, others = [], [], [], [], []
    text = ""
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        wall, cpu, peak, other, text = measure(command(tool, descriptor))
        walls.append(wall)
        cpus.append(cpu)
        rss.append(peak)
        others.append(other)
    data = json.loads(text)
    if tool == "etl":
        keys, errors = etl_keys(text, descriptor), len(data["findings"])
    elif tool == "frictionless":
        keys, errors = frictionless_keys(text), sum(len(t["errors"]) for t in data["tasks"])
    elif tool == "read":  # checks nothing: its time is a lower bound, its findings none
        keys, errors = None, 0
    else:
        keys, errors = floor_keys(text), int(data["errors"])
    median = statistics.median
    return Run(median(walls), median(cpus), max(rss), max(loads), max(others), errors, keys)


@dataclass
class Case:
    """One package measured: its rows, width, validity, injected errors and runs by tool."""

    rows: int
    columns: int
    label: str
    injected: int
    runs: dict[str, Run]

    def same(self, tool: str) -> str:
        run, peer = self.runs.get(tool), self.runs.get("frictionless")
        if run is None or peer is None or run.keys is None or peer.keys is None:
            return "-"
        return "yes" if run.keys == peer.keys else "NO"


def package(workdir: Path, rows: int, columns: int, valid: bool) -> tuple[Path, int]:
    """The generated package (made once, then reused) and its number of injected errors."""
    label = "valid" if valid else "invalid"
    folder = workdir / f"{rows}-{columns}-{label}"
    marker = folder / "expected.json"
    if not marker.exists():
        generate(folder, rows, valid=valid, columns=columns)
    return folder / "datapackage.json", len(json.loads(marker.read_text()))


def measure_case(
    args: argparse.Namespace, rows: int, columns: int, valid: bool, tools: tuple[str, ...]
) -> Case:
    descriptor, injected = package(args.workdir, rows, columns, valid)
    runs = {}
    for tool in tools:
        slow = tool == "frictionless" and rows * columns >= 1_000_000 * len(FIELDS)
        runs[tool] = run_tool(tool, descriptor, args.slow_repeat if slow else args.repeat)
        shown = {k: v for k, v in vars(runs[tool]).items() if k != "keys"}
        print(f"{rows} x {columns} {'valid' if valid else 'invalid'} {tool}: {shown}", flush=True)
    return Case(rows, columns, "valid" if valid else "invalid", injected, runs)


def table(cases: list[Case]) -> list[str]:
    lines = [
        "| rows | columns | package | tool | wall s | CPU s | peak RSS MB | load before "
        "| others' CPU | errors found / injected | same set as frictionless |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        for tool, r in case.runs.items():
            lines.append(
                f"| {case.rows:,} | {case.columns} | {case.label} | {tool} | {r.wall:.2f} "
                f"| {r.cpu:.2f} | {r.rss_mb:.0f} | {r.load:.2f} | {r.others:.2f} "
                f"| {r.errors:,} / {case.injected:,} "
                f"| {'-' if tool == 'frictionless' else case.same(tool)} |"
            )
    return lines


def ratio_table(cases: list[Case]) -> list[str]:
    lines = [
        "| rows | columns | package | frictionless / etl, wall | frictionless / etl, CPU "
        "| etl / floor, wall | etl / floor, CPU | etl RSS / frictionless RSS "
        "| frictionless / read, wall | frictionless / read, CPU |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        if not {"etl", "frictionless", "floor"} <= set(c.runs):
            continue
        etl, fl, floor = c.runs["etl"], c.runs["frictionless"], c.runs["floor"]
        lines.append(
            f"| {c.rows:,} | {c.columns} | {c.label} | {fl.wall / etl.wall:.1f}x "
            f"| {fl.cpu / etl.cpu:.1f}x | {etl.wall / floor.wall:.2f}x "
            f"| {etl.cpu / floor.cpu:.2f}x | {etl.rss_mb / fl.rss_mb:.2f} "
            f"| {_ceiling(c, 'wall')} | {_ceiling(c, 'cpu')} |"
        )
    return lines


def _ceiling(case: Case, measure: str) -> str:
    """frictionless' time over the read-only tool's: the most any tool that reads the cells
    with polars could be faster than frictionless on this machine."""
    if "read" not in case.runs:
        return "-"
    fl, bound = case.runs["frictionless"], case.runs["read"]
    return f"{getattr(fl, measure) / getattr(bound, measure):.1f}x"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _speed(cases: list[Case], goal: float, what: str) -> str:
    if not cases:
        return f"- {what}: not measured in this run"
    wall = [c.runs["frictionless"].wall / c.runs["etl"].wall for c in cases]
    cpu = [c.runs["frictionless"].cpu / c.runs["etl"].cpu for c in cases]
    same = all(c.same("etl") == "yes" and c.same("floor") == "yes" for c in cases)
    ok = min(wall) >= goal and min(cpu) >= goal and same
    bound = [c for c in cases if "read" in c.runs]
    ceiling = (
        f"; reading the cells alone (read_only.py) is {_span(bound, 'wall')} by wall "
        f"and {_span(bound, 'cpu')} by CPU"
        if bound
        else ""
    )
    return (
        f"- {what}: {_verdict(ok)} - by wall time {min(wall):.1f}x to {max(wall):.1f}x, by CPU "
        f"time {min(cpu):.1f}x to {max(cpu):.1f}x; same set as frictionless, etl and floor: "
        f"{'yes' if same else 'NO'}{ceiling}"
    )


def _span(cases: list[Case], measure: str) -> str:
    """The range of frictionless' time over the read-only tool's."""
    ratios = [
        getattr(c.runs["frictionless"], measure) / getattr(c.runs["read"], measure) for c in cases
    ]
    return f"{min(ratios):.1f}x to {max(ratios):.1f}x"


def targets(cases: list[Case], memory: list[Case], limit_mb: float) -> list[str]:
    """The issue's targets, each said met or not, from this run."""
    compared = [c for c in cases if {"etl", "frictionless", "floor"} <= set(c.runs)]
    narrow = [c for c in compared if c.columns == len(FIELDS) and c.rows >= 1_000_000]
    wide = [c for c in compared if c.columns >= 50 and c.rows >= 1_000_000]
    out = ["Targets:", ""]
    out.append(_speed(narrow, 50, "at least 50x frictionless at 1M rows and more"))
    out.append(_speed(wide, 30, "at least 30x frictionless at 50 columns and 1M rows"))
    pairs = [(c, c.runs["etl"].rss_mb, c.runs["frictionless"].rss_mb) for c in compared]
    worst = max(pairs, key=lambda p: p[1] / p[2]) if pairs else None
    if worst is not None:
        c, ours, theirs = worst
        ok = all(ours < theirs for _, ours, theirs in pairs)
        out.append(
            f"- peak RSS below frictionless' at every size: {_verdict(ok)} - closest: "
            f"{ours:.0f} MB against {theirs:.0f} MB ({c.rows:,} x {c.columns}, {c.label})"
        )
    for c in memory:
        rss = c.runs["etl"].rss_mb
        out.append(
            f"- {c.rows:,} rows ({c.label}) in under {limit_mb:,.0f} MB: "
            f"{_verdict(rss < limit_mb)} - {rss:.0f} MB"
        )
    found = help_imports()
    out.append(
        f"- `etl --help` imports none of {', '.join(HEAVY)}: {_verdict(not found)}"
        f" - imported: {', '.join(found) or 'none'}"
    )
    return out


def help_imports() -> list[str]:
    """Which of HEAVY `etl --help` imports, in a fresh process."""
    code = (
        "import sys, runpy; sys.argv = ['etl', '--help']\n"
        "try:\n    runpy.run_module('etl', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return [m for m in last.split(",") if m]


def header(args: argparse.Namespace) -> list[str]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        "# Benchmark results",
        "",
        f"Written by `{' '.join(['python benchmarks/run.py', *sys.argv[1:]])}`"
        f" on {time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average at the start {load}.",
        "",
        f"Each tool writes JSON. Wall and CPU time (user + sys, all threads) are medians of "
        f"{args.repeat} runs ({args.slow_repeat} for frictionless from 9 million cells); peak "
        "RSS is the largest of the runs. 'load before' is the largest 1-minute load average "
        "seen just before a run: the benchmark's own earlier runs raise it, so 'others' CPU' "
        "(CPU seconds of all other processes per second of the run, from /proc/stat) is the "
        "measure of outside load. 'same set' compares the (resource, row, field, type) sets "
        "of etl and of the floor with frictionless'.",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100k,1M,5M", help="row counts, e.g. 100k,1M,5M")
    parser.add_argument("--wide", default="1M", help="row counts of the wide packages, or none")
    parser.add_argument("--columns", type=int, default=50, help="width of the wide packages")
    parser.add_argument("--memory", default="20M", help="rows of the etl-only memory run")
    parser.add_argument("--memory-limit-mb", type=float, default=1500)
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and package")
    parser.add_argument(
        "--slow-repeat", type=int, default=1, help="runs of frictionless from 9M cells"
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="tools to run, of " + ", ".join(TOOLS)
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/etl-bench"))
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    global SPAWN
    SPAWN = Spawner()  # now, while this process is small
    compile_bytecode(etl_folder())
    cases: list[Case] = []
    for columns, counts in ((len(FIELDS), args.sizes), (args.columns, args.wide)):
        for rows in sizes(counts):
            for valid in (False, True):
                tools = tuple(t for t in TOOLS if t in args.tools.split(","))
                cases.append(measure_case(args, rows, columns, valid, tools))
    memory = [
        measure_case(args, rows, len(FIELDS), valid, ("etl",))
        for rows in sizes(args.memory)
        for valid in (False, True)
    ]
    lines = [
        *header(args),
        *table(cases + memory),
        "",
        *ratio_table(cases),
        "",
        *targets(cases, memory, args.memory_limit_mb),
        "",
    ]
    warn = 0.5 * (os.cpu_count() or 1)
    runs = [r for c in cases + memory for r in c.runs.values()]
    if loaded := [r for r in runs if r.load > warn]:
        lines += [
            f"WARNING: the load average was above 0.5 per core ({warn:.1f}) before "
            f"{len(loaded)} of {len(runs)} measurements (the benchmark's own runs count in it).",
            "",
        ]
    if busy := [r for r in runs if r.others > warn]:
        lines += [
            f"WARNING: other processes used more than 0.5 of a core per core ({warn:.1f}) "
            f"during {len(busy)} of {len(runs)} measurements: not a quiet machine.",
            "",
        ]
    notes = ""  # what is written by hand after NOTES is kept from the last results
    if args.output.exists() and NOTES in (old := args.output.read_text(encoding="utf-8")):
        notes = old[old.index(NOTES) :]
    args.output.write_text("\n".join(lines) + notes, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
