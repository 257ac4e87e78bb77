"""A field the build reads, dropped from a raw schema and its CSV: one line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import yaml

from tests.projects import ROOT, copy_project


def shared_fields() -> list[tuple[str, str]]:
    """(table, field) of every raw field that its table's published schema also has, but
    the primary key, in sorted order (derived from schemas/)."""
    out = []
    for path in sorted((ROOT / "schemas" / "raw").glob("*.yaml")):
        published = ROOT / "schemas" / "published" / path.name
        if not published.exists():
            continue
        raw, pub = yaml.safe_load(path.read_text()), yaml.safe_load(published.read_text())
        names = {f["name"] for f in pub["fields"]}
        key = set(raw.get("primaryKey", []))
        out += [(path.stem, f["name"]) for f in raw["fields"] if f["name"] in names - key]
    return out


def drop(project: Path, table: str, name: str) -> None:
    """Remove the field from schemas/raw/TABLE.yaml and its column from raw/TABLE.csv."""
    schema_path = project / "schemas" / "raw" / f"{table}.yaml"
    schema = yaml.safe_load(schema_path.read_text())
    schema["fields"] = [f for f in schema["fields"] if f["name"] != name]
    schema_path.write_text(yaml.safe_dump(schema, allow_unicode=True, sort_keys=False))
    csv_path = project / "raw" / f"{table}.csv"
    pl.read_csv(csv_path, infer_schema=False).drop(name).write_csv(csv_path)


def test_a_dropped_field_the_build_reads_is_named(tmp_path: Path) -> None:
    """Each shared field dropped in turn builds, or fails with findings (exit 1), until the
    first that the build reads past its checks: exit 2 and one line naming the field and
    the schema to restore it in. None prints a traceback."""
    for at, (table, name) in enumerate(shared_fields()):
        project = copy_project(tmp_path / str(at), with_dist=False)
        drop(project, table, name)
        done = subprocess.run(
            [sys.executable, "-m", "etl", "build", "--project", str(project)],
            capture_output=True,
            text=True,
        )
        assert "Traceback" not in done.stderr
        if done.returncode in (0, 1):
            continue
        assert done.returncode == 2
        assert done.stderr.strip().splitlines()[-1] == (
            f"Error: the build reads the field {name!r}, which schemas/raw/{table}.yaml (and "
            f"raw/{table}.csv) no longer declares - restore the field, or change the build "
            "to do without it"
        )
        assert not (project / "dist").exists()
        return
    raise AssertionError("no shared field is read by the build")
