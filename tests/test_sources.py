"""Tests for etl.tableschema.sources: the first bytes of a resource's parts, and where a
file's text stops being in its encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

import etl.tableschema.sources
from etl.tableschema.sources import first_undecodable, head_bytes


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_first_undecodable_byte_is_found_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The first bad byte is named by offset and line, whatever the chunks that cut `é`."""
    monkeypatch.setattr(etl.tableschema.sources, "_CHUNK", chunk)
    path = tmp_path / "t.csv"
    path.write_bytes("a,é\né,b\n".encode() + b"x,\xe2\x82\n")
    assert first_undecodable(path, "utf-8") == (
        "byte 0xE2 at offset 12 (line 3) is not utf-8: invalid continuation byte"
    )
    path.write_bytes("a,é\n".encode())
    assert first_undecodable(path, "utf-8") == ""


@pytest.mark.parametrize("chunk", [1, 1 << 20])
def test_head_bytes_of_parts_leave_out_later_headers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The parts are joined without later headers (kept with no header), cut at `size`."""
    monkeypatch.setattr(etl.tableschema.sources, "_CHUNK", chunk)
    parts = (tmp_path / "1.csv", tmp_path / "2.csv")
    parts[0].write_bytes(b"a,b\n1,x\n")
    parts[1].write_bytes(b"a,b\n2,y\n")
    assert head_bytes(parts, None, None, header=True, size=99) == b"a,b\n1,x\n2,y\n"
    assert head_bytes(parts, None, None, header=True, size=10) == b"a,b\n1,x\n2,"
    assert head_bytes(parts, None, None, header=False, size=99) == b"a,b\n1,x\na,b\n2,y\n"
