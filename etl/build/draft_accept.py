"""Drafting, part 5: a draft folder written, summed up on the terminal, and, once reviewed,
accepted into raw/.

Every table's columns come from its schema in schemas/raw/ (never a list kept here).
`accept` checks everything before it writes anything: the draft's tables have their
schemas' columns, no cell still says "TODO: ...", no id (primary key) is already in raw/ and
the text is not already under raw/texts/; then it appends the rows to raw/<table>.csv, in
the raw file's column order, and copies the text byte for byte.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

from etl.build.draft import REVIEW, REVIEW_FIELDS, Draft
from etl.build.draft_indicators import TODO
from etl.build.settings import Settings
from etl.report.errors import UsageError
from etl.tableschema.model import TableSchema
from etl.tableschema.schema import load_schemas


def raw_schemas(settings: Settings) -> dict[str, TableSchema]:
    """The raw tables' schemas; a schema that cannot be read is a UsageError."""
    schemas, findings = load_schemas(settings.schemas / "raw", "schemas/raw")
    if findings:
        raise UsageError(f"{findings[0].file}: {findings[0].message} - fix the schema first")
    return schemas


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def default_folder(settings: Settings, source_id: str) -> Path:
    """drafts/ID of the project."""
    return settings.root / "drafts" / source_id


def write_draft(settings: Settings, found: Draft, folder: Path) -> Path:
    """Write the draft folder; it must not exist yet, and must not be inside raw/."""
    folder = folder.resolve()
    if folder == settings.raw or settings.raw in folder.parents:
        raise UsageError(f"{folder} is inside raw/ - a draft goes elsewhere (default drafts/ID)")
    if folder.exists():
        raise UsageError(
            f"{folder} already exists - review and accept it (etl draft --accept "
            f"{found.source_id}), or remove it, or give another --out"
        )
    schemas = raw_schemas(settings)
    for name, rows in found.tables.items():
        extra = sorted({k for r in rows for k in r} - set(schemas[name].field_names))
        if extra:
            raise UsageError(f"schemas/raw/{name}.yaml has no field {extra[0]!r} the draft fills")
    (folder / "texts").mkdir(parents=True)
    path = found.tables["sources"][0]["path"]
    (folder / path).write_bytes(found.text_bytes)
    for name, rows in found.tables.items():
        _write_csv(folder / f"{name}.csv", schemas[name].field_names, rows)
    _write_csv(folder / REVIEW, list(REVIEW_FIELDS), found.review)
    return folder


def summary(found: Draft) -> str:
    """The review table in lines a person reads on a terminal."""
    counts = {name: len(rows) for name, rows in found.tables.items()}
    lines = [
        f"Drafted {found.source_id}: " + ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    ]
    for r in found.review:
        kind, printed, status = r["kind"], r["printed"], r["status"]
        if kind == "figure":
            bounds = f"[{r['lower'] or '-inf'}, {r['upper'] or 'inf'}]"
            parsed = (
                f"{r['value']} {r['comparator']} {bounds} x{r['multiplier']}" if r["value"] else "?"
            )
            money = f" {r['currency']}" if r["currency"] else ""
            unit = f" {r['unit']}" if r["unit"] else ""
            period = (
                f" | {r['period']} ({r['period_start']}..{r['period_end']})" if r["period"] else ""
            )
            partners = f" | partners {r['partners']}" if r["partners"] else ""
            lines.append(
                f"  figure {printed!r}: {parsed}{money}{unit}{period}{partners}"
                f" | {r['indicator']} ({r['indicator_method']}, {r['indicator_score']}, "
                f"{r['indicator_sure']})"
            )
            if status != "ok":
                lines.append(f"    {status}")
        elif kind == "event":
            lines.append(f"  event {printed!r} ({r['period_start']}..{r['period_end']}): {status}")
        elif kind == "waiver":
            lines.append(f"  waiver {printed!r}: {status}")
        else:
            lines.append(f"  UNREAD {printed!r}: {status}")
    unread = sum(1 for r in found.review if r["kind"] == "unread" or "could not" in r["status"])
    lines.append(f"{unread} item(s) could not be read; every row is in {REVIEW}")
    return "\n".join(lines) + "\n"


def _draft_tables(folder: Path, schemas: dict[str, TableSchema]) -> dict[str, list[dict[str, str]]]:
    """The draft's raw tables, each checked to have its schema's columns and no TODO."""
    tables: dict[str, list[dict[str, str]]] = {}
    for path in sorted(folder.glob("*.csv")):
        if path.name == REVIEW:
            continue
        name = path.stem
        shown = f"{folder.name}/{path.name}"
        if name not in schemas:
            raise UsageError(f"{shown}: no raw table is called {name!r} - remove the file")
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            rows = list(reader)
        if sorted(header) != sorted(schemas[name].field_names):
            raise UsageError(
                f"{shown}: columns {header} are not those of schemas/raw/{name}.yaml - "
                "draft the source again"
            )
        for line, row in enumerate(rows, start=2):
            for column, cell in row.items():
                if (cell or "").startswith(TODO.strip()):
                    raise UsageError(
                        f"{shown}:{line}, field {column}: {cell!r} - write it before accepting"
                    )
        tables[name] = rows
    return tables


def accept(settings: Settings, folder: Path) -> dict[str, int]:
    """Append a reviewed draft's rows to raw/ and copy its text; rows added, by table."""
    if not (folder / "sources.csv").is_file():
        raise UsageError(f"{folder} is not a draft folder (it has no sources.csv) - draft first")
    schemas = raw_schemas(settings)
    tables = _draft_tables(folder, schemas)
    for name, rows in tables.items():
        key = schemas[name].primary_key or tuple(schemas[name].field_names)
        target = settings.raw / f"{name}.csv"
        with target.open(encoding="utf-8", newline="") as handle:
            have = {tuple(r[k] for k in key) for r in csv.DictReader(handle)}
        for row in rows:
            if tuple(row[k] for k in key) in have:
                shown = ", ".join(f"{k}={row[k]!r}" for k in key)
                raise UsageError(
                    f"{folder.name}/{name}.csv: {shown} is already in raw/{name}.csv - "
                    "give the draft new ids, or drop the row"
                )
    texts = [(folder / r["path"], settings.raw / r["path"]) for r in tables["sources"]]
    for draft_text, raw_text in texts:
        if raw_text.exists():
            raise UsageError(f"raw/{raw_text.relative_to(settings.raw)} already exists")
        if not draft_text.is_file():
            raise UsageError(f"{draft_text} is missing - the draft must hold its source text")
    for draft_text, raw_text in texts:
        shutil.copyfile(draft_text, raw_text)
    for name, rows in tables.items():
        _append(settings.raw / f"{name}.csv", rows)
    return {name: len(rows) for name, rows in tables.items()}


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to a raw CSV, in its own column order, after a final line break."""
    if not rows:
        return
    data = path.read_bytes()
    with path.open("a", encoding="utf-8", newline="") as handle:
        if data and not data.endswith(b"\n"):
            handle.write("\n")
        header = next(csv.reader([data.decode("utf-8").splitlines()[0]]))
        csv.DictWriter(handle, header, lineterminator="\n").writerows(rows)
