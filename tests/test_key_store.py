"""Tests for etl.tableschema.key_store and the foreign keys checked batch by batch: exact
findings whether key values are held or spilled, tokens never decide, no file left."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import polars as pl
import pytest

import etl.tableschema.csv_reader
import etl.tableschema.key_store
from etl.tableschema.engine import validate_package
from etl.tableschema.key_store import KeyStore

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "mail", "type": "string", "constraints": {"unique": True}},
        {"name": "code", "type": "string"},
    ],
    "primaryKey": ["id"],
    "foreignKeys": [{"fields": ["code"], "reference": {"resource": "codes", "fields": ["c"]}}],
}


def package(folder: Path, rows: list[str]) -> Path:
    """t.csv (listed first, referring to codes.csv, listed second) and its descriptor."""
    (folder / "t.csv").write_text("id,mail,code\n" + "".join(r + "\n" for r in rows))
    (folder / "codes.csv").write_text("c\nA\nB\n")
    codes = {"fields": [{"name": "c", "type": "string"}]}
    resources = [
        {"name": "t", "path": "t.csv", "schema": SCHEMA},
        {"name": "codes", "path": "codes.csv", "schema": codes},
    ]
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    return folder / "datapackage.json"


ROWS = [f"{i},m{i}@x.org,{'AB'[i % 2]}" for i in range(400)]
BROKEN = [*ROWS[:100], "7,m100@x.org,A", "101,m3@x.org,C", ",m102@x.org,B", *ROWS[103:]]
EXPECTED = [
    (102, "id", "primary-key", "7"),
    (103, "mail", "unique-error", "m3@x.org"),
    (103, "code", "foreign-key", "C"),
    (104, "id", "primary-key", None),
]


def found(path: Path) -> list[tuple[int | None, str | None, str, object]]:
    report = validate_package(path)
    return [(f.row, f.field, f.kind, f.value) for f in report.findings]


def test_repeats_and_orphans_are_found_held(tmp_path: Path) -> None:
    """With the key values held in memory: a repeated and an empty primary key, a repeated
    unique value, and a code missing from a table listed after."""
    assert found(package(tmp_path, BROKEN)) == EXPECTED


def test_the_same_findings_when_spilled_in_many_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many small pieces and values spilled to disk after every batch give the same list,
    and the spill folder is gone afterwards."""
    monkeypatch.setattr(etl.tableschema.csv_reader, "PIECE_BYTES", 512)
    monkeypatch.setattr(etl.tableschema.key_store, "SPILL_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    spilled: list[Path] = []
    spill = KeyStore._spill

    def counted(self: KeyStore) -> None:
        spill(self)
        spilled.append(self.files[-1])

    monkeypatch.setattr(KeyStore, "_spill", counted)
    assert found(package(tmp_path, BROKEN)) == EXPECTED
    assert len(spilled) > 5
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_shared_hash_is_never_a_repeat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When every key's token is the same, the values still decide: the same findings."""
    original = etl.tableschema.key_store._token

    def colliding(frame: pl.DataFrame, names: list[str]) -> pl.Series:
        return original(frame, names).is_not_null().cast(pl.Int64).replace(0, None)

    monkeypatch.setattr(etl.tableschema.key_store, "_token", colliding)
    assert found(package(tmp_path, BROKEN)) == EXPECTED


def test_integer_keys_are_their_own_tokens() -> None:
    """A one-field integer key's token is its value; an empty key has none."""
    store = KeyStore([["id"]])
    store.add(pl.DataFrame({"_row": [2, 3, 4], "id": [5, None, 5]}))
    assert store.tokens[0][0].to_list() == [5, None, 5]
    assert store.candidates(["id"], empty=True).rows() == [(2, 5), (3, None), (4, 5)]
    store.close()


def test_a_key_named_like_a_pattern_is_a_name() -> None:
    """Fields called `*` and `^a.*$` are keyed by name, not expanded as patterns."""
    store = KeyStore([["*", "^a.*$"]])
    store.add(pl.DataFrame({"_row": [2, 3, 4], "*": [1, 1, 1], "^a.*$": ["x", "y", "x"]}))
    assert store.candidates(["*", "^a.*$"], empty=True).rows() == [(2, 1, "x"), (4, 1, "x")]
    store.close()


def test_held_key_values_do_not_hold_the_batch_they_were_cut_from() -> None:
    """Key values held until the table ends are copied out of their batch: a batch of
    long text whose key is five rows of it holds a few hundred bytes, not the batch's
    10,000 cells (etl.tableschema.detach)."""
    text = [f"a long cell of text that is not the key, row {i}" for i in range(10_000)]
    batch = pl.DataFrame({"_row": range(10_000), "mail": text}).slice(4_000, 5)
    store = KeyStore([["mail"]])
    store.add(batch)
    (held,) = store.held
    exported = held.get_column("k0").to_arrow(compat_level=pl.CompatLevel.newest())
    assert sum(b.size for b in exported.buffers() if b is not None) < 1_000
    assert held.get_column("k0").to_list() == text[4_000:4_005]
