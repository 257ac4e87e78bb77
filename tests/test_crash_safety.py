"""Nothing published is ever lost: killed builds, concurrent builds, full disks and re-runs.

dist/ must always hold either the old package or the new one, byte for byte: after a real
`etl build` process is killed with SIGKILL at any point of publishing, after a crash injected
at every step of `publish` (with the atomic swap and with the two-rename fallback), while
another build holds the lock, and when the disk is full. A re-run on unchanged raw/ rewrites
nothing.
"""

from __future__ import annotations

import contextlib
import errno
import inspect
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import etl.build.package
import etl.build.pipeline
import etl.build.publish
from etl.build.publish import LOCK_NAME, OLD_PREFIX, STAGING_PREFIX, build_lock, publish, recover
from etl.cli import main
from tests.projects import copy_project, edit_cell, tree_digest

_ETL = Path(sys.executable).with_name("etl")
ETL = [str(_ETL)] if _ETL.exists() else [sys.executable, "-c", "from etl.cli import main; main()"]
# The same command on a system without renameat2: publish swaps with two renames.
ETL_WITHOUT_EXCHANGE = [
    sys.executable,
    "-c",
    "import etl.build.publish as p; p._exchange = lambda a, b: False; "
    "from etl.cli import main; main()",
]
NEW_NOTE = "Changed for the crash-safety tests, so that the new package differs from the old."


@dataclass(frozen=True)
class Packages:
    """A project whose dist/ is the old package and whose raw/ builds a different, new one."""

    template: Path
    old: dict[str, str]
    new: dict[str, str]
    publish_args: inspect.BoundArguments  # what the build passes to publish() for the new one

    def name(self, digest: dict[str, str] | None) -> str:
        """Which package a digest of dist/ is: "old", "new", "missing" or "mixed"."""
        if digest is None:
            return "missing"
        if digest == self.old:
            return "old"
        return "new" if digest == self.new else "mixed"

    def project(self, target: Path) -> Path:
        """A fresh copy of the template: raw/ for the new package, dist/ holding the old."""
        for name in ("raw", "schemas", "dist"):
            shutil.copytree(self.template / name, target / name)
        return target


def cli_build(project: Path) -> Any:
    """`etl build --project PROJECT`, in process."""
    return CliRunner().invoke(main, ["build", "--project", str(project)], catch_exceptions=False)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    """Build the old package, then the new one from one changed raw cell."""
    template = copy_project(tmp_path_factory.mktemp("template"), with_dist=False)
    assert cli_build(template).exit_code == 0
    old = tree_digest(template / "dist")
    edit_cell(template / "raw/figures.csv", "union-state-space-programmes", "note", NEW_NOTE)
    project = copy_project(tmp_path_factory.mktemp("new"), with_dist=False)
    shutil.copytree(template / "raw", project / "raw", dirs_exist_ok=True)
    calls: list[inspect.BoundArguments] = []

    def record(*args: Any, **kwargs: Any) -> Any:
        calls.append(inspect.signature(publish).bind(*args, **kwargs))
        return publish(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.build.pipeline, "publish", record)
        assert cli_build(project).exit_code == 0
    new = tree_digest(project / "dist")
    assert new != old
    yield Packages(template, old, new, calls[0])


def leftovers(project: Path) -> list[str]:
    """Everything in the project folder but raw/, schemas/, dist/ and the lock file."""
    return sorted(
        p.name for p in project.iterdir() if p.name not in {"raw", "schemas", "dist", LOCK_NAME}
    )


def published(project: Path) -> dict[str, str] | None:
    """The digest of dist/, or None when there is none."""
    dist = project / "dist"
    return tree_digest(dist) if dist.is_dir() else None


# Killing real build processes.


def _staging(project: Path) -> list[Path]:
    return [p for p in project.iterdir() if p.name.startswith(STAGING_PREFIX) and p.is_dir()]


def _files_below(folders: list[Path]) -> int:
    return sum(len(files) for folder in folders for _, _, files in os.walk(folder))


