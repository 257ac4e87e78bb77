"""The least any polars-based checker does: start Python, import polars, and parse every
cell of every CSV resource of a package once, as text, in bounded memory (polars'
streaming engine), checking nothing. Its time is a lower bound for etl validate and for
the floor on the same machine, so it tells how far a speed target is reachable at all.
Prints {"errors": 0, "cells": N}.
Usage: read_only.py DATAPACKAGE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl


def cells(csv: Path) -> int:
    """The file's cells, each parsed once as text (their bytes summed, so none is skipped)."""
    frame = pl.scan_csv(csv, infer_schema=False, truncate_ragged_lines=True, encoding="utf8-lossy")
    width = len(frame.collect_schema())
    query = frame.select(pl.len().alias("_rows"), pl.all().str.len_bytes().sum())
    return width * int(query.collect(engine="streaming").item(0, "_rows"))


def main() -> None:
    descriptor = Path(sys.argv[1])
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    total = 0
    for resource in package["resources"]:
        path = resource.get("path")
        if isinstance(path, str) and path.endswith(".csv"):
            total += cells(descriptor.parent / path)
    print(json.dumps({"errors": 0, "cells": total}))


if __name__ == "__main__":
    main()
