"""Periods in English, and the words that date a figure by its source's publication."""

from __future__ import annotations

from datetime import date

import pytest

from etl.text.errors import MissingLanguageData
from etl.text.periods import PeriodError, PeriodKind, format_period, parse_period

K = PeriodKind


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("In 2018", K.YEAR, date(2018, 1, 1), date(2018, 12, 31)),
        ("2018", K.YEAR, date(2018, 1, 1), date(2018, 12, 31)),
        ("over the period of 2014–2020", K.YEARS, date(2014, 1, 1), date(2020, 12, 31)),
        ("over the period 2014-2020", K.YEARS, date(2014, 1, 1), date(2020, 12, 31)),
        ("in 2014—2020", K.YEARS, date(2014, 1, 1), date(2020, 12, 31)),
        ("from 2014 to 2020", K.YEARS, date(2014, 1, 1), date(2020, 12, 31)),
        ("between 2014 and 2020", K.YEARS, date(2014, 1, 1), date(2020, 12, 31)),
        ("since 2014", K.SINCE, date(2014, 1, 1), None),
        ("Since March 2014", K.SINCE, date(2014, 3, 1), None),
        ("as of early 2022", K.AS_OF, date(2022, 1, 1), date(2022, 1, 1)),
        ("at the start of 2022", K.AS_OF, date(2022, 1, 1), date(2022, 1, 1)),
        ("by late 2017", K.AS_OF, date(2017, 12, 31), date(2017, 12, 31)),
        ("by the end of 2017", K.AS_OF, date(2017, 12, 31), date(2017, 12, 31)),
        ("as of 1 January 2022", K.AS_OF, date(2022, 1, 1), date(2022, 1, 1)),
        ("by April 2019", K.AS_OF, date(2019, 4, 1), date(2019, 4, 1)),
        ("as of the end of March 2020", K.AS_OF, date(2020, 3, 31), date(2020, 3, 31)),
        ("by early April 2019", K.AS_OF, date(2019, 4, 1), date(2019, 4, 1)),
        ("in March 2019", K.MONTH, date(2019, 3, 1), date(2019, 3, 31)),
        ("on 19 December 2022", K.DAY, date(2022, 12, 19), date(2022, 12, 19)),
        ("12 March 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("March 12, 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("On March 12, 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("March 12 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("12th March 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("1st of March 2019", K.DAY, date(2019, 3, 1), date(2019, 3, 1)),
        ("March 3rd, 2019", K.DAY, date(2019, 3, 3), date(2019, 3, 3)),
        ("22nd May 2019", K.DAY, date(2019, 5, 22), date(2019, 5, 22)),
        ("on Tuesday, 12 March 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("Tuesday March 12, 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("12 Mar 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("on 3 Sept. 2018", K.DAY, date(2018, 9, 3), date(2018, 9, 3)),
        ("Mar. 12, 2019", K.DAY, date(2019, 3, 12), date(2019, 3, 12)),
        ("in Dec 2018", K.MONTH, date(2018, 12, 1), date(2018, 12, 31)),
        ("as of March 12, 2019", K.AS_OF, date(2019, 3, 12), date(2019, 3, 12)),
        ("by 12 March 2019", K.AS_OF, date(2019, 3, 12), date(2019, 3, 12)),
        ("To date", K.AS_OF_PUBLICATION, None, None),
        ("today", K.AS_OF_PUBLICATION, None, None),
        ("currently", K.AS_OF_PUBLICATION, None, None),
    ],
)
def test_english_periods_read_to_their_days(
    text: str, kind: PeriodKind, start: date | None, end: date | None
) -> None:
    """Each English form gives its kind and its first and last day."""
    period = parse_period(text, language="en")
    assert (period.printed, period.kind, period.start, period.end) == (text, kind, start, end)


@pytest.mark.parametrize("text", ["Сегодня", "уже", "в настоящее время", "На сегодняшний день"])
def test_russian_words_for_now_are_as_of_publication(text: str) -> None:
    """ "Сегодня", "уже" and the like are dated by the publication, with no dates of their own."""
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (K.AS_OF_PUBLICATION, None, None)
    assert format_period(period) == "сегодня"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("since 2014 onwards", "the words do not form a period; accepted forms: "),
        ("2020–2014", "end year 2014 is not after start year 2020"),
        ("on 31 February 2022", "there is no such day; check the day"),
        ("in 0999", "year 0999 is not from 1000 to 2999"),
        ("12st March 2019", "the day 12st is misspelt; write 12th"),
        ("11st March 2019", "the day 11st is misspelt; write 11th"),
        ("on Monday, 12 March 2019", "2019-03-12 is a Tuesday; check the day"),
        ("March 32, 2019", "there is no such day; check the day"),
        ("12 Ma 2019", "the words do not form a period; accepted forms: "),
        ("12 May. 2019", "the words do not form a period; accepted forms: "),
    ],
)
def test_unreadable_english_periods_say_why(text: str, message: str) -> None:
    """An English phrase that is no period is refused, naming the problem and the forms read."""
    with pytest.raises(PeriodError) as caught:
        parse_period(text, language="en")
    assert str(caught.value).startswith(f"cannot read period {text!r}: {message}")


def test_a_language_without_period_patterns_is_missing_language_data() -> None:
    """A language with no period patterns raises MissingLanguageData naming it."""
    with pytest.raises(MissingLanguageData, match="no period words for language 'be'"):
        parse_period("2018", language="be")
