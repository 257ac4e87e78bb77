"""Tests for etl.text.periods: reading and writing printed reporting periods."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.text.errors import ParseError
from etl.text.periods import Period, PeriodError, PeriodKind, format_period, parse_period

D = date
K = PeriodKind


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        # real phrases from reports
        ("В 2020–2022 гг.", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("В 2021–2022 гг.", K.YEARS, D(2021, 1, 1), D(2022, 12, 31)),
        ("С 2014 года", K.SINCE, D(2014, 1, 1), None),
        ("на начало 2022 года", K.AS_OF, D(2022, 1, 1), D(2022, 1, 1)),
        ("19 декабря 2022 г.", K.DAY, D(2022, 12, 19), D(2022, 12, 19)),
        ("в 2000-х гг.", K.DECADE, D(2000, 1, 1), D(2009, 12, 31)),
        ("в сентябре 2022 г.", K.MONTH, D(2022, 9, 1), D(2022, 9, 30)),
        ("29 ноября 2022 г.", K.DAY, D(2022, 11, 29), D(2022, 11, 29)),
        ("в 2013 году", K.YEAR, D(2013, 1, 1), D(2013, 12, 31)),
        ("в 2021 году", K.YEAR, D(2021, 1, 1), D(2021, 12, 31)),
        ("с 2017 года", K.SINCE, D(2017, 1, 1), None),
        # YEAR
        ("2013 год", K.YEAR, D(2013, 1, 1), D(2013, 12, 31)),
        ("в 2013 г.", K.YEAR, D(2013, 1, 1), D(2013, 12, 31)),
        ("2013 г.", K.YEAR, D(2013, 1, 1), D(2013, 12, 31)),
        ("2013г.", K.YEAR, D(2013, 1, 1), D(2013, 12, 31)),
        ("В 2013 ГОДУ", K.YEAR, D(2013, 1, 1), D(2013, 12, 31)),
        ("1000 г.", K.YEAR, D(1000, 1, 1), D(1000, 12, 31)),
        ("2999 г.", K.YEAR, D(2999, 1, 1), D(2999, 12, 31)),
        # YEARS
        ("2020–2022 гг.", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("2020-2022 годы", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("2020—2022 гг.", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("2020 – 2022 гг.", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("в 2020–2022 годах", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("с 2020 по 2022 год", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        ("с 2020 г. по 2022 г.", K.YEARS, D(2020, 1, 1), D(2022, 12, 31)),
        # DECADE
        ("2000-е годы", K.DECADE, D(2000, 1, 1), D(2009, 12, 31)),
        ("в 2010-х годах", K.DECADE, D(2010, 1, 1), D(2019, 12, 31)),
        ("в 1990-е гг.", K.DECADE, D(1990, 1, 1), D(1999, 12, 31)),
        # MONTH
        ("сентябрь 2022 года", K.MONTH, D(2022, 9, 1), D(2022, 9, 30)),
        ("в сентябре 2022 года", K.MONTH, D(2022, 9, 1), D(2022, 9, 30)),
        ("Сентябрь 2022 г.", K.MONTH, D(2022, 9, 1), D(2022, 9, 30)),
        ("в феврале 2024 г.", K.MONTH, D(2024, 2, 1), D(2024, 2, 29)),
        ("в феврале 2023 г.", K.MONTH, D(2023, 2, 1), D(2023, 2, 28)),
        ("в феврале 2000 г.", K.MONTH, D(2000, 2, 1), D(2000, 2, 29)),
        ("в феврале 1900 г.", K.MONTH, D(1900, 2, 1), D(1900, 2, 28)),
        ("в мае 2021 г.", K.MONTH, D(2021, 5, 1), D(2021, 5, 31)),
        ("декабря 2021 г.", K.MONTH, D(2021, 12, 1), D(2021, 12, 31)),
        # DAY
        ("29 ноября 2022 года", K.DAY, D(2022, 11, 29), D(2022, 11, 29)),
        ("1 января 2020 г.", K.DAY, D(2020, 1, 1), D(2020, 1, 1)),
        ("29 февраля 2024 г.", K.DAY, D(2024, 2, 29), D(2024, 2, 29)),
        ("1 Мая 2021 г.", K.DAY, D(2021, 5, 1), D(2021, 5, 1)),
        # SINCE
        ("с 2017 г.", K.SINCE, D(2017, 1, 1), None),
        ("начиная с 2014 года", K.SINCE, D(2014, 1, 1), None),
        ("с сентября 2022 г.", K.SINCE, D(2022, 9, 1), None),
        ("с 19 декабря 2022 г.", K.SINCE, D(2022, 12, 19), None),
        # AS_OF
        ("на начало 2022 г.", K.AS_OF, D(2022, 1, 1), D(2022, 1, 1)),
        ("на конец 2022 года", K.AS_OF, D(2022, 12, 31), D(2022, 12, 31)),
        ("на 1 января 2022 г.", K.AS_OF, D(2022, 1, 1), D(2022, 1, 1)),
        ("по состоянию на 1 января 2022 г.", K.AS_OF, D(2022, 1, 1), D(2022, 1, 1)),
        ("на начало сентября 2022 г.", K.AS_OF, D(2022, 9, 1), D(2022, 9, 1)),
        ("на конец февраля 2024 г.", K.AS_OF, D(2024, 2, 29), D(2024, 2, 29)),
    ],
)
def test_parse_period_reads_each_form(
    text: str, kind: PeriodKind, start: date, end: date | None
) -> None:
    """Every accepted form gives the right kind and exact first and last day."""
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.printed == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в\u00a02013\u00a0году", "в 2013 году"),
        ("в\u202f2013\u202fгоду", "в 2013 году"),
        ("в\n2021 году", "в 2021 году"),
        ("В 2020–2022\nгг.", "В 2020–2022 гг."),
        ("С\u00a02014\u00a0года", "С 2014 года"),
        ("на  начало\n\n2022 \u00a0года", "на начало 2022 года"),
        ("19\u00a0декабря\u00a02022\u00a0г.", "19 декабря 2022 г."),
        ("в сентябре\n2022\u202fг.", "в сентябре 2022 г."),
        ("  с 2017 года\n", "с 2017 года"),
    ],
)
def test_parse_period_accepts_any_white_space(text: str, expected: str) -> None:
    """U+00A0, U+202F, newlines and repeated spaces read like one ordinary space."""
    period = parse_period(text)
    plain = parse_period(expected)
    assert (period.kind, period.start, period.end) == (plain.kind, plain.start, plain.end)
    assert period.printed == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot read period '': the text is empty; accepted forms:"),
        ("   \n\u00a0", "the text is empty"),
        ("в 2013 году и далее", "unexpected text 'и далее' after 'в 2013 году'"),
        ("в 2013 году.", "unexpected punctuation '.' at the end"),
        ("примерно в 2013 году", "unknown word(s) 'примерно'"),
        ("xyz 2013 лет", "unknown word(s) 'xyz', 'лет'"),
        ("сентябрь", "there is no year in it"),
        ("2013", "the words do not form a period"),
        ("в Марту 2022 г.", "unknown word 'марту' where a month name was expected"),
        ("2022–2020 гг.", "end year 2020 is before start year 2022"),
        ("с 2022 по 2020 год", "end year 2020 is before start year 2022"),
        ("2022–2022 гг.", "end year 2022 is the same as start year 2022"),
        ("в 2001-х гг.", "decade 2001 does not start with a year ending in 0"),
        ("30 февраля 2023 г.", "there is no date 30 февраля 2023"),
        ("29 февраля 2023 г.", "there is no date 29 февраля 2023"),
        ("32 января 2020 г.", "there is no date 32 января 2020"),
        ("0 января 2020 г.", "there is no date 0 января 2020"),
        ("с 31 июня 2020 г.", "there is no date 31 июня 2020"),
        ("в 20133 году", "year 20133 is not a four-digit year from 1000 to 2999"),
        ("в 13 году", "year 13 is not a four-digit year from 1000 to 2999"),
        ("в 0999 году", "year 0999 is not a four-digit year from 1000 to 2999"),
        ("в 3000 году", "year 3000 is not a four-digit year from 1000 to 2999"),
        ("2020–22 гг.", "year 22 is not a four-digit year from 1000 to 2999"),
    ],
)
def test_parse_period_errors_say_what_is_wrong(text: str, message: str) -> None:
    """Unreadable periods raise PeriodError naming the trouble."""
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert message in str(caught.value)
    assert caught.value.printed == text


@pytest.mark.parametrize("text", ["", "в 2013 году и далее", "примерно в 2013 году"])
def test_not_understood_errors_list_accepted_forms(text: str) -> None:
    """Errors about unreadable text list the accepted forms."""
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert 'accepted forms: "2013 г.", "в 2013 году", "2020–2022 гг."' in str(caught.value)


def test_period_error_is_a_parse_error() -> None:
    """PeriodError belongs to the project's ParseError family (and is a ValueError)."""
    assert issubclass(PeriodError, ParseError)
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("в 2013 году", "2013 г."),
        ("В 2020–2022 гг.", "2020–2022 гг."),
        ("с 2020 по 2022 год", "2020–2022 гг."),
        ("в 2000-х гг.", "2000-е гг."),
        ("в сентябре 2022 г.", "сентябрь 2022 г."),
        ("19 декабря 2022 г.", "19 декабря 2022 г."),
        ("С 2014 года", "с 2014 г."),
        ("с сентября 2022 г.", "с сентября 2022 г."),
        ("с 19 декабря 2022 г.", "с 19 декабря 2022 г."),
        ("на начало 2022 года", "на 1 января 2022 г."),
        ("на конец 2022 года", "на 31 декабря 2022 г."),
    ],
)
def test_format_period_writes_the_canonical_form(text: str, canonical: str) -> None:
    """format_period writes one canonical phrase per kind and dates."""
    assert format_period(parse_period(text)) == canonical


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (Period("", K.YEAR, D(2013, 2, 1), D(2013, 12, 31)), "does not fit kind year"),
        (Period("", K.MONTH, D(2022, 9, 1), D(2022, 9, 29)), "does not fit kind month"),
        (Period("", K.SINCE, D(2022, 9, 1), D(2022, 9, 30)), "does not fit kind since"),
        (Period("", K.DECADE, D(2001, 1, 1), D(2010, 12, 31)), "decade 2001 does not start"),
        (Period("", K.YEARS, D(2020, 1, 1), None), "a range of years without an end"),
        (Period("", K.DAY, None, None), "has no start date"),
        (Period("", K.YEAR, D(999, 1, 1), D(999, 12, 31)), "year 999 is not a four-digit"),
    ],
)
def test_format_period_rejects_dates_that_do_not_fit_the_kind(period: Period, message: str) -> None:
    """A Period whose dates its kind cannot express is a ValueError, not a wrong phrase."""
    with pytest.raises(ValueError, match=re.escape(message)):
        format_period(period)


