"""Roman numerals in report prose: "XXI век", "II квартал", "Phase II", "Pillar I".

A Roman numeral is a number of the one definition (etl.text.quotes.numbers) when it is
written in Latin capitals I, V, X, L and C, in the standard form (1 to 399: "IV", not
"IIII"), as a whole word (no letter or digit touching it; a hyphen may follow, as in
"XXI-го"), and either
- has two letters or more and at least one of I, V, X ("IV", "XXI", "XL"), or
- is one of the letters I, V, X standing before a word of its language's `roman_before`
  ("I квартал", "V век", in any case; "X century"), after a word of its `roman_after`
  ("Phase I"), or opening a line as a section number ("I. Введение").

So "I" alone is the English pronoun, and Cyrillic "В", "С", "Х" are letters, never
numerals (nor is "ХХI" typed with Cyrillic "Х"); D and M are left out ("DC", "MD", "MIX"
are abbreviations or words), and so are C and L alone or together ("CL"). The words are
data in etl.text.figure_languages.
"""

from __future__ import annotations

import re
from typing import Final

from etl.text.figure_languages import language as figure_language
from etl.text.number_words import russian_lemmas

_NUMERAL: Final = re.compile(
    r"(?<![^\W_])(?=[IVXLC])(?:C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![^\W_])"
)
_NEXT_WORD: Final = re.compile(r"[ \u00a0\u202f]+([^\W\d_]+)")
_PREVIOUS_WORD: Final = re.compile(r"([^\W\d_]+)[ \u00a0\u202f]+\Z")


def _lemmas(word: str, code: str) -> frozenset[str]:
    """The forms a context word is looked up by: lemmas in Russian, lower case otherwise."""
    lower = word.lower()
    return russian_lemmas(lower) | {lower} if code == "ru" else frozenset({lower})


def roman_numeral_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of every Roman numeral of `text` that counts as a number (see the
    module docstring); MissingLanguageData for a language without figure words."""
    words = figure_language(language)
    spans = []
    for match in _NUMERAL.finditer(text):
        numeral = match.group()
        if not numeral:
            continue
        if len(numeral) > 1:
            if set(numeral) & set("IVX"):
                spans.append(match.span())
            continue
        if numeral not in "IVX":
            continue
        line_start = match.start() == 0 or text[match.start() - 1] == "\n"
        if line_start and text[match.end() : match.end() + 2] in (". ", ".\u00a0"):
            spans.append(match.span())
            continue
        after = _NEXT_WORD.match(text, match.end())
        before = _PREVIOUS_WORD.search(text, 0, match.start())
        if (after is not None and _lemmas(after.group(1), words.code) & words.roman_before) or (
            before is not None and _lemmas(before.group(1), words.code) & words.roman_after
        ):
            spans.append(match.span())
    return spans
