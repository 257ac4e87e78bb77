"""The English figure-span finder: each printed form found whole, and read to exact values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.text.errors import MissingLanguageData
from etl.text.figures import Comparator, FigureError, find_figure_spans, parse_figure

D = Decimal
C = Comparator

# sentence, and each span found in it: (as printed, value, comparator, currency, unit)
FORMS = [
    ("published more than 300 papers.", [("more than 300", D(300), C.MORE_THAN, None, None)]),
    ("over 1,100 researchers", [("over 1,100", D(1100), C.MORE_THAN, None, None)]),
    ("at least 12 grants", [("at least 12", D(12), C.AT_LEAST, None, None)]),
    ("just under 40 teams", [("just under 40", D(40), C.LESS_THAN, None, None)]),
    ("up to 5 years", [("up to 5", D(5), C.AT_MOST, None, None)]),
    ("some 20 labs", [("some 20", D(20), C.APPROXIMATELY, None, None)]),
    ("it won €6.4 million.", [("€6.4 million", D(6_400_000), C.EXACT, "EUR", None)]),
    (
        "spent about 6 million euros",
        [("about 6 million euros", D(6_000_000), C.APPROXIMATELY, "EUR", None)],
    ),
    (
        "almost €1 million in grants",
        [("almost €1 million", D(1_000_000), C.LESS_THAN, "EUR", None)],
    ),
    ("a €64m boost", [("€64m", D(64_000_000), C.EXACT, "EUR", None)]),
    ("worth 6.4bn", [("6.4bn", D(6_400_000_000), C.EXACT, None, None)]),
    ("paid US$ 5 million", [("US$ 5 million", D(5_000_000), C.EXACT, "USD", None)]),
    ("paid 5 thousand US dollars", [("5 thousand US dollars", D(5000), C.EXACT, "USD", None)]),
    ("£3 million", [("£3 million", D(3_000_000), C.EXACT, "GBP", None)]),
    (
        "2 billion Russian roubles",
        [("2 billion Russian roubles", D(2 * 10**9), C.EXACT, "RUB", None)],
    ),
    ("40 EUR each", [("40 EUR", D(40), C.EXACT, "EUR", None)]),
    ("seven partners", [("seven", D(7), C.EXACT, None, None)]),
    ("nearly twenty-five teams", [("nearly twenty-five", D(25), C.LESS_THAN, None, None)]),
    ("one hundred projects", [("one hundred", D(100), C.EXACT, None, None)]),
    ("six million euros", [("six million euros", D(6_000_000), C.EXACT, "EUR", None)]),
    ("12% of them", [("12%", D(12), C.EXACT, None, "percent")]),
    ("5 per cent", [("5 per cent", D(5), C.EXACT, None, "percent")]),
    ("5–7 per cent", [("5–7 per cent", D(6), C.BETWEEN, None, "percent")]),
    ("5 - 7 percent", [("5 - 7 percent", D(6), C.BETWEEN, None, "percent")]),
    ("between 5 and 7 per cent", [("between 5 and 7 per cent", D(6), C.BETWEEN, None, "percent")]),
    ("between five and seven", [("between five and seven", D(6), C.BETWEEN, None, None)]),
]


@pytest.mark.parametrize(("sentence", "spans"), FORMS)
def test_each_english_form_is_one_whole_span_with_exact_values(
    sentence: str, spans: list[tuple[str, Decimal, Comparator, str | None, str | None]]
) -> None:
    """Each printed form is found whole, and the English parser reads the span exactly."""
    found = [sentence[a:b] for a, b in find_figure_spans(sentence, "en")]
    assert found == [printed for printed, *_ in spans]
    for printed, value, comparator, currency, unit in spans:
        figure = parse_figure(printed, language="en")
        assert (figure.value, figure.comparator, figure.currency, figure.unit) == (
            value,
            comparator,
            currency,
            unit,
        )


@pytest.mark.parametrize(
    ("sentence", "spans"),
    [
        # a change, not a range: two spans
        ("rose from 30 to 41 projects", ["30", "41"]),
        ("30 to 41", ["30", "41"]),
        # refused by the parser, but found whole so that no shorter part passes
        ("5 trillion euros", ["5 trillion euros"]),
        ("5 dollars and $5", ["5 dollars", "$5"]),
        ("6,4 million", ["6,4 million"]),
        ("−6 and -5", ["−6", "-5"]),
        # what is not part of a figure
        ("at least 3 m away", ["at least 3"]),
        ("5 SME partners", ["5"]),
        ("COVID-19 and H2020", ["19", "2020"]),
        ("the 64mm lens", ["64"]),
        ("in 2014–2020.", ["2014–2020"]),
        ("30 – one of them", ["30", "one"]),
        ("no numbers here", []),
    ],
)
def test_english_spans_stop_where_the_figure_does(sentence: str, spans: list[str]) -> None:
    """Changes are two spans; refused parts are kept in; other words are left out."""
    assert [sentence[a:b] for a, b in find_figure_spans(sentence, "en")] == spans


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5 trillion euros", "unknown multiplier 'trillion': thousand, million, billion"),
        ("$5", "'$' in '$5' does not say which dollar: write 'US$'"),
    ],
)
def test_spans_the_parser_refuses_say_why(text: str, message: str) -> None:
    """A span found whole that the parser refuses gets the parser's reason."""
    with pytest.raises(FigureError) as error:
        parse_figure(text, language="en")
    assert str(error.value) == message


def test_a_language_without_figure_words_has_no_span_finder() -> None:
    """Spans in a language without figure words are MissingLanguageData, not Russian rules."""
    with pytest.raises(MissingLanguageData):
        find_figure_spans("семь", "be")


TOKENS = ["0", "5", ",", ".", " ", "-", "–", "€", "$", "US$", "more than ", "about ", "m"]
TOKENS += [" million", " euros", " per cent", "%", "seven", "between ", " and ", "x", " EUR"]


@given(st.one_of(st.text(), st.lists(st.sampled_from(TOKENS)).map("".join)))
def test_english_spans_are_ordered_and_disjoint(text: str) -> None:
    """find_figure_spans in English returns non-empty, non-overlapping spans, left to right."""
    spans = find_figure_spans(text, "en")
    ends = [0] + [end for _, end in spans]
    assert all(ends[i] <= start < end for i, (start, end) in enumerate(spans))
