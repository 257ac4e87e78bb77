"""The benchmark's generator: the errors it injects are exactly those found (tiny size)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from etl.tableschema.engine import validate_package

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from generate import generate  # noqa: E402
from run import etl_keys, floor_keys, help_imports  # noqa: E402


def test_errors_found_are_errors_injected(tmp_path: Path) -> None:
    """etl validate finds every injected error of every type, and nothing else."""
    injected = generate(tmp_path, 2_500)
    report = validate_package(tmp_path / "datapackage.json")
    text = json.dumps({"findings": [f.to_dict() for f in report.findings]})
    assert etl_keys(text, tmp_path / "datapackage.json") == {tuple(e) for e in injected}
    assert len(report.findings) == len(injected) == 53


def test_valid_twin_has_no_errors(tmp_path: Path) -> None:
    """The valid twin passes."""
    assert generate(tmp_path, 2_500, valid=True) == []
    assert validate_package(tmp_path / "datapackage.json").findings == []


def test_floor_finds_the_same_set(tmp_path: Path) -> None:
    """The plain-polars floor finds exactly the injected (resource, row, field, type) set."""
    injected = generate(tmp_path, 2_500)
    out = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "floor.py"),
            str(tmp_path / "datapackage.json"),
            "--list",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert floor_keys(out) == {tuple(e) for e in injected}
    assert json.loads(out)["errors"] == len(injected)


def test_wider_package_errors_found_are_errors_injected(tmp_path: Path) -> None:
    """With --columns, the added fields exist, stay valid, and lose their cells in short rows."""
    injected = generate(tmp_path, 2_500, columns=14)
    fields = json.loads((tmp_path / "datapackage.json").read_text())["resources"][0]["schema"]
    assert [f["name"] for f in fields["fields"]][9:] == ["x9", "x10", "x11", "x12", "x13"]
    report = validate_package(tmp_path / "datapackage.json")
    text = json.dumps({"findings": [f.to_dict() for f in report.findings]})
    assert etl_keys(text, tmp_path / "datapackage.json") == {tuple(e) for e in injected}
    assert len(injected) == 53 + 2 * 5  # two short rows, five more missing cells each


def test_help_imports_no_heavy_module() -> None:
    """`etl --help` imports none of polars, pandera, frictionless and PyYAML."""
    assert help_imports() == []


def test_read_only_bound_parses_every_cell(tmp_path: Path) -> None:
    """read_only.py, the lower bound, parses every cell of every CSV resource (a short row
    too) and reports no errors: 3 rows x 2 fields and 2 rows x 3 fields."""
    (tmp_path / "a.csv").write_text('x,y\n1,"p,q"\n2\n3,z\n', encoding="utf-8")
    (tmp_path / "b.csv").write_text("u,v,w\n1,2,3\n4,5,6\n", encoding="utf-8")
    resources = [{"name": n, "path": f"{n}.csv"} for n in ("a", "b")]
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": resources}), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "read_only.py"), str(descriptor)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == {"errors": 0, "cells": 3 * 2 + 2 * 3}
