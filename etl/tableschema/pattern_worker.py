"""Python's re run on cells in a worker process, each cell within a time limit.

re cannot be stopped from the thread that called it, so the cells etl.tableschema.patterns
gives re are matched in one worker process, started when the first of them needs it (a run
whose patterns polars runs alone starts none): a plain Python of the same interpreter
(`-I -S`, the standard library only) running this file. The worker writes each cell's answer,
as soon as it has it, into a small file both processes map; the parent looks at it every TICK
seconds and kills the worker when one cell has stood unanswered for longer than the limit:
that cell is the one that ran too long. A later call starts a new worker. On POSIX the
worker removes the shared file once it has mapped it, so none is left behind a killed run,
and exits within a second of its parent's death, even inside a match.

This module imports only the standard library: the worker runs it as a script.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import pickle
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from typing import BinaryIO

#: How often, in seconds, the parent looks at the worker's progress.
TICK = 0.01
#: Cells, and characters, sent to the worker at a time.
_CELLS, _CHARS = 4096, 1 << 24
#: The shared file: 1 once the worker has read a request, then one answer a cell (0 or 1,
#: _UNANSWERED until it is found).
_SHARED = 1 + _CELLS
_UNANSWERED = b"\x02"


class Worker:
    """One worker process, answering re.fullmatch for the cells it is sent."""

    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="etl-pattern-")
        with os.fdopen(handle, "r+b") as file:
            file.write(bytes(_SHARED))
            file.flush()
            self.shared = mmap.mmap(file.fileno(), _SHARED)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", __file__, self.path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.replies: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True, name="etl-pattern-worker").start()

    def _listen(self) -> None:
        """Each reply of the worker (one byte a request), then b"" when its output ends."""
        assert self.process.stdout is not None
        while reply := self.process.stdout.read(1):
            self.replies.put(reply)
        self.replies.put(b"")

    def run(self, pattern: str, cells: Sequence[str], limit: float) -> tuple[bytes, bool]:
        """The answers (1 or 0) for the cells, in order, until one runs past `limit`
        seconds: the answers before it, and True when a cell stopped the worker (it is then
        killed)."""
        assert self.process.stdin is not None
        end = 1 + len(cells)
        self.shared[:end] = b"\x00" + _UNANSWERED * len(cells)
        try:
            pickle.dump((pattern, list(cells)), self.process.stdin, pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
        except OSError as exc:
            self.close()
            raise RuntimeError("the process that runs patterns by Python's re stopped") from exc
        seen, since = -1, time.monotonic()
        while True:
            try:
                reply = self.replies.get(timeout=TICK)
            except queue.Empty:
                at = self.shared.find(_UNANSWERED, 1, end) if self.shared[0] else -1
                now = time.monotonic()
                if at != seen:
                    seen, since = at, now
                elif at > 0 and now - since > limit:
                    answers = self.shared[1:at]
                    self.close()
                    return answers, True
                continue
            if not reply:
                self.close()
                raise RuntimeError("the process that runs patterns by Python's re stopped")
            return self.shared[1:end], False

    def close(self) -> None:
        """End the worker (killed if it does not end at once) and remove its shared file."""
        if self.process.returncode is None:
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()
            try:
                self.process.wait(timeout=TICK)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.shared.closed:
            self.shared.close()
            with contextlib.suppress(FileNotFoundError):  # the worker removes it on POSIX
                os.unlink(self.path)


_worker: Worker | None = None
_lock = threading.Lock()


def fullmatches(pattern: str, cells: Sequence[str], limit: float) -> tuple[bytes, bool]:
    """re.fullmatch of `pattern` on each cell, as 1 or 0, in order, each cell within `limit`
    seconds: the answers until a cell runs past it, and True when one did (that cell is the
    one after the answers; the cells after it are not run)."""
    global _worker
    out = bytearray()
    with _lock:
        for chunk in _chunks(cells):
            if _worker is None or _worker.process.poll() is not None:
                if _worker is not None:
                    _worker.close()
                _worker = Worker()
            answers, stopped = _worker.run(pattern, chunk, limit)
            out += answers
            if stopped:
                _worker = None
                return bytes(out), True
    return bytes(out), False


def _chunks(cells: Sequence[str]) -> Iterator[Sequence[str]]:
    """The cells in runs of at most _CELLS cells and about _CHARS characters."""
    start = chars = 0
    for at, cell in enumerate(cells):
        if at > start and (at - start == _CELLS or chars + len(cell) > _CHARS):
            yield cells[start:at]
            start, chars = at, 0
        chars += len(cell)
    if start < len(cells):
        yield cells[start:]


@atexit.register
def _close() -> None:
    if _worker is not None:
        _worker.close()


def _serve(requests: BinaryIO, replies: BinaryIO, shared: mmap.mmap) -> None:
    """The worker's loop: each request's cells matched, their answers in `shared`."""
    compiled: dict[str, re.Pattern[str]] = {}
    while True:
        try:
            pattern, cells = pickle.load(requests)
        except EOFError:
            return
        if pattern not in compiled:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # FutureWarning on `[[`: it is read by re
                compiled[pattern] = re.compile(pattern)
        fullmatch = compiled[pattern].fullmatch
        shared[0] = 1
        for at, cell in enumerate(cells, 1):
            shared[at] = fullmatch(cell) is not None
        replies.write(b".")
        replies.flush()


def _exit_with_parent() -> None:
    """On POSIX, exit within a second of the parent's death, even inside a match."""
    import signal

    if not hasattr(signal, "setitimer"):
        return
    parent = os.getppid()

    def check(signum: int, frame: object) -> None:
        if os.getppid() != parent:
            os._exit(1)

    signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, 1, 1)


if __name__ == "__main__":
    _exit_with_parent()
    with open(sys.argv[1], "r+b") as _file:
        _shared = mmap.mmap(_file.fileno(), _SHARED)
    with contextlib.suppress(OSError):  # mapped by both: nothing is left if the parent is killed
        os.unlink(sys.argv[1])  # (Windows refuses: the parent removes it when it ends the worker)
    _serve(sys.stdin.buffer, sys.stdout.buffer, _shared)
