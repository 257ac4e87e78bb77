"""`pattern` constraints run by Python's re within a time limit a cell: a pattern that
backtracks exponentially on a hostile cell is a pattern-timeout finding, never a hang.

The fixture tests/data/hostile/pattern-backtracking/ holds two such patterns: one Python's re
runs on every cell (a look-ahead), one polars runs on printable ASCII cells (in linear time)
and re on the others. Frictionless-py, run live, is the reference on benign cells.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from frictionless import validate as frictionless_validate

from etl.cli import main
from etl.tableschema import pattern_worker
from etl.tableschema.engine import validate_package
from etl.tableschema.patterns import PATTERN_TIMEOUT_SECONDS, pattern_matches, timeouts

FIXTURE = Path(__file__).resolve().parent / "data" / "hostile" / "pattern-backtracking"
ROOT = Path(__file__).resolve().parents[1]
LOOK_AHEAD = "(?=(a+)+b)a+b"  # a look-ahead: Python's re runs it on every cell
NESTED = "(a+)+b"  # polars runs it on printable ASCII cells, re on the others
HINT = (
    "if the pattern is right, raise the limit with --pattern-timeout SECONDS or "
    "ETL_PATTERN_TIMEOUT; else make it simpler (a repeat inside a repeat, as in (a+)+, can "
    "take time doubling with each character)"
)


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `etl validate ARGS`; it must not raise."""
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def timed_out(pattern: str, limit: str, length: int, skipped: str = "") -> str:
    """The message of a pattern-timeout finding."""
    return (
        f"the pattern {pattern} ran longer than {limit} seconds on this cell of {length} "
        f"characters and was stopped, so whether the cell matches is not known{skipped} - {HINT}"
    )


def one_table(folder: Path, pattern: str, cells: list[str]) -> Path:
    """A package of one table t.csv: a field `code` with `pattern`, holding `cells`."""
    (folder / "t.csv").write_text("code\n" + "".join(f"{c}\n" for c in cells), encoding="utf-8")
    field = {"name": "code", "type": "string", "constraints": {"pattern": pattern}}
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": [field]}}
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    return descriptor


@pytest.fixture
def no_worker() -> Iterator[None]:
    """No pattern worker is running when the test starts, nor left after it."""
    pattern_worker._close()
    pattern_worker._worker = None
    yield
    pattern_worker._close()
    pattern_worker._worker = None


def test_hostile_cells_are_findings_within_the_limit() -> None:
    """Each hostile cell is one pattern-timeout naming row, field, the shortened value and
    the pattern; the pattern is not run on the field's later cells; every other finding
    (a type error, the benign cells' constraint errors) is still reported; exit 1."""
    started = time.monotonic()
    code, out, err = run(str(FIXTURE / "datapackage.json"), "--pattern-timeout", "0.5")
    elapsed = time.monotonic() - started
    file = (FIXTURE / "codes.csv").as_posix()
    skipped = "; it was not run on the field's next 4 cells up to row 8"
    assert (code, err) == (1, "Invalid: 6 errors, 0 warnings.\n")
    assert out.splitlines() == [
        f"{file}:3 (code): error [constraint-error] 'b': does not match the pattern "
        f"{LOOK_AHEAD} - fix the cell or the pattern",
        f"{file}:4 (code): error [pattern-timeout] '{'a' * 49}…': "
        + timed_out(LOOK_AHEAD, "0.5", 64, skipped),
        f"{file}:4 (tag): error [constraint-error] '{'a' * 64}': does not match the pattern "
        f"{NESTED} - fix the cell or the pattern",
        f"{file}:5 (id): error [type-error] 'four': is not a whole number such as 42 (type "
        "integer) - fix the cell or the field's type",
        f"{file}:5 (tag): error [constraint-error] 'b': does not match the pattern {NESTED} "
        "- fix the cell or the pattern",
        f"{file}:6 (tag): error [pattern-timeout] '{'a' * 40}é': " + timed_out(NESTED, "0.5", 41),
    ]
    assert elapsed < 60  # two stops of half a second; without the limit, hours


@pytest.mark.parametrize(
    ("pattern", "cells", "failing"),
    [
        (LOOK_AHEAD, ["aab", "b", "ab", "aaaa", "äab", "ba"], [3, 5, 6, 7]),
        (NESTED, ["ab", "aab", "b", "aé", "äb", "aaaab"], [4, 5, 6]),
    ],
    ids=["python", "mixed"],
)
def test_benign_cells_match_as_frictionless(
    tmp_path: Path, pattern: str, cells: list[str], failing: list[int]
) -> None:
    """The same patterns on benign cells: the rows frictionless-py (run live) reports as
    constraint errors, and only those."""
    descriptor = one_table(tmp_path, pattern, cells)
    theirs = {
        (error.row_number, error.field_name, error.type)
        for task in frictionless_validate(str(descriptor)).tasks
        for error in task.errors
    }
    ours = {(f.row, f.field, f.kind) for f in validate_package(descriptor).findings}
    assert ours == theirs == {(row, "code", "constraint-error") for row in failing}


