"""Tests for etl.text.quotes: matching verbatim quotes and numbers back to exact source offsets."""

from __future__ import annotations

import pytest

from etl.text.quotes import Mismatch, QuoteIndex, Span, normalise

TEXT = (
    "В 2019 году объём торговли составил\r\n"
    "9,4 млн долларов США, в рамках программы «Союз» выполнено 9 проектов."
)


def spans_text(text: str, spans: list[Span]) -> list[str]:
    """The source characters each span covers."""
    return [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9,4\u00a0млн", "9,4 млн"),
        ("12\u202f345 человек", "12 345 человек"),
        ("составил\n9,4", "составил 9,4"),
        ("составил\r\n  \t9,4", "составил 9,4"),
        ("  по краям \n", "по краям"),
        ("”Союз“", '"Союз"'),
        ("«Беларусь»", '"Беларусь"'),
        ("„Минск‟", '"Минск"'),
        ('"прямые"', '"прямые"'),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    """Runs of white space become one space, ends are trimmed, and quote marks become '"'."""
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("составил 9,4 млн", [Span(27, 44)]),
        ("составил\n9,4 млн", [Span(27, 44)]),
        ("составил\u00a0 9,4\u00a0млн", [Span(27, 44)]),
        ('программы "Союз"', [Span(68, 84)]),
        ("программы “Союз”", [Span(68, 84)]),
        ("В 2019 году", [Span(0, 11)]),
        ("проектов.", [Span(97, 106)]),
        ("Союз проекты", []),
        ("", []),
    ],
)
def test_find_all_maps_back_to_source_offsets(needle: str, expected: list[Span]) -> None:
    """Matches tolerate white space and quote marks, and give offsets into the source text."""
    assert QuoteIndex(TEXT).find_all(needle) == expected


def test_find_all_span_across_line_break_covers_the_source_characters() -> None:
    """A match across a CRLF line break covers the source's own characters, CRLF included."""
    spans = QuoteIndex(TEXT).find_all("составил 9,4 млн")
    assert spans_text(TEXT, spans) == ["составил\r\n9,4 млн"]


@pytest.mark.parametrize(
    ("needle", "whole", "expected"),
    [
        ("9", False, ["9", "9", "9"]),
        ("9", True, ["9"]),
        ("4", True, []),
        ("9,4", True, ["9,4"]),
        ("2019", True, ["2019"]),
        ("201", True, []),
        ("019", True, []),
        ("млн", True, ["млн"]),
        ("мл", True, []),
    ],
)
def test_find_all_whole(needle: str, whole: bool, expected: list[str]) -> None:
    """With whole, a match may not continue a word or number: no "9" inside "9,4" or "2019"."""
    index = QuoteIndex(TEXT)
    assert spans_text(TEXT, index.find_all(needle, whole=whole)) == expected


def test_find_all_whole_standalone_nine_offset() -> None:
    """The one whole "9" is the count of projects, at its exact offset."""
    assert QuoteIndex(TEXT).find_all("9", whole=True) == [Span(95, 96)]


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        (Span(0, 37), []),
        (Span(37, 106), [Span(95, 96)]),
        (Span(95, 96), [Span(95, 96)]),
        (Span(95, 95), []),
    ],
)
def test_find_all_within_span(within: Span, expected: list[Span]) -> None:
    """With within, only matches wholly inside that source span count."""
    assert QuoteIndex(TEXT).find_all("9", within, whole=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("выросло в 1,1 раза", ["1,1"]),
        ("всего 12 345 человек", ["12 345"]),
        ("всего 12\u00a0345 человек", ["12\u00a0345"]),
        ("всего 1\u202f234\u202f567 рублей", ["1\u202f234\u202f567"]),
        ("в 2020–2022 гг.", ["2020", "2022"]),
        ("на 9,4 млн, в 2019 году", ["9,4", "2019"]),
        ("около 15,75 тыс.", ["15,75"]),
        ("без чисел", []),
    ],
)
def test_numbers(text: str, expected: list[str]) -> None:
    """numbers() finds numbers as Russian prose prints them, with their exact spans."""
    assert spans_text(text, QuoteIndex(text).numbers()) == expected


def test_numbers_spans_are_exact() -> None:
    """numbers() gives code-point offsets into the source text."""
    assert QuoteIndex("в 2020–2022 гг. 12 345 и 1,1").numbers() == [
        Span(2, 6),
        Span(7, 11),
        Span(16, 22),
        Span(25, 28),
    ]


def test_mismatch_gives_the_longest_matching_prefix_and_what_follows() -> None:
    """The quote matches up to 'более 1', across a line break; then 2 against 0."""
    index = QuoteIndex("Всего более\n100 договоров.")
    assert index.mismatch("более 120 договоров", width=5) == Mismatch(
        "более 1", Span(6, 13), "20 до", "00 до"
    )


def test_mismatch_when_not_even_the_first_character_stands_in_the_text() -> None:
    """Nothing of the quote matches: no place, and the quote's start."""
    assert QuoteIndex("abc").mismatch("xyz") == Mismatch("", None, "xyz", "")


def test_mismatch_at_the_end_of_the_text() -> None:
    """A quote running past the text's end: the text has nothing next."""
    assert QuoteIndex("один два").mismatch("два три") == Mismatch("два", Span(5, 8), " три", "")
