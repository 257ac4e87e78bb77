"""What the `etl` commands share: the --project, --max-record-bytes and --pattern-timeout
options, the library's errors made one line and an exit code, the progress line on a
terminal, and polars' allocator settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

import click

T = TypeVar("T")

project_option = click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="ETL_PROJECT",
    show_default=True,
    help="The project folder, holding raw/, schemas/ and dist/ (or set ETL_PROJECT).",
)

#: Sets ETL_PATTERN_TIMEOUT, which etl.tableschema.patterns reads (default 3 seconds).
pattern_timeout_option = click.option(
    "--pattern-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a `pattern` may run on one cell (default 3; ETL_PATTERN_TIMEOUT).",
)

#: Sets ETL_MAX_RECORD_BYTES, which etl.tableschema.csv_reader reads (default 64 MiB).
max_record_bytes_option = click.option(
    "--max-record-bytes",
    type=click.IntRange(min=1),
    help="Longest CSV record read (default 64 MiB; ETL_MAX_RECORD_BYTES).",
)

#: polars' allocator (jemalloc) reads its settings from this variable when polars is imported,
#: after polars' own: the user's value, when set, is kept.
ALLOCATOR_ENV = "_RJEM_MALLOC_CONF"


def allocator_settings(cpus: int) -> str:
    """The allocator's settings for the `etl` command on `cpus` processors.

    muzzy_decay_ms:0 returns pages freed and already purged lazily to the system at once,
    not a second later (polars' muzzy_decay_ms:1000): Linux counts them in the resident
    memory until then, and etl validate frees a piece's worth every few milliseconds.
    narenas: one arena for every two processors, not jemalloc's four for each: a piece is
    allocated by the reader thread and freed by the checking one, and memory freed in one
    arena is not reused by the threads of another. Measured on 2 processors (one arena),
    medians of 5 against muzzy_decay_ms:0,dirty_decay_ms:100: at 1M rows x 50 columns of
    the benchmark's valid package, peak RSS 278 MB against 293 and CPU time 8.1 s against
    9.0; at 5M rows valid, 332 MB both and 9.2 s against 9.8. Larger machines were not
    measured: there arenas grow with the processors, so that threads seldom wait for one.
    """
    return f"muzzy_decay_ms:0,narenas:{max(1, cpus // 2)}"


def usable_cpus() -> int:
    """The processors this process may run on (polars sizes its thread pool alike)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def return_freed_memory() -> None:
    """Set the allocator's settings (allocator_settings), unless the user set ALLOCATOR_ENV
    or polars is imported already. The command's process is ours; library callers keep
    polars' own settings."""
    if "polars" not in sys.modules:
        os.environ.setdefault(ALLOCATOR_ENV, allocator_settings(usable_cpus()))


def call(function: Callable[[], T]) -> T:
    """The library's answer, or its error as one line and its exit code (2 for the OS's)."""
    from etl.report.errors import EtlError

    try:
        return function()
    except EtlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"Error: {exc} - check the path and its permissions", err=True)
        sys.exit(2)


class ProgressBar:
    """A one-line progress bar on a terminal, shown once a validation or a build has run for a
    second."""

    WIDTH = 79

    def __init__(self, stream: TextIO, clock: Callable[[], float] | None = None) -> None:
        import time

        self.stream = stream
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.shown = False

    def __call__(self, name: str, done: int, total: int, unit: str = "rows") -> None:
        """Show `done` of `total` (rows, or bytes shown in MB) of resource `name`, on a
        terminal after a second."""
        filled = int(30 * done / total) if total else 30
        amount = (
            f"{done / 1e6:.0f}/{total / 1e6:.0f} MB" if unit == "bytes" else f"{done}/{total} rows"
        )
        self.show(f"{name} [{'#' * filled:<30}] {amount}")

    def show(self, line: str) -> None:
        """Show one line in place of the last, on a terminal after a second."""
        if not self.stream.isatty() or self.clock() - self.started < 1:
            return
        self.stream.write(f"\r{line[: self.WIDTH]:<{self.WIDTH}}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the bar, if it was shown."""
        if self.shown:
            self.stream.write("\r" + " " * self.WIDTH + "\r")
            self.stream.flush()
