"""Table Schema `pattern` constraints: checked when a schema is parsed, then run by the engine
that reads each one as Python's re does (frictionless-py's engine).

A pattern must be a valid Python regular expression on its own: `a)|(.*` is refused rather
than wrapped into `^(?:a)|(.*)$`, which would match anything. A valid pattern must match the
whole cell (re.fullmatch). Two engines run it, as `pattern_engine` says:

- "mixed": polars' regex engine (Rust's `regex`) for the cells of printable ASCII only,
  where it reads the pattern as re does, and re for the other cells: the engines' Unicode
  classes differ (`\\w` takes combining marks in Rust only, `\\s` takes U+001C-U+001F in
  Python only);
- "python": re for every cell, for what polars refuses (look-around, back-references,
  `{,n}`, `\\Z`, atomic groups, comments) or reads otherwise (possessive quantifiers, `[[`,
  `&&`, `--` and `~~` in sets, verbose mode, a `$` before the pattern's end).

The cells re reads are matched in a worker process (etl.tableschema.pattern_worker), started
only when some cell needs re, each cell within a time limit: PATTERN_TIMEOUT_SECONDS (3) unless
ETL_PATTERN_TIMEOUT (or `etl validate --pattern-timeout`) says otherwise. A pattern that
backtracks exponentially on a hostile cell (`(a+)+b` on forty `a` and a `é`), which would
run for hours in re, as in frictionless-py, is stopped there: the cell is a pattern-timeout
finding (an error: whether it matches is not known) and the pattern is not run on the
field's next cells of the same batch, so that a column of such cells costs one limit, not
one a cell. Inside `timeouts()` (as etl.tableschema.pandera_failures runs pandera) each stop
is recorded for timeout_findings; outside it, pattern_matches raises TimeoutError.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from etl.report.catalogue import PATTERN_TIMEOUT
from etl.report.errors import UsageError
from etl.report.findings import Finding
from etl.tableschema.pattern_worker import fullmatches

#: The longest a pattern may run on one cell, in seconds.
PATTERN_TIMEOUT_SECONDS = 3.0
#: The environment variable that sets another limit, in seconds, for one run.
PATTERN_TIMEOUT_ENV = "ETL_PATTERN_TIMEOUT"
#: The characters of a cell shown in a pattern-timeout finding.
SHOWN = 50

#: Cells that polars and re read alike: printable ASCII only.
_PLAIN = r"^[\x20-\x7e]*$"
#: In a pattern rid of its escapes: what polars reads otherwise than re.
_READ_OTHERWISE = (
    re.compile(r"[*+?}]\+"),  # a possessive quantifier: a++, a*+, a?+, a{2}+
    re.compile(r"\(\?[a-zA-Z]*x"),  # verbose mode: Rust ignores blanks in sets too
    re.compile(r"\$(?!\)*\Z)"),  # `$`: in re, before the end or a final line feed
)


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is not a usable regular expression, or None when it is."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # FutureWarning on `[[`: it is read by re
            re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regular expression ({exc})"
    except RecursionError:
        return "nests its groups too deeply to be read"
    return None


@lru_cache(maxsize=256)
def pattern_engine(pattern: str) -> str:
    """Which engine runs a valid pattern: "mixed" or "python" (see the module's docstring)."""
    bare = re.sub(r"\\.", "", pattern, flags=re.DOTALL)
    if _sets_read_otherwise(pattern) or any(rule.search(bare) for rule in _READ_OTHERWISE):
        return "python"
    try:
        pl.select(pl.lit("").str.contains(_whole(pattern)))
    except pl.exceptions.PolarsError:
        return "python"
    return "mixed"


def _sets_read_otherwise(pattern: str) -> bool:
    """True when a set of the pattern holds what Rust reads otherwise than re: a `[` (a
    nested set in Rust, a character in re, as in `[[:alpha:]]`) or `&&`, `--`, `~~`, `||`
    (set operations in Rust, characters in re)."""
    at, end = 0, len(pattern)
    while at < end:
        if pattern[at] == "\\":
            at += 2
            continue
        if pattern[at] != "[":
            at += 1
            continue
        at += 2 if pattern.startswith("[^", at) else 1
        first = True  # a `]` first in a set is a character
        while at < end and not (pattern[at] == "]" and not first):
            char = pattern[at]
            if char == "[" or (char in "-&~|" and pattern.startswith(char * 2, at)):
                return True
            at += 2 if char == "\\" else 1
            first = False
        at += 1
    return False


def pattern_timeout() -> float:
    """The longest a pattern may run on one cell, in seconds: ETL_PATTERN_TIMEOUT when it is
    set, else PATTERN_TIMEOUT_SECONDS (UsageError for a setting that is not a positive number)."""
    value = os.environ.get(PATTERN_TIMEOUT_ENV, "").strip()
    if not value:
        return PATTERN_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise UsageError(
            f"{PATTERN_TIMEOUT_ENV}={value!r} is not a number of seconds - set it to a "
            "number such as 10, or unset it"
        )
    return seconds


@dataclass(frozen=True)
class TimedOut:
    """A cell on which a pattern ran past the limit: its column and position in the cells
    checked, its value, and the positions of the column's later cells left unchecked."""

    column: str
    index: int
    value: str
    pattern: str
    limit: float
    unchecked: tuple[int, ...]


_recorders: list[list[TimedOut]] = []


@contextmanager
def timeouts() -> Iterator[list[TimedOut]]:
    """The cells on which a pattern ran past the limit within the block; pattern_matches
    then answers True for them (they are reported by timeout_findings instead)."""
    recorded: list[TimedOut] = []
    _recorders.append(recorded)
    try:
        yield recorded
    finally:
        _recorders.remove(recorded)


def timeout_findings(
    timed_out: Sequence[TimedOut], file: str, rows: Sequence[int], names: dict[str, str]
) -> list[Finding]:
    """Each stop as a pattern-timeout finding at its file row; cell i is file row `rows[i]`,
    and `names` gives the field name of each column, where they differ."""
    out = []
    for stop in timed_out:
        value = stop.value if len(stop.value) <= SHOWN else stop.value[: SHOWN - 1] + "…"
        skipped = ""
        if stop.unchecked:
            many = len(stop.unchecked) > 1
            skipped = (
                f"; it was not run on the field's next {len(stop.unchecked)} "
                f"cell{'s' if many else ''} up to row {rows[stop.unchecked[-1]]}"
            )
        out.append(
            PATTERN_TIMEOUT.at(
                file,
                rows[stop.index],
                names.get(stop.column, stop.column),
                value,
                pattern=stop.pattern,
                length=len(stop.value),
                limit=f"{stop.limit:g}",
                skipped=skipped,
            )
        )
    return out


def pattern_matches(cells: pl.Series, pattern: str) -> pl.Series:
    """Whether each text cell matches the whole of a valid pattern (null for a null cell),
    as re.fullmatch says; a cell on which re ran past the limit is recorded (see
    `timeouts`) and answered True, and so are the cells after it that re would run."""
    if pattern_engine(pattern) == "python":
        where = cells.is_not_null().arg_true()
        out = pl.Series(cells.name, [None] * cells.len(), dtype=pl.Boolean)
    else:
        out = cells.str.contains(_whole(pattern))
        where = (~cells.str.contains(_PLAIN)).fill_null(False).arg_true()
    if where.is_empty():
        return out
    texts = cells.gather(where).to_list()
    limit = pattern_timeout()
    answers, stopped = fullmatches(pattern, texts, limit)
    read = [bool(answer) for answer in answers]
    if stopped:
        at, positions = len(read), where.to_list()
        stop = TimedOut(
            cells.name, positions[at], texts[at], pattern, limit, tuple(positions[at + 1 :])
        )
        if not _recorders:
            raise TimeoutError(
                f"the pattern {pattern} ran longer than {limit:g} seconds on cell {stop.index}"
            )
        _recorders[-1].append(stop)
        read += [True] * (len(texts) - at)
    return out.scatter(where, pl.Series(read, dtype=pl.Boolean))


def _whole(pattern: str) -> str:
    """The pattern anchored to match the whole cell."""
    return f"^(?:{pattern})$"
