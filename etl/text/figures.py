"""Figures printed in report prose, read into numbers with an honest interval.

A Russian figure is ``[qualifier [на]] number [– number] [multiplier] [currency | %]``:
"более 1,1 тыс.", "9,4 млн долларов США", "Более половины", "почти 1 млн евро", "семь",
"0,55 — 0,6 процента", "минимум на 10%". Parts are separated by any white space
(space, U+00A0, U+202F, line breaks); after a part that ends in a period
("тыс.", "руб.", "долл.") the space may be missing ("тыс.руб."). English figures are read
by etl.text.figures_en; the words of each language are data in etl.text.figure_languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from etl.text.figure_format import format_figure
from etl.text.figure_languages import FigureLanguage, range_closing, range_opening
from etl.text.figure_languages import language as figure_language
from etl.text.figure_model import (
    Figure,
    FigureError,
    Parts,
    build_figure,
    check_rouble,
    currency_name,
)
from etl.text.figure_words import (
    ABBREVIATIONS,
    CURRENCIES,
    GRAMMAR,
    HALF_RE,
    MAX_DIGITS,
    MULTIPLIER_LEMMAS,
    NUMBER_RE,
    PERCENT_SIGN_RE,
    QUALIFIER_BEFORE_RE,
    QUALIFIER_RE,
    QUALIFIERS,
    RANGE_DASH_RE,
    ROUBLE_ADJECTIVES,
    SPACE_RE,
    SPAN_START_RE,
    UNKNOWN_MULTIPLIERS,
    WORD_RE,
    Comparator,
)
from etl.text.figures_en import find_english_figure_spans, parse_english_parts
from etl.text.number_words import read_number_words
from etl.text.number_words import russian_lemmas as _lemmas

__all__ = [
    "Comparator",
    "Figure",
    "FigureError",
    "find_figure_spans",
    "format_figure",
    "parse_figure",
]


@dataclass(frozen=True)
class _Word:
    """A run of letters at some position, with the periods right after it."""

    start: int
    letters_end: int
    end: int
    letters: str  # lower case

    @property
    def dots(self) -> int:
        return self.end - self.letters_end


def _word_at(text: str, pos: int) -> _Word | None:
    match = WORD_RE.match(text, pos)
    if match is None:
        return None
    return _Word(pos, match.end(1), match.end(), match.group(1).lower())


def _after_space(text: str, pos: int) -> int | None:
    """Where the next part may start: after white space, or right away after a period."""
    match = SPACE_RE.match(text, pos)
    if match:
        return match.end()
    return pos if pos > 0 and text[pos - 1] == "." else None


def _next_word(text: str, pos: int) -> _Word | None:
    """The word that starts the next part after `pos`, if any."""
    nxt = _after_space(text, pos)
    return _word_at(text, nxt) if nxt is not None else None


def _multiplier(word: _Word) -> tuple[str, int, int] | str | None:
    """(canonical word, factor, end) of a known multiplier, a complaint, or None if not one."""
    if word.letters in ABBREVIATIONS:
        canonical, factor = ABBREVIATIONS[word.letters]
        if word.dots > 1:
            return f"malformed multiplier {word.letters + '.' * word.dots!r}: write {canonical!r}"
        return canonical, factor, word.end
    lemmas = _lemmas(word.letters)
    for lemma, abbreviation in MULTIPLIER_LEMMAS.items():
        if lemma in lemmas:
            return (*ABBREVIATIONS[abbreviation], word.letters_end)
    if word.letters in UNKNOWN_MULTIPLIERS or lemmas & UNKNOWN_MULTIPLIERS:
        return (
            f"unknown multiplier {word.letters!r}: only тыс., млн and млрд "
            "(or the words тысяча, миллион, миллиард) are read"
        )
    return None


def _rouble_end(word: _Word) -> int | None:
    """Where a rouble word ("рублей", "руб.") ends, or None if `word` is not one."""
    if word.letters == "руб":
        return word.letters_end + min(word.dots, 1)
    return word.letters_end if "рубль" in _lemmas(word.letters) else None


@dataclass(frozen=True)
class _Currency:
    """Currency words found at some position; code None means a bare rouble."""

    end: int
    code: str | None
    problem: str | None = None


def _currency(text: str, word: _Word) -> _Currency | None:
    """The currency named by the words starting with `word`, or None."""
    lemmas = _lemmas(word.letters)
    abbreviated = word.letters in ("долл", "дол")
    if abbreviated or "доллар" in lemmas:
        dollar_end = word.letters_end + (min(word.dots, 1) if abbreviated else 0)
        usa = _next_word(text, dollar_end)
        if usa is not None and usa.letters == "сша":
            return _Currency(usa.letters_end, "USD")
        dollar = text[word.start : dollar_end]
        return _Currency(
            dollar_end, None, f"{dollar!r} does not say which dollar: write 'долларов США'"
        )
    if word.letters == "евро":
        return _Currency(word.letters_end, "EUR")
    if (rouble_end := _rouble_end(word)) is not None:
        return _Currency(rouble_end, None)
    for adjective, code in ROUBLE_ADJECTIVES.items():
        noun = _next_word(text, word.letters_end) if adjective in lemmas else None
        if noun is not None and (rouble_end := _rouble_end(noun)) is not None:
            return _Currency(rouble_end, code)
    return None


def _not_a_number(text: str, pos: int, qualifier: str | None) -> FigureError:
    """The error for text that should be a number but is not."""
    word = _word_at(text, pos)
    found = text[pos : word.end if word else pos + 10]
    if qualifier:
        what = f"expected a number after {qualifier!r} but found {found!r}"
    else:
        what = f"{found!r} is neither a qualifier (such as 'более', 'около') nor a number"
    return FigureError(
        f"{what}: only digits, number words and 'половина' are read as numbers, "
        "as in '100', '9,4', 'семь', 'более половины'"
    )


def _digits_value(text: str, digits: re.Match[str]) -> Decimal:
    """The number printed by `digits`, after checking what follows it."""
    after = text[digits.end() : digits.end() + 2]
    if after[:1] == "." and after[1:].isdigit():
        raise FigureError(f"decimal point in {text!r}: write a decimal comma, as in '9,4'")
    if after[:1] in (" ", "\u00a0", "\u202f") and after[1:].isdigit():
        raise FigureError(
            f"digits in {text!r} are not grouped in threes: "
            "write thousands as '12 345 678' or '12345678'"
        )
    printed = digits.group()
    if sum(c.isdigit() for c in printed) > MAX_DIGITS:
        raise FigureError(f"more than {MAX_DIGITS} digits in {text!r}: not a figure")
    return Decimal(re.sub(r"\s", "", printed).replace(",", "."))


def _read_number(text: str, pos: int, words: FigureLanguage) -> tuple[Decimal, int, bool] | None:
    """(number, end, printed in words) of the number at `pos`, or None if none is there."""
    if digits := NUMBER_RE.match(text, pos):
        return _digits_value(text, digits), digits.end(), False
    if spelled := read_number_words(text, pos, words, _lemmas):
        return Decimal(spelled.value), spelled.end, True
    return None


def _range_high(text: str, pos: int, words: FigureLanguage) -> tuple[Decimal, int] | None:
    """The second number of a range "0,55 — 0,6" whose dash starts after `pos`, if any."""
    dash = RANGE_DASH_RE.match(text, pos)
    if dash is None:
        return None
    high = _read_number(text, dash.end(), words)
    if high is None:
        raise FigureError(f"a number must follow the dash in {text!r}, as in '0,55 — 0,6'")
    return high[0], high[1]


def _framed_high(
    text: str, pos: int, closing: str, words: FigureLanguage, qualifier: str | None
) -> tuple[Decimal, int]:
    """The second number of a range framed in words ("от 5 до 7"), after `pos`."""
    if qualifier is not None:
        raise FigureError(f"a range takes no qualifier: drop {qualifier!r} in {text!r}")
    start = range_closing(text, pos, closing)
    high = _read_number(text, start, words) if start is not None else None
    if high is None:
        raise FigureError(f"{closing!r} and a second number must follow in {text!r}")
    return high[0], high[1]


def _percent_end(text: str, pos: int, words: FigureLanguage) -> int | None:
    """Where a percent sign or word ("%", "процента") after `pos` ends, or None."""
    if match := PERCENT_SIGN_RE.match(text, pos):
        return match.end()
    word = _next_word(text, pos)
    if word is not None and _lemmas(word.letters) & words.percent:
        return word.letters_end
    return None


def _russian_qualifier(text: str, pos: int, words: FigureLanguage) -> tuple[str | None, int]:
    """The qualifier at `pos` (canonical) and where the number after it starts."""
    match = QUALIFIER_RE.match(text, pos)
    if match is None:
        return None, pos
    qualifier = " ".join(match.group().lower().split())
    start = SPACE_RE.match(text, match.end())
    if match.end() == len(text):
        raise FigureError(f"nothing follows {qualifier!r}: add a number, as in 'более 100'")
    if start is None:
        raise FigureError(f"put a space between {qualifier!r} and the number in {text!r}")
    pos = start.end()
    word = _word_at(text, pos)
    if word is not None and word.letters in words.prepositions and word.dots == 0:
        after = SPACE_RE.match(text, word.letters_end)  # "минимум на 10%": "на" says "by"
        pos = after.end() if after else pos
    return qualifier, pos


def parse_figure(text: str, *, language: str = "ru", rouble: str | None = None) -> Figure:
    """Read the whole of `text` as one figure printed in `language` (ISO 639-1).

    Bare roubles need `rouble` (e.g. "RUB"); a language without figure words raises
    MissingLanguageData.
    """
    words = figure_language(language)
    if rouble is not None:
        check_rouble(rouble)
    if words.code == "en":
        return build_figure(text, parse_english_parts(text, rouble), "en")
    pos = len(text) - len(text.lstrip())
    if pos == len(text):
        raise FigureError("empty text is not a figure: give one such as '83' or 'более 1,1 тыс.'")
    framed = range_opening(text, pos, words)  # "от 5 до 7": a range in words
    if framed is not None:
        pos = framed[1]
    qualifier, pos = _russian_qualifier(text, pos, words)
    if text[pos : pos + 1] in ("-", "−") and text[pos + 1 : pos + 2].isdigit():
        raise FigureError(f"negative number in {text!r}: figures are written without a sign")
    multiplier_word: str | None = None
    multiplier = 1
    currency: _Currency | None = None
    currency_printed: str | None = None
    unit: str | None = None
    high: Decimal | None = None
    exact_count = False
    if half := HALF_RE.match(text, pos):
        number, pos, exact_count = Decimal("0.5"), half.end(), True
        word = _next_word(text, pos)
        if word is not None and (_multiplier(word) is not None or _currency(text, word)):
            raise FigureError(
                f"{half.group()!r} takes no multiplier or currency, "
                f"but {text[word.start :]!r} follows it"
            )
    elif read := _read_number(text, pos, words):
        number, pos, _ = read
        if framed is not None:
            high, pos = _framed_high(text, pos, framed[0], words, qualifier)
        elif ranged := _range_high(text, pos, words):
            if qualifier is not None:
                raise FigureError(f"a range takes no qualifier: drop {qualifier!r} in {text!r}")
            high, pos = ranged
        word = _next_word(text, pos)
        found = _multiplier(word) if word is not None else None
        if isinstance(found, str):
            raise FigureError(found)
        if found is not None:
            multiplier_word, multiplier, pos = found
            word = _next_word(text, pos)
        if word is not None and (currency := _currency(text, word)) is not None:
            if currency.problem:
                raise FigureError(currency.problem)
            currency_printed = text[word.start : currency.end]
            pos = currency.end
        elif (percent_end := _percent_end(text, pos, words)) is not None:
            unit, pos = "percent", percent_end
    else:
        raise _not_a_number(text, pos, qualifier)
    rest = text[pos:].strip()
    if rest[:1].isalpha() and multiplier_word is not None and currency is None:
        # After "млн" only a currency can follow in a figure: this one is not known.
        raise FigureError(f"unknown currency {rest!r}: only {CURRENCIES} are read")
    if rest:
        raise FigureError(f"{rest!r} is left over after {text[:pos].strip()!r}: {GRAMMAR}")
    code: str | None = None
    if currency is not None:
        code = currency.code or rouble
        if code is None:
            raise FigureError(
                f"{currency_printed!r} does not say which rouble: the source must state which "
                "rouble it uses; pass rouble='RUB' or rouble='BYN', "
                "or print 'российских рублей' / 'белорусских рублей'"
            )
        currency_name(code)
    comparator = QUALIFIERS[qualifier] if qualifier else Comparator.EXACT
    parts = Parts(
        qualifier, comparator, number, multiplier_word, multiplier, code, currency_printed,
        unit, high, exact_count,
    )  # fmt: skip
    return build_figure(text, parts, "ru")


def _span_tail(text: str, pos: int) -> int:
    """Where a figure whose number ends at `pos` ends: past any multiplier and currency words."""
    word = _next_word(text, pos)
    if word is not None and (found := _multiplier(word)) is not None:
        pos = word.end if isinstance(found, str) else found[2]
        if word.letters in ("млн", "млрд") and word.dots == 1:
            # "млн." keeps its period only when the sentence goes on in lower case.
            following = text[pos:].lstrip()[:1]
            if not (following.islower() or following.isdigit()):
                pos -= 1
        word = _next_word(text, pos)
    if word is not None and (currency := _currency(text, word)) is not None:
        pos = currency.end
    return pos


def find_figure_spans(text: str, language: str = "ru") -> list[tuple[int, int]]:
    """(start, end) of every maximal figure expression in `text`, left to right.

    English text is read by etl.text.figures_en.find_english_figure_spans; the Russian
    rules follow, and a language without figure words raises MissingLanguageData.

    Every run of digits starts a span, whatever surrounds it: years ("2020–2022"),
    digits glued to letters or a hyphen ("Горизонт-2020" gives "2020", "2000-х" gives
    "2000"), and numbers with a decimal point ("9.4 млн", which parse_figure rejects).
    A span takes in a qualifier before the number, a sign "−" (or "-" after white space),
    and after it any multiplier (also unknown ones such as "трлн") and currency words,
    so that a figure with a missing part never matches a shorter span. "тыс.", "руб."
    and "долл." keep their period; "млн."/"млрд." keep it only if a lower-case word or a
    digit follows. Digits split by one space into groups of three read as one grouped
    number ("1 234" is one span, never "1" and "234"). "половина" and its forms start
    a span too.
    """
    if figure_language(language).code == "en":
        return find_english_figure_spans(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    while match := SPAN_START_RE.search(text, pos):
        start, end = match.span()
        if match.group("half") is None:
            before = text[start - 1 : start]
            if before == "−" or (before == "-" and (start == 1 or text[start - 2].isspace())):
                start -= 1
            end = _span_tail(text, end)
        if qualifier := QUALIFIER_BEFORE_RE.search(text, max(pos, start - 80), start):
            start = qualifier.start()
        spans.append((start, end))
        pos = end
    return spans
