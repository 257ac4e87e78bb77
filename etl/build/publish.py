"""Stage 6, publish: the package written in full to a folder beside dist/ and verified
there (etl.build.package), then swapped in; or, for `etl check`, verified and thrown away."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from etl.build.package import verify_package, write_package
from etl.report.catalogue import CLEANUP_LEFT
from etl.report.errors import EnvironmentProblem
from etl.report.findings import Finding, Severity
from etl.tableschema.model import TableSchema

LOCK_NAME = ".etl-build.lock"
STAGING_PREFIX = ".etl-build-"  # a package being written
OLD_PREFIX = ".etl-build-old-"  # the old package, renamed aside by the fallback swap


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the project's build lock, or fail at once if another build holds it."""
    path = root / LOCK_NAME
    if path.is_symlink():
        raise EnvironmentProblem(
            f"the build lock {path} is a symlink - remove it (a build never follows one)"
        )
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        handle = os.fdopen(fd, "a+")
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot open the build lock {path}: {exc.strerror} - make the folder writable"
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EnvironmentProblem(
                f"another build of {root} is running (it holds {path}) - wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    """Flush every file and folder below `folder`, and `folder` itself."""
    for path in sorted(folder.rglob("*"), reverse=True):
        _fsync(path)
    _fsync(folder)


def same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same paths with the same bytes."""
    paths_a = sorted(p.relative_to(a) for p in a.rglob("*"))
    paths_b = sorted(p.relative_to(b) for p in b.rglob("*"))
    if paths_a != paths_b:
        return False
    return all(
        (a / p).is_dir() == (b / p).is_dir()
        and ((a / p).is_dir() or (a / p).read_bytes() == (b / p).read_bytes())
        for p in paths_a
    )


def swap_into_place(new: Path, dist: Path) -> Path | None:
    """Make `new` the published folder: atomically where the OS allows, never half-written.

    With renameat2 the two folders trade places in one step. Without it, `dist` is renamed
    aside first, and a kill between the two renames leaves no `dist`: `recover` puts the
    old package back at the start of the next build. Gives the old package's folder when
    it could not be removed (the new one is in place all the same).
    """
    if not dist.exists():
        new.rename(dist)
    elif not _exchange(new, dist):
        old = dist.with_name(f"{OLD_PREFIX}{time.time_ns()}")
        dist.rename(old)
        try:
            new.rename(dist)
        except OSError:
            old.rename(dist)
            raise
        new = old
    # The new package is in place: what follows only tidies, and recover() finishes it.
    with contextlib.suppress(OSError):
        _fsync(dist.parent)
    shutil.rmtree(new, ignore_errors=True)  # the old package
    return new if new.exists() else None


def recover(root: Path, dist: Path) -> None:
    """Tidy what killed builds left behind; call only under the build lock.

    An old package renamed aside while no `dist` exists is put back (the build that moved it
    died before swapping the new one in); every other leftover folder is removed.
    """
    leftovers = [*dist.parent.glob(f"{OLD_PREFIX}*"), *root.glob(f"{STAGING_PREFIX}*")]
    for stray in leftovers:
        if stray.is_symlink() or not stray.is_dir():  # never a package: remove, never follow
            stray.unlink(missing_ok=True)
    olds = sorted(
        (p for p in dist.parent.glob(f"{OLD_PREFIX}*") if p.is_dir()),
        key=lambda p: p.name[len(OLD_PREFIX) :],
    )
    if not dist.exists() and not dist.is_symlink() and olds:
        olds.pop().rename(dist)  # the most recently published package
        _fsync(dist.parent)
    for folder in [*olds, *root.glob(f"{STAGING_PREFIX}*")]:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def check_swappable(dist: Path) -> None:
    """What the swap needs, checked before anything is written: `dist` is a real folder
    (not a file, not a symlink) or absent, in a folder the build can write."""
    if dist.is_symlink():
        raise EnvironmentProblem(
            f"{dist} is a symlink - a build replaces dist/ as a whole, so it must be a real "
            "folder: remove the link and build again; dist/ is unchanged"
        )
    if dist.exists() and not dist.is_dir():
        raise EnvironmentProblem(
            f"{dist} is a file, not a folder - move it away and build again; dist/ is unchanged"
        )
    if not os.access(dist.parent, os.W_OK | os.X_OK):
        raise EnvironmentProblem(
            f"cannot write in {dist.parent} - make it writable and build again; dist/ is unchanged"
        )


def publish(
    root: Path,
    dist: Path,
    tables: dict[str, pl.DataFrame],
    schemas: dict[str, TableSchema],
    meta: dict[str, Any],
    texts: dict[str, str],
) -> list[Finding]:
    """Write the package next to `dist`, and swap it in only when it is whole and consistent.

    Call it holding `build_lock`. A package identical to `dist` leaves `dist` untouched.
    """
    swapped = False
    try:
        recover(root, dist)
        check_swappable(dist)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; a published folder is not
            write_package(staging, tables, schemas, meta, texts)
            findings = verify_package(staging, schemas)
            if findings or (dist.is_dir() and same_tree(staging, dist)):
                return findings
            _fsync_tree(staging)
            left = swap_into_place(staging, dist)
            swapped = True
            if left is None:
                return []
            return [CLEANUP_LEFT.at(left.name, severity=Severity.WARNING, folder=str(left))]
        finally:
            if staging.exists() and not swapped:
                shutil.rmtree(staging, ignore_errors=True)
    except (OSError, pl.exceptions.ComputeError) as exc:
        filename = getattr(exc, "filename", None)
        where = f" ({filename})" if filename else ""
        problem = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        raise EnvironmentProblem(
            f"cannot write the package to {dist}: {problem}{where} - "
            "free some disk space or make the project folder writable, then build again; "
            "dist/ is unchanged"
        ) from None


def verify_unpublished(
    tables: dict[str, pl.DataFrame],
    schemas: dict[str, TableSchema],
    meta: dict[str, Any],
    texts: dict[str, str],
) -> list[Finding]:
    """Write the package to a temporary folder, verify it as `publish` would, and remove it:
    `etl check` checks the very files a build would publish, and writes nothing in the project."""
    try:
        with tempfile.TemporaryDirectory(prefix="etl-check-") as folder:
            write_package(Path(folder) / "package", tables, schemas, meta, texts)
            return verify_package(Path(folder) / "package", schemas)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise EnvironmentProblem(
            f"cannot write the package to a temporary folder: {exc.strerror or exc}{where} - "
            "free some disk space or set TMPDIR to a writable folder"
        ) from None
