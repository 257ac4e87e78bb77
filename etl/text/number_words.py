"""Numbers printed as words, up to one hundred: "семь", "двадцати пяти", "seven", "forty-two".

The words are data (etl.text.figure_languages); Russian words are matched by any of their
lemmas, so every case is read ("семи", "семью"); English words by their lower-case form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from etl.text.figure_languages import LANGUAGES, FigureLanguage
from etl.text.figure_languages import language as figure_language

Lemmas = Callable[[str], frozenset[str]]
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]+(?![^\W\d_])")
_JOIN = re.compile(r"[ \u00a0\u202f\t\n]+|-")  # "twenty-five", "двадцать пять"


@dataclass(frozen=True)
class NumberWords:
    """A number read from words: its value and where its last word ends."""

    value: int
    end: int


@cache
def _morph() -> Any:
    """The pymorphy3 analyser, built on first use (it takes a moment to load)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=4096)
def russian_lemmas(word: str) -> frozenset[str]:
    """Every dictionary form pymorphy3 offers for a lower-case word."""
    return frozenset(str(p.normal_form) for p in _morph().parse(word))


@cache
def _stems(code: str) -> frozenset[str]:
    """The first two letters of every number word: every inflected form starts so."""
    words = LANGUAGES[code]
    return frozenset(w[:2] for w in (*words.units, *words.tens, *words.hundred))


def _value(word: str, table: Mapping[str, int], lemmas: Lemmas, ru: bool) -> int | None:
    """The value of one number word, matched by any of its lemmas in Russian."""
    forms = lemmas(word) | {word} if ru else frozenset({word})
    found = [table[form] for form in sorted(forms) if form in table]
    return found[0] if found else None


def _word(text: str, pos: int, ru: bool) -> tuple[str, int] | None:
    """The lower-case word at `pos` and its end; in Russian, Cyrillic letters only."""
    match = (_CYRILLIC if ru else _WORD).match(text, pos)
    return (match.group().lower(), match.end()) if match else None


def read_number_words(
    text: str, pos: int, words: FigureLanguage, lemmas: Lemmas
) -> NumberWords | None:
    """The number spelled in words at `pos` of `text`, or None if no number word is there."""
    ru = words.code == "ru"
    first = _word(text, pos, ru)
    if first is None or (ru and first[0][:2] not in _stems(words.code)):
        return None  # in Russian, no word the analyser need be asked about
    word, end = first
    if ru and (lemmas(word) | {word}) & words.hundred:
        return NumberWords(100, end)
    if not ru and word in ("a", "one"):
        joined = _JOIN.match(text, end)
        nxt = _word(text, joined.end(), ru) if joined else None
        if nxt is not None and nxt[0] in words.hundred:
            return NumberWords(100, nxt[1])
    tens = _value(word, words.tens, lemmas, ru)
    if tens is not None:
        joined = _JOIN.match(text, end)
        nxt = _word(text, joined.end(), ru) if joined else None
        unit = _value(nxt[0], words.units, lemmas, ru) if nxt else None
        if nxt is not None and unit is not None and unit < 10:
            return NumberWords(tens + unit, nxt[1])
        return NumberWords(tens, end)
    unit = _value(word, words.units, lemmas, ru)
    return NumberWords(unit, end) if unit is not None else None


def number_word_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of every number printed in words in `text` ("семь", "twenty-five");
    MissingLanguageData for a language without number words."""
    words = figure_language(language)
    lemmas = russian_lemmas if language == "ru" else (lambda word: frozenset({word}))
    spans = []
    pos = 0
    while match := _WORD.search(text, pos):
        start = match.start()
        joined = start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-")
        found = None if joined else read_number_words(text, start, words, lemmas)
        after = text[found.end : found.end + 2] if found is not None else ""
        if found is not None and not (after[:1].isalnum() or re.fullmatch(r"-[^\W\d_]", after)):
            spans.append((start, found.end))
            pos = found.end
        else:
            pos = match.end()
    return spans