@dataclass(frozen=True)
class KillPoint:
    """When to kill: once a staging folder holds `files` files, `delay` seconds later."""

    files: int = 0
    delay: float = 0.0
    after_swap: bool = False  # wait instead until dist/ is another folder, or gone

    def __str__(self) -> str:
        if self.after_swap:
            return "after-swap"
        return f"files-{'all' if self.files == ALL else self.files}" + (
            f"-then-{self.delay * 1000:.0f}ms" if self.delay else ""
        )


ALL = 10**6  # a kill point after every file of the package is written
_rng = random.Random(4)  # fixed seed: the same 20 points in every run, spread over publishing
KILL_POINTS = [
    *(KillPoint(files) for files in (0, 1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, ALL)),
    KillPoint(after_swap=True),
    *(KillPoint(0, round(_rng.uniform(0.0, 0.3), 3)) for _ in range(6)),
]
FALLBACK_KILL_POINTS = [KillPoint(8), KillPoint(ALL), KillPoint(after_swap=True)]


def build_and_kill(command: list[str], project: Path, point: KillPoint, files: int) -> bool:
    """Start a real build and SIGKILL it at `point`; True if it was killed before it ended.

    `files` is the number of files of a whole package.
    """
    dist = project / "dist"
    inode = dist.stat().st_ino
    process = subprocess.Popen(
        [*command, "build", "--project", str(project)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if point.after_swap:  # dist/ replaced, or (two renames) set aside
                try:
                    fired = dist.stat().st_ino != inode
                except FileNotFoundError:
                    fired = True
            else:
                staging = _staging(project)
                fired = bool(staging) and _files_below(staging) >= min(point.files, files)
            if fired:
                time.sleep(point.delay)
                process.send_signal(signal.SIGKILL)
                process.communicate(timeout=120)
                return process.returncode == -signal.SIGKILL
            time.sleep(0.0002)
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class KillOutcome:
    """What one kill left: dist/ ("old", "new" or worse) before and after recovery."""

    point: KillPoint
    killed: bool
    staging_left: bool
    state: str
    recovered: str
    leftovers: list[str]


def kill_once(
    packages: Packages, project: Path, point: KillPoint, command: list[str]
) -> KillOutcome:
    """Kill a real build of `project` at `point`, then recover as the next build does."""
    killed = build_and_kill(command, project, point, len(packages.new))
    staging_left = bool(_staging(project))
    state = packages.name(published(project))
    with build_lock(project):
        recover(project, project / "dist")
    recovered = packages.name(published(project))
    return KillOutcome(point, killed, staging_left, state, recovered, leftovers(project))


def test_killed_build_leaves_old_or_new_package(packages: Packages, tmp_path: Path) -> None:
    """20 real builds SIGKILLed while publishing each leave dist/ old or new, never a mix.

    The builds run two at a time; the next build's recovery then leaves no temporary folder.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(
                lambda i: kill_once(
                    packages, packages.project(tmp_path / f"kill-{i}"), KILL_POINTS[i], ETL
                ),
                range(len(KILL_POINTS)),
            )
        )
    report = "\n".join(str(outcome) for outcome in outcomes)
    assert all(o.state in ("old", "new") for o in outcomes), report
    assert all(o.recovered == o.state and o.leftovers == [] for o in outcomes), report
    # The kills land while publishing, on both sides of the swap.
    assert sum(o.killed and o.staging_left for o in outcomes) >= len(outcomes) // 2, report
    assert {o.state for o in outcomes} == {"old", "new"}, report


def test_killed_build_without_atomic_exchange_is_recovered(
    packages: Packages, tmp_path: Path
) -> None:
    """With the two-rename swap a kill may leave no dist/; recovery puts the old one back."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(
                lambda i: kill_once(
                    packages,
                    packages.project(tmp_path / f"kill-{i}"),
                    FALLBACK_KILL_POINTS[i],
                    ETL_WITHOUT_EXCHANGE,
                ),
                range(len(FALLBACK_KILL_POINTS)),
            )
        )
    report = "\n".join(str(outcome) for outcome in outcomes)
    assert all(o.state in ("old", "new", "missing") for o in outcomes), report
    assert all(o.recovered in ("old", "new") and o.leftovers == [] for o in outcomes), report
    assert all(o.recovered == o.state for o in outcomes if o.state != "missing"), report


