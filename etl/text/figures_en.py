"""Figures printed in English prose: "€6.4 million", "about 6 million euros", "over 1,100",
"seven", "64m", "5–7 per cent".

A figure is ``[qualifier] [symbol] number [(–|to) number] [multiplier] [currency] [%]``;
the number has a decimal point and may group thousands with commas ("1,100"); a
multiplier may be glued to it ("64m", "6.4bn"). The words are data in
etl.text.figure_languages. `find_english_figure_spans` finds where such figures stand in
prose, with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from etl.text.figure_languages import (
    EN_AMBIGUOUS_CURRENCIES,
    EN_CURRENCY_SYMBOLS,
    EN_CURRENCY_WORDS,
    EN_MULTIPLIERS,
    EN_UNKNOWN_MULTIPLIERS,
    language,
    range_closing,
    range_opening,
)
from etl.text.figure_model import FigureError, Parts, currency_name
from etl.text.figure_words import MAX_DIGITS, RANGE_DASH_RE, Comparator
from etl.text.number_words import read_number_words

_EN: Final = language("en")
_SPACE: Final = r"[ \u00a0\u202f\t\n]+"


def _alternatives(phrases: Iterable[str]) -> str:
    """A regular expression matching any of `phrases`, longest first, any spaces between."""
    words = sorted(phrases, key=len, reverse=True)
    return "|".join(_SPACE.join(map(re.escape, w.split())) for w in words)


_QUALIFIER_RE: Final = re.compile(
    rf"(?:{_alternatives(_EN.qualifiers)})(?={_SPACE})", re.IGNORECASE
)
_SYMBOL_RE: Final = re.compile(
    rf"(?:{_alternatives(EN_CURRENCY_SYMBOLS)}|(?P<bare>\$))[ \u00a0\u202f]?", re.IGNORECASE
)
NUMBER_EN_RE: Final = re.compile(
    r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
)
_GLUED_RE: Final = re.compile(r"[a-z]+(?![^\W\d_])", re.IGNORECASE)
_CURRENCY_RE: Final = re.compile(
    rf"{_SPACE}(?:(?P<word>{_alternatives(EN_CURRENCY_WORDS)})|(?P<code>(?-i:[A-Z]{{3}}))"
    rf"|(?P<ambiguous>{_alternatives(EN_AMBIGUOUS_CURRENCIES)}))(?![^\W\d_])",
    re.IGNORECASE,
)
_PERCENT_RE: Final = re.compile(
    rf"[ \u00a0\u202f]*%|{_SPACE}(?:{_alternatives(_EN.percent)})(?![^\W\d_])", re.IGNORECASE
)
_TO_RE: Final = re.compile(rf"{_SPACE}(?:{_alternatives(_EN.range_words)}){_SPACE}", re.IGNORECASE)
_GRAMMAR: Final = (
    "an English figure is [qualifier] [€|£|US$] number [million|m|bn|thousand] "
    "[euros|US dollars|Russian roubles|ISO code] [%], as in '€6.4 million', 'over 1,100'"
)


def _number(text: str, pos: int) -> tuple[Decimal, int] | None:
    """The number at `pos` in digits or words, and where it ends."""
    if digits := NUMBER_EN_RE.match(text, pos):
        after = text[digits.end() : digits.end() + 2]
        if after[:1] == "," and after[1:].isdigit():
            raise FigureError(
                f"decimal comma or bad grouping in {text!r}: English figures write "
                "'6.4' and group thousands in threes, as in '1,100'"
            )
        if sum(c.isdigit() for c in digits.group()) > MAX_DIGITS:
            raise FigureError(f"more than {MAX_DIGITS} digits in {text!r}: not a figure")
        return Decimal(digits.group().replace(",", "")), digits.end()
    spelled = read_number_words(text, pos, _EN, lambda word: frozenset({word}))
    return (Decimal(spelled.value), spelled.end) if spelled else None


def _multiplier(text: str, pos: int) -> tuple[str, int, int] | None:
    """(word as printed, factor, end) of a multiplier glued to or spaced after `pos`."""
    space = re.compile(_SPACE).match(text, pos)
    for start in (pos, space.end() if space else None):
        word = _GLUED_RE.match(text, start) if start is not None else None
        if word is None:
            continue
        letters = word.group().lower()
        if letters in EN_UNKNOWN_MULTIPLIERS:
            raise FigureError(f"unknown multiplier {word.group()!r}: thousand, million, billion")
        if letters in EN_MULTIPLIERS and (start == pos or len(letters) > 2):
            return word.group(), EN_MULTIPLIERS[letters][1], word.end()
    return None


def parse_english_parts(text: str, rouble: str | None) -> Parts:
    """The parts of an English figure; the whole of `text` must be one figure."""
    pos = len(text) - len(text.lstrip())
    if pos == len(text):
        raise FigureError("empty text is not a figure: give one such as '83' or 'over 1,100'")
    framed = range_opening(text, pos, _EN)  # "between 5 and 7", "from 5 to 7"
    if framed is not None:
        pos = framed[1]
    qualifier: str | None = None
    if framed is None and (match := _QUALIFIER_RE.match(text, pos)):
        qualifier = " ".join(match.group().lower().split())
        pos = match.end() + len(text[match.end() :]) - len(text[match.end() :].lstrip())
    code: str | None = None
    printed: str | None = None
    if symbol := _SYMBOL_RE.match(text, pos):
        if symbol.group("bare"):
            raise FigureError(f"'$' in {text!r} does not say which dollar: write 'US$'")
        printed = symbol.group().strip()
        code, pos = EN_CURRENCY_SYMBOLS[printed.lower()], symbol.end()
    read = _number(text, pos)
    if read is None:
        found = text[pos : pos + 12]
        raise FigureError(f"{found!r} is neither a qualifier nor a number: {_GRAMMAR}")
    number, pos = read
    high: Decimal | None = None
    if framed is not None:
        start = range_closing(text, pos, framed[0])
        second = _number(text, start) if start is not None else None
        if second is None:
            raise FigureError(f"{framed[0]!r} and a second number must follow in {text!r}")
        high, pos = second
    elif dash := (RANGE_DASH_RE.match(text, pos) or _TO_RE.match(text, pos)):
        second = _number(text, dash.end())
        if second is not None:
            if qualifier is not None:
                raise FigureError(f"a range takes no qualifier: drop {qualifier!r} in {text!r}")
            high, pos = second
    multiplier_word: str | None = None
    multiplier = 1
    if factor := _multiplier(text, pos):
        multiplier_word, multiplier, pos = factor
    unit: str | None = None
    if currency := _CURRENCY_RE.match(text, pos):
        if currency.group("ambiguous"):
            raise FigureError(
                f"{currency.group('ambiguous')!r} does not say which currency: "
                "write 'US dollars' or an ISO code such as 'USD'"
            )
        if printed is not None:
            raise FigureError(f"{text!r} names its currency twice: keep the symbol or the word")
        word = currency.group("word")
        printed = currency.group().strip()
        code = EN_CURRENCY_WORDS[" ".join(word.lower().split())] if word else printed
        if code is None and rouble is None:
            raise FigureError(
                f"{printed!r} does not say which rouble: the source must state which "
                "rouble it uses, or print 'Russian roubles' / 'Belarusian roubles'"
            )
        code, pos = code or rouble, currency.end()
    elif percent := _PERCENT_RE.match(text, pos):
        unit, pos = "percent", percent.end()
    if text[pos:].strip():
        raise FigureError(f"{text[pos:].strip()!r} is left over after {text[:pos].strip()!r}")
    if code is not None:
        currency_name(code)
    comparator = _EN.qualifiers[qualifier] if qualifier else Comparator.EXACT
    return Parts(
        qualifier, comparator, number, multiplier_word, multiplier, code, printed, unit, high
    )


# Where a span starts: digits, a decimal point or comma, thousand groups ("1,100", "6.4",
# "12 345"), as etl.text.quotes.NUMBER counts them.
_SPAN_DIGITS_RE: Final = re.compile(
    r"(?<![0-9])(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}(?![0-9]))+|[0-9]+)(?:[.,][0-9]+)*"
)
_SYMBOL_BEFORE_RE: Final = re.compile(
    rf"(?:{_alternatives(EN_CURRENCY_SYMBOLS)}|\$)[ \u00a0\u202f]?\Z", re.IGNORECASE
)
_QUALIFIER_BEFORE_RE: Final = re.compile(
    rf"(?<![^\W\d_])(?:{_alternatives(_EN.qualifiers)}){_SPACE}\Z", re.IGNORECASE
)
_FRAMES: Final = tuple(
    (
        re.compile(rf"(?<![^\W\d_]){opening}{_SPACE}\Z", re.IGNORECASE),
        re.compile(rf"{_SPACE}{closing}{_SPACE}", re.IGNORECASE),
    )
    for opening, closing in _EN.range_frames
    if opening != "from"  # "rose from 30 to 41" tells a change more often than a range
)


def _span_number(text: str, pos: int, words: bool) -> int | None:
    """Where a number at `pos` ends: digits, or (with `words`) number words."""
    if not words:
        digits = _SPAN_DIGITS_RE.match(text, pos)
        return digits.end() if digits else None
    spelled = read_number_words(text, pos, _EN, lambda word: frozenset({word}))
    return spelled.end if spelled else None


def _span_multiplier(text: str, pos: int) -> int | None:
    """Where a multiplier after `pos` ends, known or not: glued ("64m") or spelled."""
    space = re.compile(_SPACE).match(text, pos)
    for start in (pos, space.end() if space else None):
        word = _GLUED_RE.match(text, start) if start is not None else None
        letters = word.group().lower() if word else ""
        known = letters in EN_MULTIPLIERS or letters in EN_UNKNOWN_MULTIPLIERS
        if word is not None and known and (start == pos or len(letters) > 2):
            return word.end()
    return None


def _span_unit(text: str, pos: int) -> int:
    """Where a currency word, a known ISO code or a percent after `pos` ends (else `pos`)."""
    if currency := _CURRENCY_RE.match(text, pos):
        code = currency.group("code")
        try:
            known = code is None or bool(currency_name(code))
        except FigureError:
            known = False
        if known:
            return currency.end()
    if percent := _PERCENT_RE.match(text, pos):
        return percent.end()
    return pos


def _span_starts(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, in words) of every number that may start a figure, left to right."""
    from etl.text.number_words import number_word_spans

    found = [(m.start(), m.end(), False) for m in _SPAN_DIGITS_RE.finditer(text)]
    found += [(start, end, True) for start, end in number_word_spans(text, "en")]
    return sorted(found)


