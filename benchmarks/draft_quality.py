"""How well `etl draft` drafts figures: precision and recall against transcriptions.

Runs the drafting (etl.build.draft.draft, what `etl draft` calls, writing nothing) over
every source of the seed (raw/texts/*.txt, with raw/figures.csv as the truth) and over the
fixture reports of tests/data/draft/ (NAME.txt, with NAME.expected.csv as the truth).

A drafted figure is *right* when its figure as printed, its quote (white space collapsed)
and its period as printed all equal a transcribed row's. Its *values* are right when, in
addition, value, comparator, currency and period start and end agree (and, on the seed, the
unit of the suggested indicator is that of the transcribed one). The seed's truth values
are what the project's parsers read from the transcribed rows. Also printed: drafted
figures the transcription waives, and indicator suggestions equal to the transcribed ones.

Usage: python benchmarks/draft_quality.py [PROJECT]
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "draft"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _value(text: str) -> str:
    return format(Decimal(text).normalize(), "f") if text else ""


def _key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["figure"], " ".join(row["quote"].split()), row["period"])


def _seed_truth(project: Path, source: dict[str, str]) -> list[dict[str, Any]]:
    """The transcribed figures of a seed source, with the values the parsers read."""
    from etl.text.figures import parse_figure
    from etl.text.periods import parse_period

    units = {r["indicator_id"]: r["unit_en"] for r in _rows(project / "raw/indicators.csv")}
    truth = []
    for row in _rows(project / "raw/figures.csv"):
        if row["source_id"] != source["source_id"]:
            continue
        figure = parse_figure(row["figure"], rouble=source["rouble_currency"] or None)
        period = parse_period(row["period"]) if row["period"] else None
        truth.append(
            {
                **row,
                "value": format(figure.value, "f"),
                "comparator": str(figure.comparator),
                "currency": figure.currency or "",
                "period_start": str(period.start or "") if period else "",
                "period_end": str(period.end or "") if period else "",
                "unit": units.get(row["indicator_id"], ""),
            }
        )
    return truth


def _values(row: dict[str, Any], with_unit: bool) -> tuple[str, ...]:
    keys = ["comparator", "currency", "period_start", "period_end"] + (["unit"] * with_unit)
    return (_value(str(row["value"])), *(str(row.get(k, "")) for k in keys))


def score(
    drafted: list[dict[str, Any]], truth: list[dict[str, Any]], with_unit: bool
) -> dict[str, int]:
    """Counts: drafted, transcribed, right (figure, quote, period) and right with values."""
    wanted = {_key(t): t for t in truth}
    right = values = 0
    for row in drafted:
        t = wanted.get(_key(row))
        if t is None:
            continue
        right += 1
        values += _values(row, with_unit) == _values(t, with_unit)
    return {"drafted": len(drafted), "truth": len(truth), "right": right, "values": values}


def _drafted(found: Any) -> list[dict[str, Any]]:
    """Drafted figure rows joined with their review rows (value, comparator, ...)."""
    review = {r["row"]: r for r in found.review}
    return [
        {**f, **{k: v for k, v in review[f"figures.csv:{f['figure_id']}"].items() if k != "period"}}
        for f in found.tables["figures"]
    ]


def run(project: Path) -> list[tuple[str, dict[str, int]]]:
    """One line per corpus: the seed, and the fixtures by language."""
    from etl.build.draft import draft
    from etl.build.settings import Settings

    settings = Settings.for_project(project)
    lines: list[tuple[str, dict[str, int]]] = []
    total: dict[str, int] = {}
    for source in _rows(project / "raw/sources.csv"):
        found = draft(
            settings,
            project / "raw" / source["path"],
            source_id=source["source_id"],
            language=source["language"],
            rouble=source["rouble_currency"] or None,
        )
        drafted = _drafted(found)
        counts = score(drafted, _seed_truth(project, source), with_unit=True)
        truth_ids = {_key(r): r["indicator_id"] for r in _rows(project / "raw/figures.csv")}
        counts["indicator"] = sum(truth_ids.get(_key(d)) == d["indicator_id"] for d in drafted)
        waived = [
            w for w in _rows(project / "raw/waivers.csv") if w["source_id"] == source["source_id"]
        ]
        counts["waived"] = sum(
            any(w["number"] in d["figure"] and w["quote"] in d["quote"] for w in waived)
            for d in drafted
            if _key(d) not in truth_ids
        )
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    lines.append(("seed", total))
    by_language: dict[str, dict[str, int]] = {}
    for text in sorted(FIXTURES.glob("*.txt")):
        language = text.name.split("-")[0]
        found = draft(settings, text, language=language)
        counts = score(_drafted(found), _rows(text.with_suffix(".expected.csv")), with_unit=False)
        into = by_language.setdefault(language, {})
        for k, v in counts.items():
            into[k] = into.get(k, 0) + v
    lines.extend((f"fixtures ({lang})", c) for lang, c in sorted(by_language.items()))
    return lines


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def table(lines: list[tuple[str, dict[str, int]]]) -> str:
    """The results as a Markdown table."""
    out = [
        "| corpus | drafted | transcribed | figures right | precision | recall "
        "| values right | precision | recall | waived drafted | indicator as transcribed |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, c in lines:
        out.append(
            f"| {name} | {c['drafted']} | {c['truth']} | {c['right']} "
            f"| {_pct(c['right'], c['drafted'])} | {_pct(c['right'], c['truth'])} "
            f"| {c['values']} | {_pct(c['values'], c['drafted'])} "
            f"| {_pct(c['values'], c['truth'])} "
            f"| {c.get('waived', '-')} | {c.get('indicator', '-')} |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    print(table(run(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)))