# Crashes injected at every step of publish().


class Crash(BaseException):
    """The process dies here: nothing after it runs, no cleanup either."""


class Killer:
    """Counts the steps of publishing and dies at step `at`; once dead, every step fails."""

    def __init__(self, at: int) -> None:
        self.at = at
        self.steps = 0
        self.dead = False

    def step(self) -> None:
        """One step taken; die if it is the chosen one."""
        if self.dead:
            raise Crash
        self.steps += 1
        if self.steps == self.at:
            self.dead = True
            raise Crash

    def after(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, with a step after it (a file written)."""

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if self.dead:
                raise Crash
            result = function(*args, **kwargs)
            self.step()
            return result

        return wrapped

    def around(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, with a step before and after it (a rename)."""

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.step()
            result = function(*args, **kwargs)
            self.step()
            return result

        return wrapped


@contextlib.contextmanager
def crashing(killer: Killer, *, exchange: bool) -> Iterator[None]:
    """Make each file write, fsync, rename, swap and removal of publishing a step of `killer`."""
    exchange_function = etl.build.publish._exchange if exchange else (lambda a, b: False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.build.package, "write_csv", killer.after(etl.build.package.write_csv))
        patch.setattr(
            etl.build.package, "write_parquet", killer.after(etl.build.package.write_parquet)
        )
        patch.setattr(Path, "write_text", killer.after(Path.write_text))
        patch.setattr(
            etl.build.publish, "_fsync_tree", killer.around(etl.build.publish._fsync_tree)
        )
        patch.setattr(etl.build.publish, "_exchange", killer.around(exchange_function))
        patch.setattr(Path, "rename", killer.around(Path.rename))
        patch.setattr(shutil, "rmtree", killer.around(shutil.rmtree))
        yield


def publish_new(packages: Packages, project: Path) -> None:
    """publish() the new package into `project`, as the build does."""
    arguments = packages.publish_args.arguments | {"root": project, "dist": project / "dist"}
    assert publish(**arguments) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_crash_at_every_step_of_publishing(
    exchange: bool, packages: Packages, tmp_path: Path
) -> None:
    """Dying after any step leaves dist/ old or new (recovered, without renameat2), never mixed."""
    dry = Killer(at=0)
    project = packages.project(tmp_path / "dry")
    with crashing(dry, exchange=exchange):
        publish_new(packages, project)
    assert published(project) == packages.new
    assert dry.steps > 20  # every file, the flush, the swap and the removal of the old package
    outcomes = []
    for at in range(1, dry.steps + 1):
        project = packages.project(tmp_path / f"crash-{at}")
        killer = Killer(at)
        with pytest.raises(Crash), crashing(killer, exchange=exchange):
            publish_new(packages, project)
        state = published(project)
        if exchange or state is not None:
            assert state in (packages.old, packages.new), f"step {at}"
        else:
            assert [p.name for p in project.iterdir() if p.name.startswith(OLD_PREFIX)]
        recover(project, project / "dist")
        state = published(project)
        assert state in (packages.old, packages.new), f"step {at}"
        assert leftovers(project) == [], f"step {at}"
        outcomes.append("old" if state == packages.old else "new")
    # Old until the swap, new from then on: never back.
    assert outcomes == sorted(outcomes, key=["old", "new"].index)
    assert outcomes[0] == "old" and outcomes[-1] == "new"


def test_recovery_survives_its_own_crash(packages: Packages, tmp_path: Path) -> None:
    """A crash while recovering is recovered by the next recovery: the old package comes back."""
    dry = Killer(at=0)

    def killed_in_the_window(target: Path) -> Path:
        project = packages.project(target)
        old = project / f"{OLD_PREFIX}{time.time_ns()}"
        (project / "dist").rename(old)
        (project / f"{STAGING_PREFIX}abc123").mkdir()
        return project

    project = killed_in_the_window(tmp_path / "dry")
    with crashing(dry, exchange=True):
        recover(project, project / "dist")
    assert published(project) == packages.old
    for at in range(1, dry.steps + 1):
        project = killed_in_the_window(tmp_path / f"crash-{at}")
        with pytest.raises(Crash), crashing(Killer(at), exchange=True):
            recover(project, project / "dist")
        recover(project, project / "dist")
        assert published(project) == packages.old
        assert leftovers(project) == []


# The lock, full disks, leftovers and re-runs.


def test_second_build_is_refused_while_the_lock_is_held(packages: Packages, tmp_path: Path) -> None:
    """A build that finds the lock held exits 2 with a clear message and writes nothing."""
    project = packages.project(tmp_path).resolve()
    with build_lock(project):
        result = cli_build(project)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: another build of {project} is running (it holds {project / LOCK_NAME}) "
        "- wait for it to finish\n"
    )
    assert published(project) == packages.old
    assert leftovers(project) == []


