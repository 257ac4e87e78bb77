"""Tests for etl.text.figures: reading, printing and finding figures in Russian report prose."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.text.errors import ParseError
from etl.text.figures import (
    Comparator,
    Figure,
    FigureError,
    find_figure_spans,
    format_figure,
    parse_figure,
)

D = Decimal
NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("text", "comparator", "qualifier", "value", "lower", "upper"),
    [
        ("более 100", Comparator.MORE_THAN, "более", D(100), D(100), None),
        ("свыше 40", Comparator.MORE_THAN, "свыше", D(40), D(40), None),
        ("более чем 5", Comparator.MORE_THAN, "более чем", D(5), D(5), None),
        ("больше чем 5", Comparator.MORE_THAN, "больше чем", D(5), D(5), None),
        ("больше 5", Comparator.MORE_THAN, "больше", D(5), D(5), None),
        ("не менее 5", Comparator.AT_LEAST, "не менее", D(5), D(5), None),
        ("не меньше 5", Comparator.AT_LEAST, "не меньше", D(5), D(5), None),
        ("как минимум 5", Comparator.AT_LEAST, "как минимум", D(5), D(5), None),
        ("менее 5", Comparator.LESS_THAN, "менее", D(5), None, D(5)),
        ("меньше 5", Comparator.LESS_THAN, "меньше", D(5), None, D(5)),
        ("менее чем 5", Comparator.LESS_THAN, "менее чем", D(5), None, D(5)),
        ("не более 5", Comparator.AT_MOST, "не более", D(5), None, D(5)),
        ("не больше 5", Comparator.AT_MOST, "не больше", D(5), None, D(5)),
        ("до 5", Comparator.AT_MOST, "до", D(5), None, D(5)),
        ("порядка 60", Comparator.APPROXIMATELY, "порядка", D(60), None, None),
        ("около 60", Comparator.APPROXIMATELY, "около", D(60), None, None),
        ("примерно 60", Comparator.APPROXIMATELY, "примерно", D(60), None, None),
        ("приблизительно 60", Comparator.APPROXIMATELY, "приблизительно", D(60), None, None),
        ("Более половины", Comparator.MORE_THAN, "более", D("0.5"), D("0.5"), None),
        ("НЕ\nБОЛЕЕ\u00a0 5", Comparator.AT_MOST, "не более", D(5), None, D(5)),
    ],
)
def test_qualifiers_set_comparator_and_open_bounds(
    text: str,
    comparator: Comparator,
    qualifier: str,
    value: Decimal,
    lower: Decimal | None,
    upper: Decimal | None,
) -> None:
    """Each qualifier gives its comparator, canonical form and one-sided (or no) bounds."""
    figure = parse_figure(text)
    assert figure.printed == text
    assert (figure.comparator, figure.qualifier, figure.value) == (comparator, qualifier, value)
    assert (figure.lower, figure.upper) == (lower, upper)
    assert figure.lower_inclusive is (comparator is Comparator.AT_LEAST)
    assert figure.upper_inclusive is (comparator is Comparator.AT_MOST)


@pytest.mark.parametrize("text", ["83", "456", "25", "29", "7", "9", "3", "164", "0"])
def test_bare_integer_is_an_exact_count(text: str) -> None:
    """A bare integer without multiplier is exact: [n, n], both ends inclusive."""
    figure = parse_figure(text)
    assert figure.comparator is Comparator.EXACT
    assert figure.qualifier is None
    assert figure.value == figure.lower == figure.upper == D(text)
    assert figure.lower_inclusive and figure.upper_inclusive


@pytest.mark.parametrize(
    ("text", "number", "multiplier_word", "value", "lower", "upper"),
    [
        ("9,4 млн", D("9.4"), "млн", D(9_400_000), D(9_350_000), D(9_450_000)),
        ("8 млн", D(8), "млн", D(8_000_000), D(7_500_000), D(8_500_000)),
        ("69,9 тыс.", D("69.9"), "тыс.", D(69_900), D(69_850), D(69_950)),
        ("1,1 тыс", D("1.1"), "тыс.", D(1_100), D(1_050), D(1_150)),
        ("5 тысяч", D(5), "тыс.", D(5_000), D(4_500), D(5_500)),
        ("2 тысячи", D(2), "тыс.", D(2_000), D(1_500), D(2_500)),
        ("1 тысяча", D(1), "тыс.", D(1_000), D(500), D(1_500)),
        ("3 млн.", D(3), "млн", D(3_000_000), D(2_500_000), D(3_500_000)),
        ("1 миллион", D(1), "млн", D(1_000_000), D(500_000), D(1_500_000)),
        ("2 миллиона", D(2), "млн", D(2_000_000), D(1_500_000), D(2_500_000)),
        ("5 миллионов", D(5), "млн", D(5_000_000), D(4_500_000), D(5_500_000)),
        ("1,25 млрд", D("1.25"), "млрд", D(1_250_000_000), D(1_245_000_000), D(1_255_000_000)),
        ("2 млрд.", D(2), "млрд", D(2_000_000_000), D(1_500_000_000), D(2_500_000_000)),
        ("3 миллиарда", D(3), "млрд", D(3_000_000_000), D(2_500_000_000), D(3_500_000_000)),
        ("7 миллиардов", D(7), "млрд", D(7_000_000_000), D(6_500_000_000), D(7_500_000_000)),
        ("12 345", D(12_345), None, D(12_345), D(12_345), D(12_345)),
        ("12\u202f345\u00a0678", D(12_345_678), None, D(12_345_678), D(12_345_678), D(12_345_678)),
        ("1\u00a0234,5 тыс.", D("1234.5"), "тыс.", D(1_234_500), D(1_234_450), D(1_234_550)),
        ("2,50", D("2.50"), None, D("2.5"), D("2.495"), D("2.505")),
        ("половина", D("0.5"), None, D("0.5"), D("0.5"), D("0.5")),
    ],
)
def test_exact_figure_bounds_are_the_rounding_interval(
    text: str,
    number: Decimal,
    multiplier_word: str | None,
    value: Decimal,
    lower: Decimal,
    upper: Decimal,
) -> None:
    """An exact figure spans half a unit of its last printed digit, times the multiplier."""
    figure = parse_figure(text)
    assert figure.comparator is Comparator.EXACT
    assert figure.number == number
    assert figure.multiplier_word == multiplier_word
    assert figure.value == value
    assert (figure.lower, figure.upper) == (lower, upper)
    assert figure.lower_inclusive and figure.upper_inclusive


def test_value_is_exact_decimal_without_float_noise() -> None:
    """69,9 тыс. is Decimal 69900 exactly, printed without a fractional part."""
    figure = parse_figure("69,9 тыс.")
    assert str(figure.value) == "69900"
    assert (str(figure.lower), str(figure.upper)) == ("69850", "69950")


@pytest.mark.parametrize(
    ("text", "rouble", "currency", "currency_printed", "value"),
    [
        ("9,4 млн долларов США", None, "USD", "долларов США", D(9_400_000)),
        ("9,4\u00a0млн долларов\u00a0США", None, "USD", "долларов\u00a0США", D(9_400_000)),
        ("21 доллар США", None, "USD", "доллар США", D(21)),
        ("22 доллара США", None, "USD", "доллара США", D(22)),
        ("5 долл. США", None, "USD", "долл. США", D(5)),
        ("5 дол. США", None, "USD", "дол. США", D(5)),
        ("более 8 млн евро", None, "EUR", "евро", D(8_000_000)),
        ("69,9 тыс. рублей", "BYN", "BYN", "рублей", D(69_900)),
        ("2,8 млн рублей", "RUB", "RUB", "рублей", D(2_800_000)),
        ("2 рубля", "RUB", "RUB", "рубля", D(2)),
        ("1 рубль", "RUB", "RUB", "рубль", D(1)),
        ("5 тыс. руб.", "RUB", "RUB", "руб.", D(5_000)),
        ("5 тыс.руб.", "RUB", "RUB", "руб.", D(5_000)),
        ("3 млн российских рублей", None, "RUB", "российских рублей", D(3_000_000)),
        ("2,5 российского рубля", "BYN", "RUB", "российского рубля", D("2.5")),
        ("4 белорусских рубля", None, "BYN", "белорусских рубля", D(4)),
        ("1 белорусский рубль", None, "BYN", "белорусский рубль", D(1)),
        ("7 белорусских\nруб.", None, "BYN", "белорусских\nруб.", D(7)),
    ],
)
def test_currency_words_give_iso_codes(
    text: str, rouble: str | None, currency: str, currency_printed: str, value: Decimal
) -> None:
    """Currency words after the number map to ISO 4217 codes and are kept as printed."""
    figure = parse_figure(text, rouble=rouble)
    assert (figure.currency, figure.currency_printed, figure.value) == (
        currency,
        currency_printed,
        value,
    )


def test_full_example_figure() -> None:
    """ "более 1,1 тыс." reads into every field as documented."""
    assert parse_figure("более 1,1 тыс.") == Figure(
        printed="более 1,1 тыс.",
        qualifier="более",
        comparator=Comparator.MORE_THAN,
        number=D("1.1"),
        multiplier_word="тыс.",
        multiplier=1_000,
        value=D(1_100),
        lower=D(1_100),
        lower_inclusive=False,
        upper=None,
        upper_inclusive=False,
        currency=None,
        currency_printed=None,
    )


@pytest.mark.parametrize(
    ("text", "rouble", "message"),
    [
        ("", None, "empty text is not a figure"),
        ("  \n\u00a0", None, "empty text is not a figure"),
        ("9.4.1 млн", None, "decimal point in '9.4.1 млн': write a decimal comma"),
        ("9.4 млн", None, "decimal point in '9.4 млн': write a decimal comma"),
        ("сотни", None, "only digits, number words and 'половина' are read as numbers"),
        ("более сотни", None, "expected a number after 'более' but found 'сотни'"),
        ("десятки", None, "'десятки' is neither a qualifier"),
        ("NaN", None, "only digits, number words and 'половина' are read as numbers"),
        ("inf", None, "'inf' is neither a qualifier"),
        ("едва 100", None, "'едва' is neither a qualifier"),
        ("-5", None, "negative number in '-5'"),
        ("−5", None, "negative number in '−5'"),
        ("более -5", None, "negative number in 'более -5'"),
        ("x 5", None, "'x' is neither a qualifier"),
        ("5 x", None, "'x' is left over after '5'"),
        ("5.", None, "'.' is left over after '5'"),
        ("100 договоров", None, "'договоров' is left over after '100'"),
        ("Более половины из них", None, "'из них' is left over after 'Более половины'"),
        ("половины тыс.", None, "'половины' takes no multiplier or currency"),
        ("более половины рублей", None, "takes no multiplier or currency, but 'рублей'"),
        ("5 трлн", None, "unknown multiplier 'трлн': only тыс., млн and млрд"),
        ("5 триллионов", None, "unknown multiplier 'триллионов'"),
        ("5 млн..", None, "malformed multiplier 'млн..': write 'млн'"),
        ("5 тысяч.", None, "'.' is left over after '5 тысяч'"),
        ("5 долларов", None, "'долларов' does not say which dollar: write 'долларов США'"),
        ("2,8 млн рублей", None, "the source must state which rouble it uses"),
        ("5 руб.", None, "'руб.' does not say which rouble"),
        ("5", "XYZ", "'XYZ' is not an ISO 4217 currency code"),
        ("5", "rub", "'rub' is not an ISO 4217 currency code"),
        ("5", "USD", "rouble='USD' is the US Dollar, not a rouble: use 'RUB' or 'BYN'"),
        ("1234 567", None, "not grouped in threes: write thousands as '12 345 678'"),
        ("более", None, "nothing follows 'более': add a number"),
        ("более100", None, "put a space between 'более' and the number"),
        ("1" * 41, None, "more than 40 digits"),
        ("5 млн", "BYR", "'BYR' is not an ISO 4217 currency code"),
    ],
)
def test_parse_errors_say_what_is_wrong(text: str, rouble: str | None, message: str) -> None:
    """Text that is not a figure raises FigureError saying what is wrong and what is read."""
    with pytest.raises(FigureError) as caught:
        parse_figure(text, rouble=rouble)
    assert message in str(caught.value)


def test_figure_error_is_a_parse_error() -> None:
    """FigureError belongs to the project's ParseError family (and so is a ValueError)."""
    assert issubclass(FigureError, ParseError)
    assert issubclass(FigureError, ValueError)


