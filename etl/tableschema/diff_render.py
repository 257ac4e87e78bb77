"""A package difference (etl.tableschema.diff) as text, JSON or Markdown."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from etl.tableschema.diff import PackageDiff, TableDiff

DIFF_FORMATS = ("text", "json", "markdown")


def render_diff(diff: PackageDiff, fmt: str) -> str:
    """The difference in the format named `fmt` (one of DIFF_FORMATS)."""
    if fmt == "json":
        return json.dumps(diff_dict(diff), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(diff)
    return _text(diff)


def _value(value: Any) -> Any:
    """A cell as JSON holds it: dates and times in ISO 8601."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: _value(v) for name, v in row.items()}


def diff_dict(diff: PackageDiff) -> dict[str, Any]:
    """The difference as a JSON-ready mapping."""
    return {
        "format": "etl-diff",
        "version": 1,
        "old": diff.old,
        "new": diff.new,
        "equal": not diff.differs,
        "tables_added": list(diff.tables_added),
        "tables_removed": list(diff.tables_removed),
        "files_added": list(diff.files_added),
        "files_removed": list(diff.files_removed),
        "files_changed": list(diff.files_changed),
        "tables": [
            {
                "table": t.name,
                "primary_key": list(t.key),
                "note": t.note,
                "fields_added": list(t.fields_added),
                "fields_removed": list(t.fields_removed),
                "added": [_row(r) for r in t.added],
                "removed": [_row(r) for r in t.removed],
                "changed": [
                    {
                        "key": _row(c.key),
                        "fields": [
                            {"field": f, "old": _value(old), "new": _value(new)}
                            for f, old, new in c.fields
                        ],
                    }
                    for c in t.changed
                ],
            }
            for t in diff.tables
            if t.differs or t.note
        ],
    }


def _shown(value: Any) -> str:
    """A cell for people: text quoted, null as `null`, dates in ISO 8601."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value).lower()
    return str(_value(value))


def _key(table: TableDiff, row: dict[str, Any]) -> str:
    """The row named by its key, or (no key) by all its values."""
    names = table.key or tuple(row)
    return ", ".join(f"{n}={_shown(row[n])}" for n in names)


def _counts(table: TableDiff) -> str:
    parts = [
        f"{len(table.added)} added" if table.added else "",
        f"{len(table.removed)} removed" if table.removed else "",
        f"{len(table.changed)} changed" if table.changed else "",
    ]
    return ", ".join(p for p in parts if p) or "no row changed"


def _files(diff: PackageDiff) -> list[tuple[str, tuple[str, ...]]]:
    """The file resources added, removed and changed, each with its verb."""
    return [
        ("added", diff.files_added),
        ("removed", diff.files_removed),
        ("changed", diff.files_changed),
    ]


def _text(diff: PackageDiff) -> str:
    lines = [f"{diff.old} -> {diff.new}"]
    lines += [f"table added: {name}" for name in diff.tables_added]
    lines += [f"table removed: {name}" for name in diff.tables_removed]
    lines += [f"file {verb}: {name}" for verb, names in _files(diff) for name in names]
    for table in diff.tables:
        if not table.differs and not table.note:
            continue
        lines.append(f"table {table.name}: {_counts(table)}")
        if table.note:
            lines.append(f"  note: {table.name} {table.note}")
        lines += [f"  field added: {name}" for name in table.fields_added]
        lines += [f"  field removed: {name}" for name in table.fields_removed]
        lines += [f"  added: {_key(table, row)}" for row in table.added]
        lines += [f"  removed: {_key(table, row)}" for row in table.removed]
        for change in table.changed:
            lines.append(f"  changed: {_key(table, change.key)}")
            lines += [
                f"    {name}: {_shown(old)} -> {_shown(new)}" for name, old, new in change.fields
            ]
    if not diff.differs:
        lines.append("no difference")
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    """A value inside a Markdown table cell."""
    text = value if isinstance(value, str) else _shown(value)
    return " ".join(text.split()).replace("|", "\\|") or '""'


def _markdown(diff: PackageDiff) -> str:
    if not diff.differs:
        return "No difference.\n"
    lines: list[str] = []
    if diff.tables_added:
        lines += [f"- Table added: `{name}`" for name in diff.tables_added]
    if diff.tables_removed:
        lines += [f"- Table removed: `{name}`" for name in diff.tables_removed]
    lines += [f"- File {verb}: `{name}`" for verb, names in _files(diff) for name in names]
    if lines:
        lines.append("")
    for table in diff.tables:
        if not table.differs:
            continue
        lines += [f"### `{table.name}`: {_counts(table)}", ""]
        if table.note:
            lines += [f"`{table.name}` {table.note}.", ""]
        notes = [f"- Field added: `{name}`" for name in table.fields_added]
        notes += [f"- Field removed: `{name}`" for name in table.fields_removed]
        notes += [f"- Added: {_cell(_key(table, row))}" for row in table.added]
        notes += [f"- Removed: {_cell(_key(table, row))}" for row in table.removed]
        if notes:
            lines += [*notes, ""]
        if table.changed:
            lines += ["| row | field | old | new |", "|---|---|---|---|"]
            for change in table.changed:
                row = _cell(_key(table, change.key))
                lines += [
                    f"| {row} | `{name}` | {_cell(old)} | {_cell(new)} |"
                    for name, old, new in change.fields
                ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
