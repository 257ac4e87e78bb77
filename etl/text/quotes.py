"""Finding verbatim quotes in a source text, tolerant of white space and quote marks only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.text.number_words import number_word_spans
from etl.text.roman import roman_numeral_spans

#: Characters that count as the same quote mark when quotes are matched.
QUOTE_MARKS = '"“”„‟«»'
_SPACE = re.compile(r"\s+")
_QUOTE_TABLE = str.maketrans({mark: '"' for mark in QUOTE_MARKS})
#: A number as it stands in prose, whatever touches it ("64m", "Горизонт-2020"): digits,
#: thousand groups ("12 345", "1,100"), a decimal comma or point ("1,1", "6.4").
NUMBER = re.compile(r"(?<!\d)(?<!\d[.,])\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)*")


def normalise(text: str) -> str:
    """White space runs (no-break spaces, line breaks) as one space; quote marks as '"'."""
    return _SPACE.sub(" ", text.translate(_QUOTE_TABLE)).strip()


@dataclass(frozen=True)
class Span:
    """Characters start..end (end excluded) of a source text, in code points."""

    start: int
    end: int


@dataclass(frozen=True)
class Mismatch:
    """Where a quote stops matching a text: the part that matches (normalised), where it
    stands (None when not even the first character does), and what comes next in each."""

    matched: str
    at: Span | None
    quote_next: str
    text_next: str


class QuoteIndex:
    """A source text normalised for matching, remembering where each character came from."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars: list[str] = []
        origin: list[int] = []
        in_space = False
        for i, ch in enumerate(text):
            if ch.isspace():
                if not in_space:
                    chars.append(" ")
                    origin.append(i)
                in_space = True
                continue
            in_space = False
            chars.append(ch.translate(_QUOTE_TABLE))
            origin.append(i)
        self.normal = "".join(chars)
        self._origin = origin

    def _to_source(self, start: int, end: int) -> Span:
        return Span(self._origin[start], self._origin[end - 1] + 1)

    def find_all(
        self, needle: str, within: Span | None = None, *, whole: bool = False
    ) -> list[Span]:
        """Every place `needle` stands (normalised), optionally inside `within`.

        With `whole`, a match must not touch a letter or digit on either side.
        """
        target = normalise(needle)
        if not target:
            return []
        lo, hi = 0, len(self.normal)
        if within is not None:
            lo = self._normal_index(within.start)
            hi = self._normal_index(within.end)
        spans = []
        pos = self.normal.find(target, lo, hi)
        while pos != -1:
            end = pos + len(target)
            before = _joins(self.normal, pos - 1, -1, target[0].isdigit())
            if not whole or not (before or _joins(self.normal, end, 1, target[-1].isdigit())):
                spans.append(self._to_source(pos, end))
            pos = self.normal.find(target, pos + 1, hi)
        return spans

    def mismatch(self, needle: str, width: int = 20) -> Mismatch:
        """Where a quote not in the text stops matching it: the longest prefix of the
        (normalised) quote that stands in the text, its first place, and the next `width`
        characters of the quote and of the text there."""
        target = normalise(needle)
        found, missing = 0, len(target) + 1  # target[:found] stands in the text
        while missing - found > 1:
            middle = (found + missing) // 2
            if target[:middle] in self.normal:
                found = middle
            else:
                missing = middle
        if found == 0:
            return Mismatch("", None, target[:width], "")
        pos = self.normal.find(target[:found])
        end = pos + found
        return Mismatch(
            target[:found],
            self._to_source(pos, end),
            target[found : found + width],
            self.normal[end : end + width],
        )

    def _normal_index(self, source_index: int) -> int:
        """The first normalised position that comes from `source_index` or later."""
        from bisect import bisect_left

        return bisect_left(self._origin, source_index)

    def numbers(self) -> list[Span]:
        """Every number in the source text."""
        return numbers(self.text)


def numbers(text: str, language: str | None = None) -> list[Span]:
    """Every number printed in `text` ("1,1", "6.4", "12 345", each year of "2020–2022"),
    and with a `language` every number printed in its words ("семь", "seven") and every
    Roman numeral that counts (etl.text.roman: "XXI век", "Phase II"), in order."""
    found = [Span(m.start(), m.end()) for m in NUMBER.finditer(text)]
    if language is not None:
        found += [Span(start, end) for start, end in number_word_spans(text, language)]
        found += [Span(start, end) for start, end in roman_numeral_spans(text, language)]
    return sorted(found, key=lambda span: span.start)


def _joins(text: str, index: int, step: int, digit: bool = False) -> bool:
    """True when the character at `index` continues a word or number ("9" in "9,4").

    Next to a `digit` of the needle only a digit, or a decimal sign and a digit, continue
    it: a number is whole even when glued to letters ("64" in "64m"), as NUMBER finds it.
    """
    if not 0 <= index < len(text):
        return False
    if text[index].isdigit() or (text[index].isalpha() and not digit):
        return True
    beyond = index + step
    return text[index] in ",." and 0 <= beyond < len(text) and text[beyond].isdigit()
