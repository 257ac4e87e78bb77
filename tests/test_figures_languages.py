"""Figures in English and the Russian forms added with it: each form read to exact values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from etl.text.errors import MissingLanguageData
from etl.text.figures import Comparator, FigureError, format_figure, parse_figure

D = Decimal
C = Comparator
MILLION = 10**6

# text, language, comparator, value, lower, upper, multiplier, currency, unit
FORMS = [
    ("€6.4 million", "en", C.EXACT, D(6_400_000), D(6_350_000), D(6_450_000), MILLION, "EUR", None),
    (
        "about 6 million euros",
        "en",
        C.APPROXIMATELY,
        D(6_000_000),
        None,
        None,
        MILLION,
        "EUR",
        None,
    ),
    (
        "almost €1 million",
        "en",
        C.LESS_THAN,
        D(1_000_000),
        None,
        D(1_000_000),
        MILLION,
        "EUR",
        None,
    ),
    ("more than 100", "en", C.MORE_THAN, D(100), D(100), None, 1, None, None),
    ("over 1,100", "en", C.MORE_THAN, D(1100), D(1100), None, 1, None, None),
    ("seven", "en", C.EXACT, D(7), D(7), D(7), 1, None, None),
    ("Forty-two", "en", C.EXACT, D(42), D(42), D(42), 1, None, None),
    ("one hundred", "en", C.EXACT, D(100), D(100), D(100), 1, None, None),
    ("64m", "en", C.EXACT, D(64_000_000), D(63_500_000), D(64_500_000), MILLION, None, None),
    (
        "6.4bn",
        "en",
        C.EXACT,
        D(6_400_000_000),
        D(6_350_000_000),
        D(6_450_000_000),
        10**9,
        None,
        None,
    ),
    ("at least 10%", "en", C.AT_LEAST, D(10), D(10), None, 1, None, "percent"),
    ("5 to 7 per cent", "en", C.BETWEEN, D(6), D(5), D(7), 1, None, "percent"),
    ("between 5 and 7 per cent", "en", C.BETWEEN, D(6), D(5), D(7), 1, None, "percent"),
    ("from 5 to 7", "en", C.BETWEEN, D(6), D(5), D(7), 1, None, None),
    ("от 5 до 7 процентов", "ru", C.BETWEEN, D(6), D(5), D(7), 1, None, "percent"),
    ("от 20 до 30", "ru", C.BETWEEN, D(25), D(20), D(30), 1, None, None),
    (
        "US$ 2.5 million",
        "en",
        C.EXACT,
        D(2_500_000),
        D(2_450_000),
        D(2_550_000),
        MILLION,
        "USD",
        None,
    ),
    (
        "57 billion Russian roubles",
        "en",
        C.EXACT,
        D(57 * 10**9),
        D("56.5e9"),
        D("57.5e9"),
        10**9,
        "RUB",
        None,
    ),
    (
        "3 million EUR",
        "en",
        C.EXACT,
        D(3_000_000),
        D(2_500_000),
        D(3_500_000),
        MILLION,
        "EUR",
        None,
    ),
    ("почти 1 млн евро", "ru", C.LESS_THAN, D(1_000_000), None, D(1_000_000), MILLION, "EUR", None),
    ("семь", "ru", C.EXACT, D(7), D(7), D(7), 1, None, None),
    ("семи", "ru", C.EXACT, D(7), D(7), D(7), 1, None, None),
    ("двадцати пяти", "ru", C.EXACT, D(25), D(25), D(25), 1, None, None),
    ("сто", "ru", C.EXACT, D(100), D(100), D(100), 1, None, None),
    ("более чем 55", "ru", C.MORE_THAN, D(55), D(55), None, 1, None, None),
    ("0,55 — 0,6 процента", "ru", C.BETWEEN, D("0.575"), D("0.545"), D("0.65"), 1, None, "percent"),
    ("2020-2022", "ru", C.BETWEEN, D(2021), D(2020), D(2022), 1, None, None),
    ("минимум на 10%", "ru", C.AT_LEAST, D(10), D(10), None, 1, None, "percent"),
    ("максимум 5 процентов", "ru", C.AT_MOST, D(5), None, D(5), 1, None, "percent"),
    (
        "57 млрд российских рублей",
        "ru",
        C.EXACT,
        D(57 * 10**9),
        D("56.5e9"),
        D("57.5e9"),
        10**9,
        "RUB",
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "language", "comparator", "value", "lower", "upper", "multiplier", "currency", "unit"),
    FORMS,
)
def test_each_form_reads_to_exact_values(
    text: str,
    language: str,
    comparator: Comparator,
    value: Decimal,
    lower: Decimal | None,
    upper: Decimal | None,
    multiplier: int,
    currency: str | None,
    unit: str | None,
) -> None:
    """Each printed form gives its comparator, value, bounds, multiplier, currency and unit."""
    figure = parse_figure(text, language=language)
    got = (figure.comparator, figure.value, figure.lower, figure.upper)
    assert got == (comparator, value, lower, upper)
    assert (figure.multiplier, figure.currency, figure.unit) == (multiplier, currency, unit)


@pytest.mark.parametrize("text", [form[0] for form in FORMS])
def test_each_form_prints_back_to_the_same_figure(text: str) -> None:
    """The canonical form of each figure reads back to the same value, bounds and unit."""
    language = next(form[1] for form in FORMS if form[0] == text)
    figure = parse_figure(text, language=language)
    again = parse_figure(format_figure(figure), language=language)
    assert (again.comparator, again.value, again.lower, again.upper, again.unit) == (
        figure.comparator,
        figure.value,
        figure.lower,
        figure.upper,
        figure.unit,
    )


def test_bare_roubles_in_english_take_the_sources_default() -> None:
    """ "roubles" alone is the source's declared rouble; without one it is refused."""
    assert parse_figure("5 million roubles", language="en", rouble="BYN").currency == "BYN"
    with pytest.raises(FigureError, match="'roubles' does not say which rouble"):
        parse_figure("5 million roubles", language="en")


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("$5 million", "en", "'$' in '$5 million' does not say which dollar: write 'US$'"),
        ("5 dollars", "en", "'dollars' does not say which currency"),
        ("6,4 million", "en", "decimal comma or bad grouping in '6,4 million'"),
        ("€5 million euros", "en", "names its currency twice"),
        ("about 5–7", "en", "a range takes no qualifier: drop 'about'"),
        ("около 5–7", "ru", "a range takes no qualifier: drop 'около'"),
        ("7–5", "ru", "the range in '7–5' does not rise: write the smaller number first"),
        ("5 trillion", "en", "unknown multiplier 'trillion'"),
        ("some projects", "en", "'projects' is neither a qualifier nor a number"),
        ("5 XYZ", "en", "'XYZ' is not an ISO 4217 currency code"),
        ("от 5", "ru", "'до' and a second number must follow in 'от 5'"),
        ("between 5", "en", "'and' and a second number must follow in 'between 5'"),
        ("от около 5 до 7", "ru", "a range takes no qualifier: drop 'около'"),
    ],
)
def test_refused_forms_say_why(text: str, language: str, message: str) -> None:
    """A form that is not a figure is refused with a message saying what to write."""
    with pytest.raises(FigureError) as caught:
        parse_figure(text, language=language)
    assert message in str(caught.value)


def test_a_language_without_figure_words_is_missing_language_data() -> None:
    """A language with no word tables raises MissingLanguageData naming it and where to add."""
    with pytest.raises(MissingLanguageData) as caught:
        parse_figure("5", language="be")
    assert str(caught.value) == (
        "no figure words for language 'be': figures are read in ru, en; "
        "add its words to etl/text/figure_languages.py"
    )
