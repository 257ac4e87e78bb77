"""Importing pandera for polars alone, without its pandas half, in the `etl` command's process.

`import pandera.polars` first runs `pandera/__init__.py`, which imports numpy, pandas and
pandera's whole pandas API whenever they are installed (about 0.6 s on this project's CI
machine, more than etl validate needs to check a million rows), and hypothesis for its data
synthesis strategies when that is installed (0.09 s more). pandera supports installs without
them (its `pandera[polars]` extra alone) and then skips those parts. `load_polars_only` takes
that same path when they are installed too, by hiding them for the length of the import
only. The engine uses none of them; the command's process is ours, so their absence from
pandera there costs nothing. Library callers import etl's modules as usual and get pandera
as installed.

The engine imports pandera only where a constraint fails (etl.tableschema.cell_checks),
which may be while a reader thread parses: `polars_only_when_imported` has that import
(`load_pandera`) take the polars-only path, and only the importing thread is refused the
hidden packages.
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
from collections.abc import Iterable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: Top-level packages hidden while pandera is imported (those not imported already).
HIDDEN = ("numpy", "pandas", "hypothesis")


class _Hide(importlib.abc.MetaPathFinder):
    """Answers an import of a hidden package as a package that is not installed."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.thread = threading.get_ident()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in self.names and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def load_polars_only() -> bool:
    """Import pandera.polars without pandas (and numpy and hypothesis, unless imported
    already); False when that is no longer possible: pandera or pandas is imported.
    """
    if "pandera" in sys.modules or "pandas" in sys.modules:
        return False
    finder = _Hide(name for name in HIDDEN if name not in sys.modules)
    sys.meta_path.insert(0, finder)
    try:
        import pandera.polars as pa
        import polars as pl

        # pandera registers its check backends on the first validation, and looks for
        # pandas then (once, cached): run one while pandas is hidden.
        warm = pa.DataFrameSchema({"x": pa.Column(pl.Int64, checks=pa.Check.ge(0))})
        warm.validate(pl.DataFrame({"x": [1]}))
    finally:
        sys.meta_path.remove(finder)
    return True


_polars_only = False


def polars_only_when_imported() -> None:
    """Have the engine's later import of pandera (load_pandera) skip its pandas half."""
    global _polars_only
    _polars_only = True


def load_pandera() -> None:
    """Import pandera.polars: the polars-only way once polars_only_when_imported was called
    (and nothing imported pandera before), else as installed."""
    if _polars_only:
        load_polars_only()
    import pandera.polars  # noqa: F401
