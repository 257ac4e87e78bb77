"""Citing: where quotes, and the figures, periods and names inside them, stand in the sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.figures import find_figure_spans
from etl.load import SourceText
from etl.quotes import QuoteIndex, Span
from etl.tables import Table

if TYPE_CHECKING:
    from etl.transform import Built


class Citer:
    """Locates quotes, and the figures or periods inside them, in the source texts."""

    def __init__(self, texts: dict[str, SourceText], built: Built) -> None:
        self.texts = texts
        self.index = {sid: QuoteIndex(t.text) for sid, t in texts.items()}
        self.built = built

    def quote(self, table: Table, row: int, source_id: str, quote: str) -> Span | None:
        """The one place the quote stands in its source, or a finding."""
        found = self.index[source_id].find_all(quote)
        file = self.texts[source_id].file
        if not found:
            self.built.error(
                table,
                row,
                "quote",
                "quote-not-in-source",
                f"the quote is not in {file} - copy it verbatim from the source "
                "(only white space and quote marks may differ)",
                quote,
            )
            return None
        if len(found) > 1:
            self.built.error(
                table,
                row,
                "quote",
                "quote-ambiguous",
                f"the quote stands {len(found)} times in {file} - lengthen it "
                "until it is found once",
                quote,
            )
            return None
        span = found[0]
        return span

    def inside(
        self, table: Table, row: int, column: str, source_id: str, quote: Span, needle: str
    ) -> Span | None:
        """The one place `needle` stands inside the quote, as a whole word, or a finding."""
        found = self.index[source_id].find_all(needle, quote, whole=True)
        if len(found) != 1:
            problem = (
                "is not in the quote" if not found else f"stands {len(found)} times in the quote"
            )
            self.built.error(
                table,
                row,
                column,
                f"{column}-not-in-quote",
                f"{problem} - write it exactly as the quote prints it, and quote "
                "just enough text for it to stand once",
                needle,
            )
            return None
        self.cover(source_id, found[0])
        return found[0]

    def whole_figure(
        self, table: Table, row: int, source_id: str, quote: Span, span: Span, printed: str
    ) -> bool:
        """The transcribed figure must be the whole figure expression printed at that place."""
        text = self.texts[source_id].text
        for start, end in find_figure_spans(text[quote.start : quote.end]):
            start, end = start + quote.start, end + quote.start
            if start <= span.start and span.end <= end and (start, end) != (span.start, span.end):
                whole = " ".join(text[start:end].split())
                self.built.error(
                    table,
                    row,
                    "figure",
                    "figure-incomplete",
                    f"the source prints the figure as '{whole}' - transcribe the "
                    "whole figure, qualifier, multiplier and currency included",
                    printed,
                )
                return False
        return True

    def cover(self, source_id: str, span: Span) -> None:
        """Mark a span of a source as accounted for."""
        self.built.covered.setdefault(source_id, []).append(span)