def test_surrounding_white_space_is_allowed() -> None:
    """White space around a figure is not garbage; printed keeps it unchanged."""
    figure = parse_figure("\n более 100 \u00a0")
    assert (figure.printed, figure.value, figure.comparator) == (
        "\n более 100 \u00a0",
        D(100),
        Comparator.MORE_THAN,
    )


@pytest.mark.parametrize(
    ("text", "rouble", "printed"),
    [
        ("более 1,1 тыс.", None, "более 1,1 тыс."),
        ("9,4\u00a0млн долларов\u00a0США", None, "9,4 млн долларов США"),
        ("Более половины", None, "более половины"),
        ("половину", None, "половина"),
        ("69,9 тыс. рублей", "BYN", "69,9 тыс. белорусских рублей"),
        ("2,8 млн рублей", "RUB", "2,8 млн российских рублей"),
        ("12345", None, f"12{NBSP}345"),
        ("1234", None, "1234"),
        ("1 234 567,50 тыс.", None, f"1{NBSP}234{NBSP}567,50 тыс."),
        ("21 евро", None, "21 евро"),
        ("21 долл. США", None, "21 доллар США"),
        ("3 рублей", "RUB", "3 российских рубля"),
        ("12 рубля", "RUB", "12 российских рублей"),
        ("2,5 рублей", "BYN", "2,5 белорусского рубля"),
        ("свыше 5 тысяч", None, "свыше 5 тыс."),
        ("МЕНЕЕ\nЧЕМ 3 миллиарда", None, "менее чем 3 млрд"),
    ],
)
def test_format_figure_prints_canonical_russian(
    text: str, rouble: str | None, printed: str
) -> None:
    """format_figure prints canonical words, agreement and U+00A0 thousand groups."""
    assert format_figure(parse_figure(text, rouble=rouble)) == printed


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("с участием более 1,1 тыс. зарубежных ученых", ["более 1,1 тыс."]),
        ("на общую сумму 9,4\u00a0млн долларов США.", ["9,4\u00a0млн долларов США"]),
        ("в 2020–2022 гг.", ["2020", "2022"]),
        ("программа Горизонт-2020 в 2000-х", ["2020", "2000"]),
        ("Более половины из них", ["Более половины"]),
        ("не более 5, до 7, подо 8", ["не более 5", "до 7", "8"]),
        ("сумма 8 млн. В 2021 г.", ["8 млн", "2021"]),
        ("сумма 8 млн. рублей", ["8 млн. рублей"]),
        ("5 трлн рублей", ["5 трлн рублей"]),
        ("5 долларов", ["5 долларов"]),
        ("итого -5 и −6, но COVID-19", ["-5", "−6", "19"]),
        ("рост 9.4 млн", ["9.4 млн"]),
        ("более\nчем 12\u00a0345 человек", ["более\nчем 12\u00a0345"]),
        ("5 тыс.руб. за 2 шт.", ["5 тыс.руб.", "2"]),
        ("без цифр", []),
    ],
)
def test_find_figure_spans_finds_maximal_expressions(text: str, spans: list[str]) -> None:
    """Spans cover each whole figure expression, qualifier to currency, left to right."""
    assert [text[start:end] for start, end in find_figure_spans(text)] == spans