def find_english_figure_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every maximal English figure expression in `text`, left to right.

    Every number starts a span, in digits ("64" of "H2020-64") or words ("seven"). A span
    takes in, before the number, a currency symbol ("€", "US$", also "$") and a qualifier
    ("more than", "almost") or the opening word of a range framed in words ("between");
    after it, a second number after a dash ("5–7") or the frame's closing word ("and"),
    a multiplier glued or spelled out ("64m", "6.4 million", also unknown ones such as
    "trillion"), and currency words, a known ISO code or a percent ("euros", "US dollars",
    "dollars", "EUR", "per cent"), so that a figure with a missing part never matches a
    shorter span. "from 30 to 41" and "30 to 41" are two spans: in prose they tell a change
    more often than a range. A full stop is never part of a span.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, end, words in _span_starts(text):
        if start < pos:
            continue
        window = max(pos, start - 80)
        opened = start
        if symbol := _SYMBOL_BEFORE_RE.search(text, window, opened):
            opened = symbol.start()
        if dash := RANGE_DASH_RE.match(text, end):
            end = _span_number(text, dash.end(), words) or end
        for opening, closing in _FRAMES:
            frame = opening.search(text, window, opened)
            joined = closing.match(text, end) if frame else None
            second = _span_number(text, joined.end(), words) if joined else None
            if frame is not None and second is not None:
                opened, end = frame.start(), second
                break
        else:
            if qualifier := _QUALIFIER_BEFORE_RE.search(text, window, opened):
                opened = qualifier.start()
        sign = text[opened - 1 : opened]
        if sign == "−" or (sign == "-" and (opened == 1 or text[opened - 2].isspace())):
            opened -= 1
        end = _span_multiplier(text, end) or end
        spans.append((opened, _span_unit(text, end)))
        pos = spans[-1][1]
    return spans
