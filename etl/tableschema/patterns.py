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

re has no time limit: a pattern that backtracks exponentially on a hostile cell is slow in
re here as it is in frictionless-py.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import polars as pl

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


def pattern_matches(cells: pl.Series, pattern: str) -> pl.Series:
    """Whether each text cell matches the whole of a valid pattern (null for a null cell),
    as re.fullmatch says."""
    if pattern_engine(pattern) == "python":
        where = cells.is_not_null().arg_true()
        out = pl.Series(cells.name, [None] * cells.len(), dtype=pl.Boolean)
    else:
        out = cells.str.contains(_whole(pattern))
        where = (~cells.str.contains(_PLAIN)).fill_null(False).arg_true()
    if where.is_empty():
        return out
    compiled = _compiled(pattern)
    read = [compiled.fullmatch(cell) is not None for cell in cells.gather(where)]
    return out.scatter(where, pl.Series(read, dtype=pl.Boolean))


def _whole(pattern: str) -> str:
    """The pattern anchored to match the whole cell."""
    return f"^(?:{pattern})$"


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return re.compile(pattern)
