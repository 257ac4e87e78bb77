"""Drafting, words: lemmas of report prose (pymorphy3, for Russian), the noun a figure
counts, and Latin ids made of Russian words."""

from __future__ import annotations

import functools
import re
from typing import Any

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
_SKIP_POS = frozenset({"ADJF", "ADJS", "PRTF", "PRTS", "NUMR", "ADVB"})
_STOP = re.compile(r"[.;:!?()–—]")
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "iu",
            "ia",
        ],
        strict=True,
    )
)


@functools.cache
def _morph() -> Any:
    """The pymorphy3 analyser, built on first use."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def fold(word: str) -> str:
    """Lower case, ё as е."""
    return word.lower().replace("ё", "е")


@functools.lru_cache(maxsize=8192)
def _parse(word: str) -> tuple[str, str | None]:
    """(lemma, part of speech) of a lower-case word; ASCII words are their own lemma."""
    if word.isascii():
        return word, None
    best = _morph().parse(word)[0]
    return fold(str(best.normal_form)), best.tag.POS


def lemma(word: str) -> str:
    """The dictionary form of one word, folded."""
    return _parse(fold(word))[0]


def lemmas(text: str) -> frozenset[str]:
    """The lemmas of the content words of `text` (prepositions, conjunctions... left out)."""
    found = set()
    for word in _WORD.findall(text):
        base, pos = _parse(fold(word))
        if pos not in _FUNCTION_POS and len(base) > 1:
            found.add(base)
    return frozenset(found)


def first_noun(text: str) -> str | None:
    """The first noun of `text` as printed, past adjectives, participles and numerals; None
    when punctuation or another part of speech comes first."""
    for match in re.finditer(rf"{_WORD.pattern}|{_STOP.pattern}", text):
        word = match.group()
        if _STOP.fullmatch(word):
            return None
        if word.isascii():
            return word
        pos = _parse(fold(word))[1]
        if pos == "NOUN":
            return word
        if pos not in _SKIP_POS:
            return None
    return None


def latin_id(text: str) -> str:
    """A lower-case Latin id for Russian or English words ("научный центр" -> "nauchnyi-tsentr")."""
    letters = "".join(_LATIN.get(ch, ch) for ch in fold(text))
    return "-".join(re.findall(r"[a-z0-9]+", letters.replace("-", " ")))
