"""Stage 5, check: promises that span tables and sources (every number accounted for)."""

from __future__ import annotations

from etl.findings import Finding
from etl.load import SourceText
from etl.quotes import QuoteIndex, Span


def uncovered_numbers(text: SourceText, covered: list[Span]) -> list[Finding]:
    """Every number in a source that no figure, period, event date or waiver accounts for."""
    out = []
    for number in QuoteIndex(text.text).numbers():
        if any(c.start <= number.start and number.end <= c.end for c in covered):
            continue
        line = text.text.count("\n", 0, number.start) + 1
        context = " ".join(text.text[max(0, number.start - 30) : number.end + 30].split())
        out.append(
            Finding(
                text.file,
                line,
                None,
                "number-not-transcribed",
                f"the number stands in '…{context}…' but no figure, period, event date or waiver "
                "accounts for it - transcribe it in raw/figures.csv or waive it in raw/waivers.csv",
                text.text[number.start : number.end],
            )
        )
    return out
