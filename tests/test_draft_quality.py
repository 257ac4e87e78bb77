"""benchmarks/draft_quality.py: its scoring, and the seed line it prints, derived from raw/."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from draft_quality import run, score, table  # noqa: E402

from tests.projects import copy_project  # noqa: E402


def test_score_counts_only_rows_right_in_figure_quote_and_period() -> None:
    """A row with another period is not right; a right row with another value is right but
    its values are not."""
    truth = [
        {"figure": "5", "quote": "Было  5.", "period": "", "value": "5", "comparator": "exact"},
        {"figure": "6", "quote": "Q", "period": "2020 г.", "value": "6", "comparator": "exact"},
    ]
    drafted = [
        {"figure": "5", "quote": "Было 5.", "period": "", "value": "5.0", "comparator": "exact"},
        {"figure": "6", "quote": "Q", "period": "", "value": "6", "comparator": "exact"},
    ]
    assert score(drafted, truth, with_unit=False) == {
        "drafted": 2,
        "truth": 2,
        "right": 1,
        "values": 1,
    }


def _seed_only(project: Path) -> Path:
    """A copy of raw/ and schemas/ with the seed's rows alone (the first source of
    raw/sources.csv), whatever other sources raw/ holds."""
    project = copy_project(project, with_dist=False)
    with (project / "raw/sources.csv").open(encoding="utf-8", newline="") as handle:
        seed = next(csv.DictReader(handle))["source_id"]
    for name in ("sources", "figures", "waivers"):
        path = project / "raw" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        column = rows[0].index("source_id")
        kept = [rows[0]] + [r for r in rows[1:] if r[column] == seed]
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(kept)
    return project


def test_seed_line_is_full_recall_with_nothing_waived_drafted(tmp_path: Path) -> None:
    """On the seed every transcribed figure is drafted right, values too, and no drafted
    figure is one the transcription waives."""
    project = _seed_only(tmp_path)
    with (project / "raw/figures.csv").open(encoding="utf-8", newline="") as handle:
        transcribed = len(list(csv.DictReader(handle)))
    lines = dict(run(project))
    seed = lines["seed"]
    assert (seed["truth"], seed["right"], seed["values"], seed["waived"]) == (
        transcribed,
        transcribed,
        transcribed,
        0,
    )
    assert (
        table(list(lines.items()))
        .splitlines()[2]
        .startswith(f"| seed | {seed['drafted']} | {transcribed} | {transcribed} |")
    )
