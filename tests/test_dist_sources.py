"""The source texts shipped in dist/: someone holding only the package can check every quote.

These tests read nothing but dist/: the tables' CSV files, datapackage.json and the texts."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.projects import ROOT

DIST = ROOT / "dist"


def rows(table: str) -> list[dict[str, str]]:
    """A published table's CSV rows, as a reader without our code gets them."""
    with (DIST / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def descriptor() -> dict[str, Any]:
    """dist/datapackage.json."""
    data: dict[str, Any] = json.loads((DIST / "datapackage.json").read_text(encoding="utf-8"))
    return data


def shipped_texts() -> dict[str, str]:
    """Each source's text read from the file its sources.path names, after checking its bytes
    against sources.sha256."""
    texts = {}
    for source in rows("sources"):
        data = (DIST / source["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"], source["path"]
        texts[source["source_id"]] = data.decode("utf-8")
    return texts


#: Tables (CSV resources of dist/) whose rows carry a verbatim quote and its offsets.
QUOTED = [
    r["name"]
    for r in descriptor()["resources"]
    if r["format"] == "csv"
    and {"quote", "quote_start"} <= {f["name"] for f in r["schema"]["fields"]}
]


def test_some_tables_are_quoted() -> None:
    """The quoted tables are found (a search that found none would pass every case below)."""
    assert "figures" in QUOTED


@pytest.mark.parametrize("table", QUOTED)
def test_every_quote_is_the_shipped_text_at_its_offsets(table: str) -> None:
    """Each quote equals the slice of its source's shipped text between its offsets."""
    texts = shipped_texts()
    found = rows(table)
    assert found, f"{table} has no rows to check"
    for row in found:
        text = texts[row["source_id"]]
        assert text[int(row["quote_start"]) : int(row["quote_end"])] == row["quote"]


def test_every_figure_and_citation_stands_at_its_offsets() -> None:
    """Each printed figure and each item typed by hand stands at its offsets, up to white
    space."""
    texts = shipped_texts()

    def same(a: str, b: str) -> bool:
        return a.split() == b.split()

    figures = rows("figures")
    for f in figures:
        span = texts[f["source_id"]][int(f["figure_start"]) : int(f["figure_end"])]
        assert same(span, f["figure_as_printed"]), f["figure_id"]
    for c in rows("citations"):
        span = texts[c["source_id"]][int(c["start"]) : int(c["end"])]
        assert same(span, c["text_as_typed"]), (c["table"], c["row_id"], c["field"])


def test_each_text_is_a_resource_with_its_sha256_and_rights() -> None:
    """Every shipped text is listed as a resource: its path, size, `hash` and rights note."""
    by_path = {r["path"]: r for r in descriptor()["resources"]}
    sources = rows("sources")
    for source in sources:
        resource = by_path[source["path"]]
        data = (DIST / source["path"]).read_bytes()
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
        assert resource["bytes"] == len(data)
        assert resource["mediatype"] == "text/plain"
        assert resource["rights"] == source["rights"]
        assert "schema" not in resource
    texts = [r for r in by_path.values() if r["format"] == "txt"]
    assert len(texts) == len(sources)


def test_package_sources_name_the_shipped_texts() -> None:
    """datapackage.json's `sources` give each source's title and path (the shipped text), and
    URL and publisher only when they are known."""
    entries = descriptor()["sources"]
    sources = rows("sources")
    assert [(e["title"], e["path"]) for e in entries] == [
        (s["title_en"], s["path"]) for s in sources
    ]
    for entry, source in zip(entries, sources, strict=True):
        assert (DIST / entry["path"]).is_file()
        for key in ("url", "publisher", "author", "accessed"):
            assert entry.get(key, "") == source[key]


def test_the_readme_shows_how_to_verify_a_quote() -> None:
    """The Python shown under "How to verify a quote" in dist/README.md runs on dist/."""
    import os
    import re

    readme = (DIST / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to verify a quote", 1)[1]
    code = re.search(r"```python\n(.+?)\n```", section, re.S)
    assert code is not None
    cwd = Path.cwd()
    os.chdir(DIST)
    try:
        exec(compile(code.group(1), "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