QUALIFIERS = [
    None,
    "более",
    "Более чем",
    "свыше",
    "не менее",
    "как минимум",
    "менее",
    "не более",
    "до",
    "порядка",
    "около",
]
MULTIPLIERS = {None: 1, "тыс.": 1_000, "тысяч": 1_000, "млн": 10**6, "млн.": 10**6}
MULTIPLIERS |= {"миллионов": 10**6, "млрд": 10**9, "миллиарда": 10**9}
CURRENCIES = [
    (None, None),
    ("долларов США", "USD"),
    ("долл. США", "USD"),
    ("евро", "EUR"),
    ("российских рублей", "RUB"),
    ("белорусского рубля", "BYN"),
    ("рублей", "BYN"),
    ("руб.", "RUB"),
]
spaces = st.sampled_from([" ", NBSP, NNBSP, "\n", " \n "])


@st.composite
def figure_texts(draw: st.DrawFn) -> tuple[str, Decimal, str | None, str | None]:
    """A figure text, its value, its currency code and the rouble to pass."""
    qualifier = draw(st.sampled_from(QUALIFIERS))
    head = f"{qualifier}{draw(spaces)}" if qualifier else ""
    if draw(st.integers(0, 9)) == 0:
        return f"{head}половины" if qualifier else "половина", D("0.5"), None, None
    whole = draw(st.integers(0, 10**12))
    fraction = draw(st.text("0123456789", max_size=3))
    digits = str(whole)
    if draw(st.booleans()):
        groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
        digits = draw(st.sampled_from([" ", NBSP, NNBSP])).join(groups)
    text = head + digits + (f",{fraction}" if fraction else "")
    word = draw(st.sampled_from(list(MULTIPLIERS)))
    if word:
        text += draw(spaces) + word
    currency, code = draw(st.sampled_from(CURRENCIES))
    if currency:
        text += draw(spaces) + currency
    value = D(f"{whole}.{fraction or 0}") * MULTIPLIERS[word]
    return text, value, code, code if currency in ("рублей", "руб.") else None