def test_two_builds_started_at_once_do_not_interleave(packages: Packages, tmp_path: Path) -> None:
    """Two builds at once: each publishes whole or is refused by the lock; dist/ ends new."""
    project = packages.project(tmp_path).resolve()
    processes = [
        subprocess.Popen(
            [*ETL, "build", "--project", str(project)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode in (0, 2), err
        if process.returncode == 2:
            assert err.startswith(f"Error: another build of {project} is running"), err
    assert published(project) == packages.new
    assert leftovers(project) == []


def test_full_disk_is_an_environment_error(
    packages: Packages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails (no space left) exits 2 saying what to do; dist/ stays old."""
    project = packages.project(tmp_path).resolve()

    write_parquet = etl.build.package.write_parquet

    def full(frame: Any, target: Any) -> None:
        if not isinstance(target, Path):  # in memory, as the parity check writes
            return write_parquet(frame, target)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(etl.build.package, "write_parquet", full)
    result = cli_build(project)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: cannot write the package to {project / 'dist'}: ")
    assert "No space left on device (" in lines[0]
    assert lines[0].endswith(
        "- free some disk space or make the project folder writable, then build again; "
        "dist/ is unchanged"
    )
    assert published(project) == packages.old
    assert leftovers(project) == []


def test_next_build_removes_what_killed_builds_left(packages: Packages, tmp_path: Path) -> None:
    """Half-written packages and replaced old ones left by killed builds are removed."""
    project = packages.project(tmp_path)
    (project / f"{STAGING_PREFIX}k1ll3d00").mkdir()
    (project / f"{STAGING_PREFIX}k1ll3d00" / "README.md").write_text("half")
    shutil.copytree(project / "dist", project / f"{OLD_PREFIX}{time.time_ns()}")
    assert cli_build(project).exit_code == 0
    assert published(project) == packages.new
    assert leftovers(project) == []


def test_missing_dist_is_restored_from_the_package_set_aside(
    packages: Packages, tmp_path: Path
) -> None:
    """Killed between the two renames, a build leaves dist/ aside: the latest is put back."""
    project = packages.project(tmp_path)
    now = time.time_ns()
    (project / "dist").rename(project / f"{OLD_PREFIX}{now}")
    (project / f"{OLD_PREFIX}{now - 10**9}").mkdir()  # set aside by an earlier killed build
    (project / f"{STAGING_PREFIX}n3wpk9zz").mkdir()  # the new package, never swapped in
    with build_lock(project):
        recover(project, project / "dist")
    assert published(project) == packages.old
    assert leftovers(project) == []


def test_rebuilding_unchanged_raw_changes_nothing(packages: Packages, tmp_path: Path) -> None:
    """A second build over the same raw/ leaves every file of dist/ as it was, bytes and all."""
    project = packages.project(tmp_path)
    assert cli_build(project).exit_code == 0
    dist = project / "dist"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(dist.rglob("*"))}
    digest = tree_digest(dist)
    assert cli_build(project).exit_code == 0
    assert tree_digest(dist) == digest == packages.new
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(dist.rglob("*"))} == before
    assert leftovers(project) == []
