"""Copies of the project for tests that change raw data or rebuild dist/."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(target: Path, *, with_dist: bool = True) -> Path:
    """A copy of raw/, schemas/ (and dist/) in `target`, to change and build."""
    for name in ("raw", "schemas") + (("dist",) if with_dist else ()):
        shutil.copytree(ROOT / name, target / name)
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit_cell(csv_path: Path, key: str, column: str, value: str) -> None:
    """Set one cell of a raw CSV table, found by the value of its first column."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == key:
            row[header.index(column)] = value
            break
    else:
        raise KeyError(key)
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def drop_rows(csv_path: Path, column: str, value: str) -> None:
    """Remove the rows of a raw CSV table whose `column` holds `value`."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    kept = [rows[0]] + [r for r in rows[1:] if r[index] != value]
    assert len(kept) < len(rows), f"no row with {column}={value}"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


def correct_one_figure(project: Path) -> dict[str, str]:
    """Revise the project's source to print "свыше 45" where it printed "свыше 40", and
    correct raw/ to match (figure, quote, the text's SHA-256); say what was changed."""
    text = project / "raw/texts/by-infomaterial-2023-s4.txt"
    old_sha = hashlib.sha256(text.read_bytes()).hexdigest()
    text.write_bytes(text.read_bytes().replace("свыше 40 ".encode(), "свыше 45 ".encode(), 1))
    new_sha = hashlib.sha256(text.read_bytes()).hexdigest()
    with (project / "raw/figures.csv").open(encoding="utf-8", newline="") as handle:
        figure = next(r for r in csv.DictReader(handle) if r["figure"] == "свыше 40")
    fid, quote = figure["figure_id"], figure["quote"]
    new_quote = quote.replace("свыше 40", "свыше 45")
    edit_cell(project / "raw/figures.csv", fid, "figure", "свыше 45")
    edit_cell(project / "raw/figures.csv", fid, "quote", new_quote)
    edit_cell(project / "raw/sources.csv", "by-infomaterial-2023-s4", "sha256", new_sha)
    return {
        "figure_id": fid,
        "quote": quote,
        "new_quote": new_quote,
        "old_sha": old_sha,
        "new_sha": new_sha,
    }


def add_source(project: Path, fixture: Path) -> None:
    """Add a source as a maintainer would, with data only: its text and its raw rows.

    `fixture` holds `texts/` and CSV files named after raw tables, with any subset of
    their columns; each row is appended to the project's table, other cells left empty.
    """
    raw = project / "raw"
    if _holds_sources(raw, fixture):
        return  # already added (the suite runs on a copy that holds it)
    for text in sorted((fixture / "texts").iterdir()):
        shutil.copyfile(text, raw / "texts" / text.name)
    for table in sorted(fixture.glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as handle:
            added = list(csv.DictReader(handle))
        target = raw / table.name
        with target.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        unknown = set(added[0]) - set(header)
        assert not unknown, f"{table.name}: no such column in raw/{table.name}: {unknown}"
        with target.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header, restval="", lineterminator="\n")
            writer.writerows(added)


def _holds_sources(raw: Path, fixture: Path) -> bool:
    """True when every source of `fixture` is already a row of raw/sources.csv."""
    with (fixture / "sources.csv").open(encoding="utf-8", newline="") as handle:
        wanted = {r["source_id"] for r in csv.DictReader(handle)}
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as handle:
        held = {r["source_id"] for r in csv.DictReader(handle)}
    return wanted <= held


def raw_row_count(table: str, root: Path = ROOT) -> int:
    """How many rows raw/<table>.csv holds (records, not lines: a cell may span lines)."""
    with (root / "raw" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1