@settings(max_examples=300)
@given(figure_texts())
def test_format_then_parse_round_trips(
    case: tuple[str, Decimal, str | None, str | None],
) -> None:
    """parse → format → parse keeps comparator, value, bounds and currency."""
    text, value, code, rouble = case
    first = parse_figure(text, rouble=rouble)
    assert (first.value, first.currency) == (value, code)
    second = parse_figure(format_figure(first))
    keys = ("comparator", "value", "lower", "lower_inclusive", "upper", "upper_inclusive")
    assert [getattr(second, k) for k in keys] == [getattr(first, k) for k in keys]
    assert second.currency == first.currency


@settings(max_examples=300)
@given(figure_texts())
def test_a_figure_in_a_sentence_is_one_span(
    case: tuple[str, Decimal, str | None, str | None],
) -> None:
    """A figure placed inside a sentence is found as exactly one span, all of it."""
    text = case[0]
    sentence = f"Итого {text} в отчёте."
    assert find_figure_spans(sentence) == [(6, 6 + len(text))]


TOKENS = ["0", "1", "5", ",", ".", " ", NBSP, "\n", "-", "−", "более ", "не ", "тыс.", "млн"]
TOKENS += ["рублей", "долларов", " США", "евро", "половины", "российских ", "трлн", "x"]