def test_the_flag_raises_the_limit(tmp_path: Path) -> None:
    """A cell re takes about half a second on: past --pattern-timeout 0.05, answered (it does
    not match) under --pattern-timeout 60."""
    descriptor = one_table(tmp_path, LOOK_AHEAD, ["ab", "a" * 23])
    file = (tmp_path / "t.csv").as_posix()
    code, out, _ = run(str(descriptor), "--pattern-timeout", "0.05")
    assert (code, out) == (
        1,
        f"{file}:3 (code): error [pattern-timeout] '{'a' * 23}': "
        + timed_out(LOOK_AHEAD, "0.05", 23)
        + "\n",
    )
    code, out, _ = run(str(descriptor), "--pattern-timeout", "60")
    assert (code, out) == (
        1,
        f"{file}:3 (code): error [constraint-error] '{'a' * 23}': does not match the pattern "
        f"{LOOK_AHEAD} - fix the cell or the pattern\n",
    )


def test_the_environment_sets_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ETL_PATTERN_TIMEOUT sets the limit; one that is not a positive number is exit 2."""
    descriptor = one_table(tmp_path, LOOK_AHEAD, ["a" * 23])
    monkeypatch.setenv("ETL_PATTERN_TIMEOUT", "0.05")
    assert [(f.row, f.kind) for f in validate_package(descriptor).findings] == [
        (2, "pattern-timeout")
    ]
    for value in ("soon", "0", "-1", "nan", "inf"):
        monkeypatch.setenv("ETL_PATTERN_TIMEOUT", value)
        assert run(str(descriptor)) == (
            2,
            "",
            f"Error: ETL_PATTERN_TIMEOUT={value!r} is not a number of seconds - set it to a "
            "number such as 10, or unset it\n",
        )


def test_the_default_limit_is_documented() -> None:
    """The default limit is the one the README and the option's help give."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    help_text = " ".join(CliRunner().invoke(main, ["validate", "--help"]).stdout.split())
    assert PATTERN_TIMEOUT_SECONDS == 3
    assert "a `pattern` may run at most 3 s on one cell" in readme
    assert "one cell (default 3; ETL_PATTERN_TIMEOUT)" in help_text


def test_time_of_a_hostile_run_is_bounded() -> None:
    """`etl validate` in a subprocess on the hostile fixture ends, exit 1, within a bound of
    its two one-second stops plus start-up (re alone would run for hours)."""
    args = ["-m", "etl", "validate", str(FIXTURE / "datapackage.json"), "--pattern-timeout", "1"]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert (result.returncode, result.stderr) == (1, "Invalid: 6 errors, 0 warnings.\n")
    assert result.stdout.count("[pattern-timeout]") == 2
    assert elapsed < 2 * 1 + 60, f"{elapsed:.1f} s"


@pytest.mark.usefixtures("no_worker")
def test_the_worker_starts_only_when_re_has_cells(tmp_path: Path) -> None:
    """A pattern polars runs on ASCII cells alone starts no worker; one re runs starts it
    once for the run, and it is reused."""
    (tmp_path / "ascii").mkdir()
    (tmp_path / "python").mkdir()
    assert validate_package(one_table(tmp_path / "ascii", NESTED, ["ab", "b"])).findings
    assert pattern_worker._worker is None
    descriptor = one_table(tmp_path / "python", LOOK_AHEAD, ["ab", "b"])
    assert validate_package(descriptor).findings
    first = pattern_worker._worker
    assert first is not None
    assert validate_package(descriptor).findings
    assert pattern_worker._worker is first


@pytest.mark.usefixtures("no_worker")
def test_a_stopped_worker_is_killed_and_replaced() -> None:
    """The worker stuck on a hostile cell is killed; the cells before it keep their answers,
    and the next call starts a new worker."""
    assert pattern_worker.fullmatches(NESTED, ["ab"], 5) == (b"\x01", False)
    stuck = pattern_worker._worker
    assert stuck is not None
    cells = ["ab", "b", "a" * 40 + "é", "ab"]
    assert pattern_worker.fullmatches(NESTED, cells, 0.2) == (b"\x01\x00", True)
    assert stuck.process.poll() is not None and pattern_worker._worker is None
    assert not Path(stuck.path).exists()
    assert pattern_worker.fullmatches(NESTED, ["ab"], 5) == (b"\x01", False)
    assert pattern_worker._worker is not stuck


@pytest.mark.usefixtures("no_worker")
def test_outside_a_check_a_stop_is_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    """pattern_matches called outside `timeouts()` raises TimeoutError at a stop; inside it
    the stop is recorded and the cell answered True."""
    monkeypatch.setenv("ETL_PATTERN_TIMEOUT", "0.2")
    cells = pl.Series("c", ["b", "a" * 40 + "é", "ab", None])
    with pytest.raises(TimeoutError, match=r"^the pattern \(a\+\)\+b ran longer than 0.2 "):
        pattern_matches(cells, NESTED)
    with timeouts() as recorded:
        assert pattern_matches(cells, NESTED).to_list() == [False, True, True, None]
    assert [(t.column, t.index, t.unchecked) for t in recorded] == [("c", 1, ())]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_the_worker_ends_with_its_parent() -> None:
    """A parent killed while its worker is inside a hostile match leaves no worker, and no
    shared file, behind."""
    code = (
        "import os, threading, time\n"
        "from etl.tableschema import pattern_worker as w\n"
        "cells = ['a' * 40 + 'é']\n"
        "threading.Thread(target=w.fullmatches, args=('(a+)+b', cells, 1e6)).start()\n"
        "while w._worker is None:\n"
        "    time.sleep(0.01)\n"
        "print(w._worker.process.pid, w._worker.path, flush=True)\n"
        "time.sleep(0.2)\n"
        "os._exit(0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    pid, path = result.stdout.split()
    deadline = time.monotonic() + 10
    while _running(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(int(pid))
    assert not Path(path).exists()


def _running(pid: int) -> bool:
    """True while process `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
