"""Importing pandera for polars alone, without its pandas half, in the `etl` command's process.

`import pandera.polars` first runs `pandera/__init__.py`, which imports numpy, pandas and
pandera's whole pandas API whenever they are installed: about 0.6 s on this project's CI
machine, more than etl validate needs to check a million rows. pandera supports installs
without pandas (its `pandera[polars]` extra) and then skips that half. `load_polars_only`
takes that same path when pandas is installed too, by hiding numpy and pandas for the length
of the import only. The engine uses nothing of pandas; the command's process is ours, so
pandera's pandas API being absent from it costs nothing. Library callers import etl's modules
as usual and get pandera as installed.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: Top-level packages hidden while pandera is imported.
HIDDEN = ("numpy", "pandas")


class _Hide(importlib.abc.MetaPathFinder):
    """Answers an import of a hidden package as a package that is not installed."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def load_polars_only() -> bool:
    """Import pandera.polars without numpy and pandas; False when that is no longer possible.

    It is not possible once pandera, numpy or pandas is imported; pandera is then used as it
    was imported.
    """
    if any(name in sys.modules for name in ("pandera", *HIDDEN)):
        return False
    finder = _Hide()
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
