"""CITATION.cff as citation tools read it: valid against the CFF 1.2.0 schema, and saying the
same title, version, date and licence as the release built into dist/."""

from __future__ import annotations

import csv
import datetime
import json
from typing import Any

import jsonschema
import pytest
import yaml

from tests.projects import ROOT

SCHEMA = json.loads((ROOT / "tests/data/cff/schema-1.2.0.json").read_text(encoding="utf-8"))


def as_cff_tools_read(value: Any) -> Any:
    """YAML dates cast to strings, as the CFF schema tells validators to do."""
    if isinstance(value, dict):
        return {k: as_cff_tools_read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_cff_tools_read(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def citation() -> dict[str, Any]:
    """The project's CITATION.cff, read."""
    data: dict[str, Any] = as_cff_tools_read(
        yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    )
    return data


def test_citation_is_valid_cff_1_2_0(citation: dict[str, Any]) -> None:
    """CITATION.cff has no error against the CFF 1.2.0 JSON Schema (draft 7, formats too)."""
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(citation)] == []
    assert citation["cff-version"] == "1.2.0"


def test_the_schema_check_catches_a_broken_citation(citation: dict[str, Any]) -> None:
    """The same check refuses a citation without authors and with a date that is no date."""
    broken = {k: v for k, v in citation.items() if k != "authors"} | {"date-released": "2026-13-02"}
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    messages = sorted(e.message for e in validator.iter_errors(broken))
    assert "'authors' is a required property" in messages
    assert any("2026-13-02" in m for m in messages)


def test_citation_agrees_with_the_release_and_the_package(citation: dict[str, Any]) -> None:
    """Title, version, release date and licence are those of dist/datapackage.json, whose
    version and date come from the last release in raw/releases.csv."""
    with (ROOT / "raw/releases.csv").open(encoding="utf-8", newline="") as handle:
        last = list(csv.DictReader(handle))[-1]
    package = json.loads((ROOT / "dist/datapackage.json").read_text(encoding="utf-8"))
    assert (citation["version"], citation["date-released"]) == (last["version"], last["released"])
    assert citation["version"] == package["version"]
    assert package["created"].startswith(citation["date-released"])
    assert citation["title"] == package["title"]
    assert citation["license"] == package["licenses"][0]["name"]
    assert [a["name"] for a in citation["authors"]] == [c["title"] for c in package["contributors"]]
