"""The words of printed figures that differ by language, as data: qualifiers, number words,
multipliers, currency words and symbols, percent words.

Russian multipliers and currencies are inflected and read by lemma in etl.text.figures
(their tables are in etl.text.figure_words); everything else is here, one entry per
language (ISO 639-1). A language without an entry raises MissingLanguageData: add its words
here and the build needs no change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from etl.text.errors import MissingLanguageData
from etl.text.figure_words import QUALIFIERS as RUSSIAN_QUALIFIERS
from etl.text.figure_words import Comparator


@dataclass(frozen=True)
class FigureLanguage:
    """One language's figure words; numbers and words are matched in lower case."""

    code: str
    qualifiers: MappingProxyType[str, Comparator]
    # words after a qualifier that take nothing from it: "минимум на 10%"
    prepositions: frozenset[str]
    units: MappingProxyType[str, int]  # "семь" (a lemma in Russian) -> 7, "seven" -> 7
    tens: MappingProxyType[str, int]  # "двадцать" -> 20: may take a unit after it
    hundred: frozenset[str]  # words for 100 alone: "сто"; "hundred" after "one"/"a"
    percent: frozenset[str]  # "процент" (a lemma), "per cent"
    range_words: frozenset[str]  # between two numbers of a range, besides a dash: "to"
    # words around the two numbers of a range: ("от", "до") as in "от 5 до 7 процентов"
    range_frames: tuple[tuple[str, str], ...] = ()
    # words that make a one-letter Roman numeral a number: before them ("I квартал", a
    # lemma in Russian) or after them ("Phase I"); see etl.text.roman
    roman_before: frozenset[str] = frozenset()
    roman_after: frozenset[str] = frozenset()


_RU_UNITS: Final = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
}  # fmt: skip
_RU_TENS: Final = {
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
}  # fmt: skip
_EN_UNITS: Final = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS: Final = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_QUALIFIERS: Final = {
    "more than": Comparator.MORE_THAN,
    "over": Comparator.MORE_THAN,
    "above": Comparator.MORE_THAN,
    "in excess of": Comparator.MORE_THAN,
    "at least": Comparator.AT_LEAST,
    "no fewer than": Comparator.AT_LEAST,
    "no less than": Comparator.AT_LEAST,
    "a minimum of": Comparator.AT_LEAST,
    "less than": Comparator.LESS_THAN,
    "fewer than": Comparator.LESS_THAN,
    "under": Comparator.LESS_THAN,
    "below": Comparator.LESS_THAN,
    "almost": Comparator.LESS_THAN,
    "nearly": Comparator.LESS_THAN,
    "just under": Comparator.LESS_THAN,
    "at most": Comparator.AT_MOST,
    "up to": Comparator.AT_MOST,
    "no more than": Comparator.AT_MOST,
    "a maximum of": Comparator.AT_MOST,
    "about": Comparator.APPROXIMATELY,
    "around": Comparator.APPROXIMATELY,
    "approximately": Comparator.APPROXIMATELY,
    "roughly": Comparator.APPROXIMATELY,
    "some": Comparator.APPROXIMATELY,
}

LANGUAGES: Final = MappingProxyType(
    {
        "ru": FigureLanguage(
            code="ru",
            qualifiers=MappingProxyType(RUSSIAN_QUALIFIERS),
            prepositions=frozenset({"на"}),
            units=MappingProxyType(_RU_UNITS),
            tens=MappingProxyType(_RU_TENS),
            hundred=frozenset({"сто"}),
            percent=frozenset({"процент"}),
            range_words=frozenset(),
            range_frames=(("от", "до"),),
            roman_before=frozenset(
                {"век", "квартал", "полугодие", "тысячелетие", "этап", "съезд", "созыв"}
            ),
        ),
        "en": FigureLanguage(
            code="en",
            qualifiers=MappingProxyType(_EN_QUALIFIERS),
            prepositions=frozenset({"by"}),
            units=MappingProxyType(_EN_UNITS),
            tens=MappingProxyType(_EN_TENS),
            hundred=frozenset({"hundred"}),
            percent=frozenset({"per cent", "percent"}),
            range_words=frozenset({"to"}),
            range_frames=(("between", "and"), ("from", "to")),
            roman_before=frozenset({"century", "millennium", "quarter"}),
            roman_after=frozenset(
                {"phase", "pillar", "part", "stage", "chapter", "annex", "section", "title"}
            ),
        ),
    }
)

# English multipliers, spelled out or glued to the number ("64m", "6.4bn").
EN_MULTIPLIERS: Final = MappingProxyType(
    {
        "thousand": ("thousand", 1_000),
        "k": ("k", 1_000),
        "million": ("million", 10**6),
        "m": ("m", 10**6),
        "mn": ("mn", 10**6),
        "billion": ("billion", 10**9),
        "bn": ("bn", 10**9),
    }
)
EN_UNKNOWN_MULTIPLIERS: Final = frozenset({"trillion", "tn", "quadrillion"})
# Currency words after the number, longest first; None: a bare rouble (the source's default).
EN_CURRENCY_WORDS: Final = MappingProxyType(
    {
        "us dollars": "USD",
        "us dollar": "USD",
        "euros": "EUR",
        "euro": "EUR",
        "russian roubles": "RUB",
        "russian rubles": "RUB",
        "russian rouble": "RUB",
        "belarusian roubles": "BYN",
        "belarusian rubles": "BYN",
        "belarusian rouble": "BYN",
        "roubles": None,
        "rubles": None,
        "rouble": None,
        "pounds sterling": "GBP",
    }
)
EN_AMBIGUOUS_CURRENCIES: Final = frozenset({"dollars", "dollar", "$", "pounds", "pound"})
# Currency symbols before the number: "€6.4 million", "US$ 5".
EN_CURRENCY_SYMBOLS: Final = MappingProxyType({"us$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB"})


def language(code: str) -> FigureLanguage:
    """The figure words of language `code`; MissingLanguageData if there are none."""
    if code not in LANGUAGES:
        raise MissingLanguageData(
            f"no figure words for language {code!r}: figures are read in "
            f"{', '.join(LANGUAGES)}; add its words to etl/text/figure_languages.py"
        )
    return LANGUAGES[code]


def range_opening(text: str, pos: int, words: FigureLanguage) -> tuple[str, int] | None:
    """The closing word of a framed range ("до" for "от") opening at `pos`, and where its
    first number starts; None when no range word opens there."""
    for opening, closing in words.range_frames:
        match = re.compile(rf"{opening}\s+", re.IGNORECASE).match(text, pos)
        if match is not None:
            return closing, match.end()
    return None


def range_closing(text: str, pos: int, closing: str) -> int | None:
    """Where the second number of a framed range starts, after its closing word at `pos`."""
    match = re.compile(rf"\s+{closing}\s+", re.IGNORECASE).match(text, pos)
    return match.end() if match else None
