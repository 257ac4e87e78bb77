"""How strictly the engine reads a package: frictionless-py's way by default, or stricter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """Reading options beyond the descriptor's. The default reads as frictionless-py does.

    A stricter profile (the project's raw tables) reads each CSV whole with Python's csv
    module in strict mode (an unclosed quote is a source-error), refuses bytes that are not
    UTF-8, numbers rows by the line each record starts on, tidies every label and cell
    (`tidy`), reports traps in the tidied cells (`trap`: the name of a catalogue kind and
    the problem, or None), accepts each value in its one canonical spelling
    (etl.tableschema.cells.canonical_expression), keeps the read tables, and suggests the
    nearest existing key in the hint of a foreign-key miss (`suggest_keys`).
    """

    strict_csv: bool = False
    canonical: bool = False
    tidy: Callable[[str], str] | None = None
    trap: Callable[[str], tuple[str, str] | None] | None = None
    keep_tables: bool = False
    suggest_keys: bool = False


#: frictionless-py's reading: what `etl validate` uses.
FRICTIONLESS = Profile()