YEARS = st.integers(min_value=1000, max_value=2999)
DAYS = st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31))


def _year_period(year: int) -> Period:
    return Period("", K.YEAR, D(year, 1, 1), D(year, 12, 31))


def _month_period(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period("", K.MONTH, day.replace(day=1), day.replace(day=last))


def _years_period(pair: tuple[int, int]) -> Period:
    first, last = sorted(pair)
    return Period("", K.YEARS, D(first, 1, 1), D(last, 12, 31))


PERIODS = st.one_of(
    YEARS.map(_year_period),
    st.tuples(YEARS, YEARS).filter(lambda pair: pair[0] != pair[1]).map(_years_period),
    st.integers(100, 299).map(
        lambda n: Period("", K.DECADE, D(n * 10, 1, 1), D(n * 10 + 9, 12, 31))
    ),
    DAYS.map(_month_period),
    DAYS.map(lambda day: Period("", K.DAY, day, day)),
    DAYS.map(lambda day: Period("", K.SINCE, day, None)),
    DAYS.map(lambda day: Period("", K.SINCE, day.replace(day=1), None)),
    YEARS.map(lambda year: Period("", K.SINCE, D(year, 1, 1), None)),
    DAYS.map(lambda day: Period("", K.AS_OF, day, day)),
)


@given(PERIODS)
def test_format_then_parse_round_trips(period: Period) -> None:
    """Every period of every kind reads back from its canonical phrase unchanged."""
    text = format_period(period)
    parsed = parse_period(text)
    assert (parsed.kind, parsed.start, parsed.end) == (period.kind, period.start, period.end)
    assert parsed.printed == text


WORDS = st.sampled_from(
    ["в", "В", "с", "по", "на", "начало", "конец", "начиная", "г.", "гг.", "году", "годах",
     "сентябре", "декабря", "Май", "2013", "2020", "20133", "13", "32", "0", "-", "–", "-х",
     "\u00a0", "\n", ".", "и", "далее", "ё"]
)  # fmt: skip


@given(
    st.one_of(st.text(), st.lists(WORDS, max_size=8).map(" ".join), st.lists(WORDS).map("".join))
)
def test_arbitrary_text_parses_or_raises_period_error(text: str) -> None:
    """Any text either reads as a period or raises PeriodError, never another exception."""
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert period.start is not None
    assert period.end is None or period.start <= period.end
