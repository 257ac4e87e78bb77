"""A table's unique and primary-key columns, gathered batch by batch in bounded memory.

Memory holds one 64-bit token per row and key: the key's hash, or a single integer key's
own value (null where the key is empty). The key values, with their row numbers, are held
until they pass SPILL_BYTES, then spilled to Arrow IPC files in a temporary folder (polars
writes and scans them without a copy), and only the rows whose token repeats, or whose
key is empty, are read back. A repeat is then decided on the values themselves, so a hash
that two different keys share is never reported: tokens only pick the candidates.

Why spill rather than partition: the candidates are few (every row of a valid table has
a token of its own), so one scan of the spilled values per key finds them, and sorting
the tokens (8 bytes a row) is the only whole-table step. 20 million rows of a text key
cost 160 MB of tokens where the texts themselves would cost over 700 MB.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl

from etl.tableschema.detach import detach

#: Key values (with row numbers) held in memory before they go to disk: at 1M rows of the
#: benchmark's 50-column package, 16 MiB held about 20 MB less at peak than 64 MiB, at the
#: same CPU time (each spill is one sequential write).
SPILL_BYTES = 16 << 20


def _token(frame: pl.DataFrame, names: list[str]) -> pl.Series:
    """Per row, the key's token: null where every field of the key is empty. `names` are
    positional column names (k0, k1, ...): pl.col reads a name such as `*` as a pattern."""
    empty = pl.all_horizontal([pl.col(n).is_null() for n in names])
    dtype = frame.schema[names[0]]
    if len(names) == 1 and dtype.is_integer() and dtype != pl.UInt64:
        value = pl.col(names[0]).cast(pl.Int64)
    else:
        key = pl.col(names[0]) if len(names) == 1 else pl.struct(names)
        value = key.hash().reinterpret(signed=True)  # 64 bits, as the value tokens
    return frame.select(pl.when(empty).then(None).otherwise(value)).to_series()


class KeyStore:
    """The unique fields' and the primary key's columns of one table, by key."""

    def __init__(self, keys: list[list[str]]) -> None:
        self.keys: list[list[str]] = []
        for key in keys:
            if key and key not in self.keys:
                self.keys.append(key)
        self.columns = sorted({name for key in self.keys for name in key})
        self.inner = {name: f"k{at}" for at, name in enumerate(self.columns)}
        self.tokens: list[list[pl.Series]] = [[] for _ in self.keys]
        self.held: list[pl.DataFrame] = []
        self.held_bytes = 0.0
        self.files: list[Path] = []
        self.folder: Path | None = None

    def add(self, batch: pl.DataFrame) -> None:
        """A batch's `_row` and key columns (by their names), in file order."""
        if not self.keys:
            return
        frame = detach(  # held for the whole table: not its pieces too
            pl.DataFrame(
                [
                    batch.get_column("_row"),
                    *(batch.get_column(n).alias(self.inner[n]) for n in self.columns),
                ]
            )
        )
        for tokens, key in zip(self.tokens, self.keys, strict=True):
            tokens.append(_token(frame, [self.inner[n] for n in key]))
        self.held.append(frame)
        self.held_bytes += frame.estimated_size()
        if self.held_bytes > SPILL_BYTES:
            self._spill()

    def _spill(self) -> None:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="etl-keys-"))
        path = self.folder / f"{len(self.files)}.arrow"
        pl.concat(self.held).write_ipc(path, compression="uncompressed")
        self.files.append(path)
        self.held, self.held_bytes = [], 0.0

    def candidates(self, key: list[str], *, empty: bool) -> pl.DataFrame:
        """The rows (`_row` and the key's columns, in file order) whose token repeats
        another row's, and, with `empty`, those whose key is empty."""
        tokens = self.tokens[self.keys.index(key)]
        token = pl.concat(tokens, rechunk=False) if tokens else pl.Series([], dtype=pl.Int64)
        ordered = token.sort()  # nulls first; null == null is null, which the filter drops
        repeated = ordered.filter(ordered == ordered.shift(1)).unique()
        del ordered
        wanted = token.is_in(repeated.implode())
        if empty:
            wanted = wanted | token.is_null()
        positions = wanted.fill_null(False).arg_true()
        rows = self._rows_at(positions)
        return pl.DataFrame(
            [rows.get_column("_row"), *(rows.get_column(self.inner[n]).alias(n) for n in key)]
        )

    def drop(self, key: list[str]) -> None:
        """Free the key's tokens: its candidates are not asked for again."""
        self.tokens[self.keys.index(key)] = []

    def _rows_at(self, positions: pl.Series) -> pl.DataFrame:
        if not self.files:
            frame = pl.concat(self.held) if self.held else self._empty()
            return frame[positions]
        scans = [pl.scan_ipc(path) for path in self.files]
        if self.held:
            scans.append(pl.concat(self.held).lazy())
        index = pl.col("_p")
        found = pl.concat(scans).with_row_index("_p").filter(index.is_in(positions.implode()))
        return found.drop("_p").collect()

    def _empty(self) -> pl.DataFrame:
        inner = self.inner.values()
        return pl.DataFrame(schema={"_row": pl.Int64, **dict.fromkeys(inner, pl.Null)})

    def close(self) -> None:
        """Remove the spilled files."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self.held, self.files = [], []
