"""Tests for etl.text.traps: invisible differences normalised, look-alikes and controls rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.text.traps import invisible_character, mixed_script, normalise_cell, trap


@pytest.mark.parametrize(
    ("cell", "normal"),
    [
        ("более 100", "более 100"),
        ("более\u00a0100", "более 100"),
        ("12\u202f345", "12 345"),
        ("1\u2007000", "1 000"),
        ("более\t100", "более 100"),
        ("1\u200b00", "100"),
        ("МА\u200dАН", "МААН"),
        ("\ufeffКНР", "КНР"),
        ("Интел\u00adавто", "Интелавто"),
        ("и\u0306", "й"),
        ("  СНГ \u00a0", "СНГ"),
        ("\n9,4 млн\r\n", "9,4 млн"),
        ("первая\r\nвторая\rтретья\u2028четвёртая", "первая\nвторая\nтретья\nчетвёртая"),
        ("”Интелавто“ – «Горизонт-2020»", "”Интелавто“ – «Горизонт-2020»"),
        ("2020–2022 гг.", "2020–2022 гг."),
        ("", ""),
    ],
)
def test_normalise_cell(cell: str, normal: str) -> None:
    """Invisible characters go, spaces become plain, letters compose; dashes and quotes stay."""
    assert normalise_cell(cell) == normal


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    """A normalised cell is already in its canonical form."""
    once = normalise_cell(text)
    assert normalise_cell(once) == once


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "CНГ",
            "the word 'CНГ' mixes scripts: 'C' (U+0043 LATIN CAPITAL LETTER C) among Cyrillic "
            "letters - retype it in Cyrillic",
        ),
        (
            "из КHP и СНГ",
            "the word 'КHP' mixes scripts: 'H' (U+0048 LATIN CAPITAL LETTER H), "
            "'P' (U+0050 LATIN CAPITAL LETTER P) among Cyrillic letters - retype them in Cyrillic",
        ),
        (
            "Cооperation",
            "the word 'Cооperation' mixes scripts: 'о' (U+043E CYRILLIC SMALL LETTER O), "
            "'о' (U+043E CYRILLIC SMALL LETTER O) among Latin letters - retype them in Latin",
        ),
        (
            "Cо",
            "the word 'Cо' mixes scripts: 'C' (U+0043 LATIN CAPITAL LETTER C) among Cyrillic "
            "letters - retype it in Cyrillic",
        ),
    ],
)
def test_mixed_script_names_the_letters(text: str, problem: str) -> None:
    """A word mixing scripts is named with each odd letter; a tie counts as Cyrillic."""
    assert mixed_script(text) == problem


@pytest.mark.parametrize(
    "text",
    [
        "Горизонт-2020",
        "ДНК-идентификация",
        "Tekhnologiya-SG (Технология-СГ)",
        "IT-компания",
        "МААН (IAAS)",
        "ёлка",
        "Респу́блика",
        "2020–2022 гг.",
    ],
)
def test_words_of_one_script_each_pass(text: str) -> None:
    """Scripts may meet in a cell, across a hyphen, space or bracket, but not inside a word."""
    assert mixed_script(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Intel\u202eavto",
            "character 6 is the invisible U+202E RIGHT-TO-LEFT OVERRIDE - delete it "
            "(retype the cell if unsure where it is)",
        ),
        (
            "\x00",
            "character 1 is the invisible U+0000 control character - delete it "
            "(retype the cell if unsure where it is)",
        ),
        (
            "a\u200eb",
            "character 2 is the invisible U+200E LEFT-TO-RIGHT MARK - delete it "
            "(retype the cell if unsure where it is)",
        ),
    ],
)
def test_invisible_character_is_named_with_its_position(text: str, problem: str) -> None:
    """Control and format characters that are not normalised away are rejected."""
    assert invisible_character(text) == problem


def test_line_break_is_not_invisible() -> None:
    """A line break inside a (quoted, multi-line) cell is fine."""
    assert invisible_character("первая\nвторая") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "CНГ",
            (
                "mixed-script",
                "the word 'CНГ' mixes scripts: 'C' (U+0043 LATIN CAPITAL LETTER C) among "
                "Cyrillic letters - retype it in Cyrillic",
            ),
        ),
        (
            "\x07CНГ",
            (
                "invisible-character",
                "character 1 is the invisible U+0007 control character - delete it "
                "(retype the cell if unsure where it is)",
            ),
        ),
        (
            "id\x1b",
            (
                "invisible-character",
                "character 3 is the invisible U+001B control character - delete it "
                "(retype the cell if unsure where it is)",
            ),
        ),
        ("Минск", None),
        ("Minsk (Минск)", None),
        ("minsk-2020", None),
        ("первая\nвторая", None),
        ("", None),
    ],
)
def test_trap_gives_the_kind_and_the_problem(cell: str, expected: tuple[str, str] | None) -> None:
    """A cell's first trap is its kind and problem, invisible characters first; else None."""
    assert trap(cell) == expected


#: Latin and Cyrillic look-alikes, controls, format characters and separators, among any.
TRAP_TEXT = st.text(st.sampled_from("CcOoPpHНнСсОоРрГ\x07\u202e\u200e -\n") | st.characters())


@given(TRAP_TEXT)
def test_trap_is_the_first_of_invisible_then_mixed_script(text: str) -> None:
    """On any normalised cell, trap agrees with invisible_character, then mixed_script."""
    cell = normalise_cell(text)
    invisible, mixed = invisible_character(cell), mixed_script(cell)
    if invisible is not None:
        assert trap(cell) == ("invisible-character", invisible)
    elif mixed is not None:
        assert trap(cell) == ("mixed-script", mixed)
    else:
        assert trap(cell) is None