@given(st.one_of(st.text(), st.lists(st.sampled_from(TOKENS)).map("".join)))
def test_parse_raises_only_figure_error(text: str) -> None:
    """Any text either parses or raises FigureError, never another exception."""
    try:
        figure = parse_figure(text, rouble="RUB")
    except FigureError:
        return
    assert figure.printed == text


@given(st.one_of(st.text(), st.lists(st.sampled_from(TOKENS)).map("".join)))
def test_spans_are_ordered_and_disjoint(text: str) -> None:
    """find_figure_spans returns non-empty, non-overlapping spans from left to right."""
    spans = find_figure_spans(text)
    ends = [0] + [end for _, end in spans]
    assert all(ends[i] <= start < end for i, (start, end) in enumerate(spans))


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("сумма 5 рублей.", ["5 рублей"]),
        ("сумма 5 долларов США.", ["5 долларов США"]),
        ("сумма 5 тыс. долл.", ["5 тыс. долл."]),
        ("сумма 5 тысяч.", ["5 тысяч"]),
        ("сумма 5 тыс.. рублей", ["5 тыс.. рублей"]),
    ],
)
def test_spans_end_before_a_sentence_full_stop(text: str, spans: list[str]) -> None:
    """A full stop after a currency or full word is the sentence's, not the figure's."""
    assert [text[start:end] for start, end in find_figure_spans(text)] == spans


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"currency": "GBP"}, "cannot print currency 'GBP'"),
        ({"multiplier": 100}, "cannot print multiplier 100"),
        ({"number": D(-5)}, "cannot print -5"),
    ],
)
def test_format_figure_rejects_what_it_cannot_print(
    changes: dict[str, object], message: str
) -> None:
    """format_figure refuses figures built by hand with unprintable parts."""
    with pytest.raises(FigureError, match=message):
        format_figure(dataclasses.replace(parse_figure("5"), **changes))  # type: ignore[arg-type]


def test_format_figure_supplies_a_qualifier_for_the_comparator() -> None:
    """A figure without a matching qualifier gets the default one for its comparator."""
    figure = dataclasses.replace(parse_figure("5"), comparator=Comparator.AT_LEAST)
    assert format_figure(figure) == "не менее 5"
    assert format_figure(dataclasses.replace(figure, qualifier="около")) == "не менее 5"
