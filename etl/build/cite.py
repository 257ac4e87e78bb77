"""Stage 2, cite: where quotes, and the figures, periods and names inside them, stand in the
sources; every span cited is remembered, so the check stage can tell what is accounted for."""

from __future__ import annotations

from dataclasses import dataclass

from etl.build.load import SourceText
from etl.build.tables import CellErrors
from etl.report.catalogue import (
    FIGURE_INCOMPLETE,
    NOT_IN_QUOTE,
    QUOTE_AMBIGUOUS,
    QUOTE_NOT_IN_SOURCE,
    SAME_SPAN,
)
from etl.tableschema.table import Table
from etl.text.figures import find_figure_spans
from etl.text.quotes import Mismatch, QuoteIndex, Span


@dataclass(frozen=True)
class Cited:
    """A hand-typed item found in its source: the raw table, line and column it is typed
    in, where it stands, and the text looked for (the cell, or the name it stands for)."""

    table: str
    row: int
    column: str
    source_id: str
    span: Span
    text: str


class Citer:
    """Locates quotes, and the figures or periods inside them, in the source texts."""

    def __init__(self, texts: dict[str, SourceText], errors: CellErrors) -> None:
        self.texts = texts
        self.index = {sid: QuoteIndex(t.text) for sid, t in texts.items()}
        self.errors = errors
        #: Spans of each source that a transcribed row cites, by source id.
        self.covered: dict[str, list[Span]] = {}
        self._claims: dict[tuple[str, str, str, int, int], tuple[str, bool]] = {}
        #: Every cell (or name a cell stands for) found inside its quote, in order.
        self.cited: list[Cited] = []

    def quote(self, table: Table, row: int, source_id: str, quote: str) -> Span | None:
        """The one place the quote stands in its source, or a finding."""
        found = self.index[source_id].find_all(quote)
        file = self.texts[source_id].file
        if not found:
            where = _stops_matching(self.index[source_id].mismatch(quote))
            self.errors.add(
                table, row, "quote", QUOTE_NOT_IN_SOURCE, quote, source=file, mismatch=where
            )
            return None
        if len(found) > 1:
            self.errors.add(
                table, row, "quote", QUOTE_AMBIGUOUS, quote, times=len(found), source=file
            )
            return None
        return found[0]

    def inside(
        self,
        table: Table,
        row: int,
        column: str,
        source_id: str,
        quote: Span,
        needle: str,
        what: str = "",
    ) -> Span | None:
        """The one place `needle` stands inside the quote, as a whole word, or a finding
        (`what` names the needle when it is not the cell itself, e.g. a programme's name)."""
        found = self.index[source_id].find_all(needle, quote, whole=True)
        if len(found) != 1:
            problem = (
                "is not in the quote" if not found else f"stands {len(found)} times in the quote"
            )
            problem = f"{what} {problem}" if what else problem
            self.errors.add(table, row, column, NOT_IN_QUOTE, needle, problem=problem)
            return None
        self.cover(source_id, found[0])
        self.cited.append(Cited(table.name, row, column, source_id, found[0], needle))
        return found[0]

    def whole_figure(
        self,
        table: Table,
        row: int,
        source_id: str,
        quote: Span,
        span: Span,
        printed: str,
        language: str = "ru",
    ) -> bool:
        """The transcribed figure must be the whole figure expression printed at that place,
        as the figure-span finder of the source's `language` reads it."""
        text = self.texts[source_id].text
        for start, end in find_figure_spans(text[quote.start : quote.end], language):
            start, end = start + quote.start, end + quote.start
            if start <= span.start and span.end <= end and (start, end) != (span.start, span.end):
                whole = " ".join(text[start:end].split())
                self.errors.add(table, row, "figure", FIGURE_INCOMPLETE, printed, whole=whole)
                return False
        return True

    def claim(
        self,
        table: Table,
        row: int,
        column: str,
        what: str,
        source_id: str,
        span: Span,
        row_id: str,
        reason: str | None = None,
    ) -> bool:
        """Record that row `row_id` of `table` cites `span` as its `what`; a second row of
        the table citing the same span is a finding, unless either gives a reason."""
        key = (table.name, what, source_id, span.start, span.end)
        earlier = self._claims.get(key)
        if earlier is None:
            self._claims[key] = (row_id, bool(reason))
            return True
        other, excused = earlier
        if excused or reason:
            return True
        self.errors.add(
            table,
            row,
            column,
            SAME_SPAN,
            row_id,
            what=what,
            start=span.start,
            end=span.end,
            source=self.texts[source_id].file,
            other=f"row {other!r}",
        )
        return False

    def cover(self, source_id: str, span: Span) -> None:
        """Mark a span of a source as accounted for."""
        self.covered.setdefault(source_id, []).append(span)

    def text(self, source_id: str, span: Span) -> str:
        """The exact characters of a source at `span`."""
        return self.texts[source_id].text[span.start : span.end]


def _stops_matching(mismatch: Mismatch) -> str:
    """Where the quote stops matching its source, in words (for quote-not-in-source)."""
    if mismatch.at is None:
        return f": not even its start {mismatch.quote_next!r} stands there"
    tail = mismatch.matched[-30:]
    shown = tail if tail == mismatch.matched else "…" + tail
    after = repr(mismatch.text_next) if mismatch.text_next else "its end"
    return (
        f": it matches characters {mismatch.at.start}..{mismatch.at.end} up to {shown!r}, "
        f"then the quote has {mismatch.quote_next!r} where the source has {after}"
    )
