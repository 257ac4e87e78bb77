"""Drafting, part 3: an indicator suggested for each drafted figure.

What a figure measures is a count, money (it has a currency) or a share ("половина",
"доля"). For a count, an existing indicator of raw/indicators.csv is suggested when its unit
is the figure's counted noun: by lemma (pymorphy3: "проектах" and "проект" are one word),
else by a difflib similarity of the lemmas of at least 0.8. Among the indicators that fit
(and for money and shares, among those of the same measure), the one whose label shares
most content words (lemmas) with the figure's clause wins; a tie goes to the label with the
fewest words the clause does not have (the higher Jaccard score). With no fit, a new
indicator row is drafted and marked as a suggestion, its English words left to write.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from etl.build.draft_text import DraftFigure
from etl.build.draft_words import latin_id, lemma, lemmas

TODO = "TODO: "
_SIMILAR = 0.8
_SHARE_WORDS = frozenset({"половина", "доля", "процент", "half", "share", "percent"})


@dataclass(frozen=True)
class Suggestion:
    """The indicator suggested for a figure, how it was found and how sure it is."""

    indicator_id: str
    method: str  # "lemma", "similarity", "label" or "new"
    score: float  # 0..1: the Jaccard score of label and clause (1.0 for a sole lemma match)
    sure: str  # "high", "medium" or "low"
    why: str
    new_row: dict[str, str] | None = None


def measure_of(figure: DraftFigure) -> str:
    """count, money or share, from the parsed figure (or its printed words)."""
    if figure.figure is not None and figure.figure.currency_printed:
        return "money"
    words = {lemma(w) for w in figure.printed.split()} | (
        {lemma(figure.counted)} if figure.counted else set()
    )
    return "share" if words & _SHARE_WORDS or "%" in figure.printed else "count"


def _unit_lemmas(row: dict[str, Any], language: str) -> set[str]:
    unit = row["unit_ru"] if language == "ru" else row["unit_en"]
    return {lemma(word) for word in (unit or "").split()}


def _ranked(rows: list[dict[str, Any]], context: frozenset[str], language: str) -> list[Any]:
    """(overlap, jaccard, row) best first."""
    scored = []
    for row in rows:
        label = lemmas(row["label_ru"] if language == "ru" else row["label_en"])
        overlap = len(label & context)
        union = len(label | context) or 1
        scored.append((overlap, overlap / union, row))
    return sorted(scored, key=lambda s: (-s[0], -s[1], s[2]["indicator_id"]))


def suggest(
    figure: DraftFigure, indicators: list[dict[str, Any]], language: str, new: dict[str, Any]
) -> Suggestion:
    """The suggestion for one figure; `new` collects new indicator rows by id."""
    measure = measure_of(figure)
    same = [r for r in indicators if r["measure"] == measure]
    context = lemmas(figure.context)
    noun = lemma(figure.counted) if figure.counted else None
    method, fits = "label", same
    if measure == "count":
        fits, method = [], "new"
        if noun is not None:
            fits = [r for r in same if noun in _unit_lemmas(r, language)]
            method = "lemma" if fits else "similarity"
            if not fits:
                ratios = [
                    (
                        max(
                            (difflib.SequenceMatcher(None, noun, u).ratio() for u in units),
                            default=0,
                        ),
                        r,
                    )
                    for r in same
                    if (units := _unit_lemmas(r, language))
                ]
                fits = [r for ratio, r in ratios if ratio >= _SIMILAR]
    ranked = _ranked(fits, context, language)
    if ranked and (method != "label" or ranked[0][0] > 0):
        overlap, jaccard, row = ranked[0]
        rival = ranked[1] if len(ranked) > 1 else None
        if rival is None or rival[0] < overlap:
            sure = "high" if method == "lemma" else "medium"
        else:
            sure = "medium" if method == "lemma" else "low"
        what = {
            "lemma": f"counted noun {figure.counted!r} (lemma {noun!r}) is its unit",
            "similarity": f"counted noun lemma {noun!r} is close to its unit",
            "label": f"the only {measure} indicators" if len(ranked) == 1 else f"{measure}",
        }[method]
        others = f"; next: {rival[2]['indicator_id']} ({rival[0]} shared)" if rival else ""
        why = f"{what}; label shares {overlap} words with the clause{others}"
        score = 1.0 if rival is None and method == "lemma" else round(jaccard, 2)
        return Suggestion(row["indicator_id"], method, score, sure, why)
    return _new(figure, measure, noun, new)


def _new(figure: DraftFigure, measure: str, noun: str | None, new: dict[str, Any]) -> Suggestion:
    """A new indicator row (shared by the figures that count the same noun)."""
    base = latin_id(noun) if noun else measure
    indicator_id = f"new-{base}"
    if indicator_id not in new:
        new[indicator_id] = {
            "indicator_id": indicator_id,
            "measure": measure,
            "unit_en": "" if measure == "money" else f"{TODO}English for {noun or measure!r}",
            "unit_ru": "" if measure == "money" else (noun or f"{TODO}единица"),
            "label_en": f"{TODO}what {figure.printed!r} measures, in English",
            "label_ru": f"{TODO}что измеряет {figure.printed!r}",
        }
    why = f"no indicator counts {noun!r}" if noun else f"no {measure} indicator fits the clause"
    return Suggestion(
        indicator_id, "new", 0.0, "low", f"{why}: a new indicator is suggested", new[indicator_id]
    )
