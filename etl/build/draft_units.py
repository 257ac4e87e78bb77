"""Drafting, part 1: a source text cut into the units a quote is made of, and the printed
periods found in them.

A *sentence* ends at ".", "!", "?" or "…" before an upper-case letter, a digit or an opening
quote mark, or at the end of a line that ends in such a mark or a colon, that is a heading
(upper-case letters only, or the first of several lines when it ends in no such mark) or
that comes before a blank line; any other line break is a break inside a sentence (texts
extracted from PDF break lines anywhere). "г." and "гг." (year
words) and initials ("А.Г.") never end a sentence, nor does the number that opens a line
("4. МЕЖДУНАРОДНОЕ ...").

A sentence that refers back to the one before with "из них" / "of them" ("Более половины
из них ...") is joined to it: the two are one quote. A joined sentence is then cut into
*clauses* at ", то " (the "если ..., то ..." comparison) and ", while " / ", whereas ".

A *period* is the longest run of words around a four-digit year that the language's period
parser reads. A leading "в"/"in" is left out when what remains stands alone: a bare year or
range of years with an abbreviated year word ("В 2020–2022 гг." gives "2020–2022 гг."); it
is kept before an inflected phrase ("в 2013 году", "в 2000-х гг.", "в сентябре 2022 г.").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.text.errors import MissingLanguageData, ParseError
from etl.text.periods import Period
from etl.text.quotes import Span, numbers

_TERMINAL = re.compile(r"[.!?…:][\"”“»)]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…][\"”“»)]*(?=\s+[\"”“«„(]?[A-ZА-ЯЁ0-9])")
# a full stop after these ends no sentence: "г.", "гг.", an initial, "3 Sept. 2018"
_NO_END_WORD = re.compile(
    r"(?:^|[\s(])(?:г|гг|[A-ZА-ЯЁ]|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)$"
)
_BACK_REFERENCE = re.compile(r"(?<!\w)(?:из них|of them)(?!\w)", re.IGNORECASE)
_CLAUSE_CUT = re.compile(r",\s+(?=(?:то|while|whereas)\s)")
_WORD_START = re.compile(r"(?<![\w.-])\w")
_TOKEN = re.compile(r"[^\s,;:()\"”“«»„]+")
_YEAR = re.compile(r"[12][0-9]{3}")
_STANDALONE = re.compile(r"[0-9]{4}(?:\s?[-‐‑‒–—−]\s?[0-9]{4})?\s?гг?\.", re.IGNORECASE)
_LEADING_IN = re.compile(r"(?:в|in)\s+", re.IGNORECASE)
_LOOK_BEFORE, _LOOK_AFTER = 45, 30


@dataclass(frozen=True)
class Clause:
    """A stretch of the source a quote is made of; `heading` when it is a heading line."""

    span: Span
    heading: bool
    asides: tuple[Span, ...]  # top-level "( ... )" inside it, brackets included


@dataclass(frozen=True)
class FoundPeriod:
    """A period printed in a clause: its place, its printed text and what it reads as."""

    span: Span
    printed: str
    period: Period


def collapse(text: str) -> str:
    """Every run of white space as one space, the ends stripped (how a quote is written)."""
    return " ".join(text.split())


def _is_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, heading) of each run of lines that belong together."""
    runs: list[tuple[int, int, bool]] = []
    lines = text.splitlines(keepends=True)
    start = pos = 0
    for i, line in enumerate(lines):
        pos += len(line)
        body = line.strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        alone = start == pos - len(line)
        first = i == 0 and len(lines) > 1 and not _TERMINAL.search(body)
        heading = alone and (_is_heading(body) or first)
        if heading or not nxt or _TERMINAL.search(body) or i + 1 == len(lines):
            runs.append((start, pos, heading))
            start = pos
    return runs


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of one run of lines, trimmed."""
    cuts = [start]
    for match in _SENTENCE_END.finditer(text, start, end):
        head = text[cuts[-1] : match.start()]
        if _NO_END_WORD.search(head) or head.strip().isdigit():
            continue
        cuts.append(match.end())
    cuts.append(end)
    return [s for a, b in itertools.pairwise(cuts) if (s := _trim(text, a, b))]


def asides(text: str, span: Span) -> tuple[Span, ...]:
    """The top-level bracketed parts of a span of `text`."""
    found: list[Span] = []
    depth, opened = 0, 0
    for i in range(span.start, span.end):
        if text[i] == "(":
            depth += 1
            if depth == 1:
                opened = i
        elif text[i] == ")" and depth:
            depth -= 1
            if depth == 0:
                found.append(Span(opened, i + 1))
    return tuple(found)


def clauses(text: str) -> list[Clause]:
    """The clauses of a source text, in order (see the module docstring)."""
    units: list[tuple[Span, bool]] = []
    for start, end, heading in _lines(text):
        for sentence in _sentences(text, start, end):
            back = _BACK_REFERENCE.search(text, sentence.start, sentence.end)
            if back and units and not units[-1][1]:
                units[-1] = (Span(units[-1][0].start, sentence.end), False)
            else:
                units.append((sentence, heading))
    out = []
    for span, heading in units:
        cuts = [span.start, *(m.end() for m in _CLAUSE_CUT.finditer(text, span.start, span.end))]
        ends = [m.start() for m in _CLAUSE_CUT.finditer(text, span.start, span.end)] + [span.end]
        for a, b in zip(cuts, ends, strict=True):
            if piece := _trim(text, a, b):
                out.append(Clause(piece, heading, asides(text, piece)))
    return out


def _ends_after(text: str, pos: int, limit: int) -> list[int]:
    """Where a period may end: after each token from `pos` to `limit`, and before its dot."""
    ends = []
    for match in _TOKEN.finditer(text, pos, limit):
        if match.start() > limit:
            break
        ends.append(match.end())
        if text[match.end() - 1] == "." and match.end() - 1 > match.start():
            ends.append(match.end() - 1)
    return ends


def _printed(text: str, start: int, end: int) -> tuple[str, int]:
    """A period as it is transcribed (white space collapsed, a needless "в"/"in" left
    out), and where that starts."""
    lead = _LEADING_IN.match(text, start, end)
    if lead and _STANDALONE.fullmatch(collapse(text[lead.end() : end])):
        return collapse(text[lead.end() : end]), lead.end()
    return collapse(text[start:end]), start


def find_periods(
    text: str, clause: Span, parse: Callable[[str], Period]
) -> tuple[list[FoundPeriod], list[str]]:
    """The periods printed in a clause, and why any could not be read (a missing parser)."""
    found: list[FoundPeriod] = []
    problems: list[str] = []
    for number in numbers(text[clause.start : clause.end]):
        start, end = clause.start + number.start, clause.start + number.end
        if not _YEAR.fullmatch(text[start:end]) or any(p.span.end > start for p in found):
            continue
        low = max(clause.start, start - _LOOK_BEFORE, found[-1].span.end if found else 0)
        starts = [m.start() for m in _WORD_START.finditer(text, low, start + 1)]
        ends = _ends_after(text, start, min(clause.end, end + _LOOK_AFTER))
        best: FoundPeriod | None = None
        longest = 0
        for a in starts:
            for b in sorted((b for b in ends if b >= end), reverse=True):
                if b - a <= longest:
                    break
                try:
                    period = parse(collapse(text[a:b]))
                except MissingLanguageData as exc:
                    problems.append(str(exc))
                    return [], problems
                except ParseError:
                    continue
                printed, offset = _printed(text, a, b)
                best, longest = FoundPeriod(Span(offset, b), printed, period), b - a
                break
        if best is not None:
            found.append(best)
    return found, problems
