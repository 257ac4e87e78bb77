"""One definition of a number for the finder, the figure parser and the waiver matcher."""

from __future__ import annotations

import pytest

from etl.text.figures import parse_figure
from etl.text.quotes import QuoteIndex, Span, numbers


def printed(text: str, language: str | None = None) -> list[str]:
    """The numbers found in `text`, as printed."""
    return [text[s.start : s.end] for s in numbers(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("a grant of €6.4 million", "en", ["6.4"]),
        ("over 1,100 researchers", "en", ["1,100"]),
        ("выросло в 1,1 раза", "ru", ["1,1"]),
        ("see example.org/news/eu-gives-64m-to-science", "en", ["64"]),
        ("Horizon2020 and 64m", "en", ["2020", "64"]),
        ("seven projects and twenty-five grants", "en", ["seven", "twenty-five"]),
        ("Seven of them, one hundred in all", "en", ["Seven", "one hundred"]),
        ("создано семь лабораторий и двадцать пять центров", "ru", ["семь", "двадцать пять"]),
        ("из семи стран", "ru", ["семи"]),
        ("a one-off grant; someone", "en", []),
        ("семьдесят", None, []),
        ("в 2020–2022 гг.", "ru", ["2020", "2022"]),
    ],
)
def test_numbers_found_as_printed(text: str, language: str | None, expected: list[str]) -> None:
    """Decimals with either sign are one number, glued ones are found, words count in a language."""
    assert printed(text, language) == expected


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("eu-gives-64m-to-science", "64", [Span(9, 11)]),
        ("a 64m grant", "64m", [Span(2, 5)]),
        ("€6.4 million", "6.4", [Span(1, 4)]),
        ("€6.4 million", "6", []),
        ("€6.4 million", "4", []),
        ("в 1,1 раза", "1", []),
        ("25 организаций", "2", []),
        ("Горизонт-2020", "2020", [Span(9, 13)]),
        ("создано семь лабораторий", "семь", [Span(8, 12)]),
        ("семьдесят", "семь", []),
    ],
)
def test_a_counted_number_can_be_cited_whole(text: str, needle: str, expected: list[Span]) -> None:
    """A number glued to letters is whole; part of a decimal is not."""
    assert QuoteIndex(text).find_all(needle, whole=True) == expected


def test_every_counted_number_is_cited_whole() -> None:
    """Whatever the finder counts, the waiver matcher finds whole at the same place."""
    text = "In 2018, seven teams won €6.4 million (64m roubles): eu-64m, 1,100 and 1,1."
    index = QuoteIndex(text)
    for span in numbers(text, "en"):
        assert span in index.find_all(text[span.start : span.end], whole=True)


def test_a_glued_figure_reads_as_the_finder_counts_it() -> None:
    """ "64m" is both a counted number (64) and a figure the parser reads (64 million)."""
    assert printed("64m", "en") == ["64"]
    assert parse_figure("64m", language="en").value == 64_000_000


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("В XXI веке", "ru", ["XXI"]),
        ("XXI-го века", "ru", ["XXI"]),
        ("во II квартале 2019 г.", "ru", ["II", "2019"]),
        ("за I квартал", "ru", ["I"]),
        ("в I полугодии", "ru", ["I"]),
        ("V век", "ru", ["V"]),
        ("на I этапе", "ru", ["I"]),
        ("Форум IV прошёл", "ru", ["IV"]),
        ("I. Введение", "ru", ["I"]),
        ("Итоги.\nV. Results", "en", ["V"]),
        ("Phase II", "en", ["II"]),
        ("Phase I of Pillar I", "en", ["I", "I"]),
        ("the V century", "en", ["V"]),
        ("XL and CV", "en", ["XL", "CV"]),
        ("MCMXCIX", "en", []),  # with M: a word or an abbreviation, not counted
        ("I think so", "en", []),
        ("World War I", "en", []),
        ("Phase I", "ru", []),  # "Phase" is an English word: not in Russian's table
        ("В 2013 году, С 2014 года", "ru", ["2013", "2014"]),  # Cyrillic В, С
        ("ХХI век", "ru", []),  # Cyrillic Х: letters, not a numeral
        ("MIX, DC, MD, CL, C квартал", "ru", []),
        ("IIII, VV, IC, XXXX", "en", []),  # not in the standard form
        ("XXIst, iv, VIP", "en", []),
        ("XXI", None, []),  # without a language: digits only
    ],
)
def test_roman_numerals_counted_by_the_rule(
    text: str, language: str | None, expected: list[str]
) -> None:
    """Latin capitals in the standard form count: two letters or more with I, V or X, or
    I, V, X before a counted word, after an English "Phase", or opening a line."""
    assert printed(text, language) == expected


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("в XXI веке", "XXI", [Span(2, 5)]),
        ("в XXI веке", "XX", []),
        ("в XXI веке", "I", []),
        ("Phase II.", "II", [Span(6, 8)]),
    ],
)
def test_a_roman_numeral_is_cited_whole(text: str, needle: str, expected: list[Span]) -> None:
    """The waiver matcher finds a counted Roman numeral whole, never a part of it."""
    assert QuoteIndex(text).find_all(needle, whole=True) == expected


def test_every_counted_roman_numeral_is_cited_whole() -> None:
    """Whatever Roman numeral the finder counts, the waiver matcher finds it at its place."""
    text = "В XXI веке, во II квартале и за I квартал; XXI-го века.\nI. Итоги"
    index = QuoteIndex(text)
    found = numbers(text, "ru")
    assert [text[s.start : s.end] for s in found] == ["XXI", "II", "I", "XXI", "I"]
    for span in found:
        assert span in index.find_all(text[span.start : span.end], whole=True)
