"""Reporting periods printed in English prose: "In 2018", "over the period of 2014–2020",
"since 2014", "as of early 2022", "to date".

The same kinds and dates as the Russian periods (etl.text.periods): "early"/"the start of"
a year is its first day, "late"/"the end of" its last; "today", "to date", "currently" are
of kind as_of_publication, dated by the build from the source's publication date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from re import Match
from typing import Final

from etl.text.period_model import Period, PeriodError, PeriodKind

ENGLISH_FORMS: Final = (
    'accepted forms: "in 2018", "2014–2020", "over the period of 2014–2020", '
    '"from 2014 to 2020", "between 2014 and 2020", "since 2014", "since March 2014", '
    '"in March 2019", "on 19 December 2022", "as of 1 January 2022", "as of early 2022", '
    '"by the end of 2017", "at the start of 2022", "by April 2019", '
    '"as of the end of March 2020", "March 12, 2019", "on Tuesday, 12th March 2019", '
    '"12 Mar. 2019", "today", "to date"'
)
_MONTHS: Final = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
# "Mar", "Sept.": the abbreviations a press release prints, a full stop allowed after them
_MONTH_ABBREVIATIONS: Final = {
    **{name[:3]: n for name, n in _MONTHS.items() if name != "may"},
    "sept": 9,
}
_MONTH: Final = rf"(?:(?P<month>{'|'.join(_MONTHS)})|(?P<abbr>{'|'.join(_MONTH_ABBREVIATIONS)})\.?)"
_YEAR: Final = r"(?P<year>[0-9]{4})"
# "12", "12th", "1st": a day of the month, an ordinal suffix allowed
_DAY: Final = r"(?P<day>[0-9]{1,2})(?P<suffix>st|nd|rd|th)?"
_WEEKDAYS: Final = [name.lower() for name in calendar.day_name]  # Monday first, as date.weekday
_WEEKDAY: Final = rf"(?:(?P<weekday>{'|'.join(_WEEKDAYS)}),? )?"
_DASH: Final = "[" + re.escape("-‐‑‒–—−") + "]"
_RANGE: Final = rf"(?P<first>[0-9]{{4}}) ?(?:{_DASH}|to|and) ?(?P<last>[0-9]{{4}})"
_START: Final = r"(?P<start>early|the start of|the beginning of)"
_EDGE: Final = rf"(?:{_START}|(?P<end>late|the end of)) "
_PUBLICATION: Final = frozenset(
    {"today", "to date", "currently", "now", "at present", "so far", "at the time of writing"}
)
_PATTERNS: Final = [
    (PeriodKind.YEAR, re.compile(rf"(?:in )?{_YEAR}")),
    (
        PeriodKind.YEARS,
        re.compile(rf"(?:(?:over|during|in) )?(?:the period (?:of )?|from |between )?{_RANGE}"),
    ),
    (PeriodKind.SINCE, re.compile(rf"since (?:{_MONTH} )?{_YEAR}")),
    (PeriodKind.AS_OF, re.compile(rf"(?:as of|as at|by|at) {_EDGE}(?:{_MONTH} )?{_YEAR}")),
    # "by April 2019": the month's first day, as "by early 2022" is the year's
    (PeriodKind.AS_OF, re.compile(rf"(?:as of|as at|by) {_MONTH} {_YEAR}")),
    (PeriodKind.AS_OF, re.compile(rf"(?:as of|as at|by) {_DAY} {_MONTH},? {_YEAR}")),
    (PeriodKind.AS_OF, re.compile(rf"(?:as of|as at|by) {_MONTH} {_DAY},? {_YEAR}")),
    # "12 March 2019", "on Tuesday, 12th March 2019", "March 12, 2019"
    (PeriodKind.DAY, re.compile(rf"(?:on )?{_WEEKDAY}{_DAY} (?:of )?{_MONTH},? {_YEAR}")),
    (PeriodKind.DAY, re.compile(rf"(?:on )?{_WEEKDAY}{_MONTH} {_DAY},? {_YEAR}")),
    (PeriodKind.MONTH, re.compile(rf"(?:in )?{_MONTH} {_YEAR}")),
]


def _year(digits: str, printed: str) -> int:
    year = int(digits)
    if not 1000 <= year <= 2999:
        raise PeriodError(printed, f"year {digits} is not from 1000 to 2999", ENGLISH_FORMS)
    return year


def _month(found: dict[str, str | None]) -> int | None:
    """The month a match names, in full or abbreviated, or None."""
    if found.get("month"):
        return _MONTHS[str(found["month"])]
    return _MONTH_ABBREVIATIONS[str(found["abbr"])] if found.get("abbr") else None


def _check_ordinal(day: str, suffix: str | None, printed: str) -> None:
    """Refuse an ordinal suffix that does not fit its day ("12st")."""
    number = int(day)
    ones = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    expected = "th" if 11 <= number % 100 <= 13 else ones
    if suffix is not None and suffix != expected:
        raise PeriodError(printed, f"the day {day}{suffix} is misspelt", f"write {day}{expected}")


def _span(kind: PeriodKind, match: Match[str], printed: str) -> tuple[date, date | None]:
    """First and last day covered by a matched phrase of the given kind."""
    found = match.groupdict()
    if kind is PeriodKind.YEARS:
        first, last = _year(match["first"], printed), _year(match["last"], printed)
        if last <= first:
            raise PeriodError(
                printed, f"end year {last} is not after start year {first}", ENGLISH_FORMS
            )
        return date(first, 1, 1), date(last, 12, 31)
    year = _year(match["year"], printed)
    month = _month(found)
    if found.get("day"):
        assert month is not None
        _check_ordinal(found["day"], found.get("suffix"), printed)
        try:
            day = date(year, month, int(found["day"]))
        except ValueError:
            raise PeriodError(printed, "there is no such day", "check the day") from None
        if found.get("weekday") and _WEEKDAYS[day.weekday()] != found["weekday"]:
            weekday = calendar.day_name[day.weekday()]
            raise PeriodError(printed, f"{day.isoformat()} is a {weekday}", "check the day")
        return day, day
    if kind is PeriodKind.AS_OF and month is not None:
        month_end = date(year, month, calendar.monthrange(year, month)[1])
        moment = month_end if found.get("end") else date(year, month, 1)
        return moment, moment
    if kind is PeriodKind.AS_OF:
        moment = date(year, 1, 1) if found.get("start") else date(year, 12, 31)
        return moment, moment
    if month is None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        start, end = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return (start, None) if kind is PeriodKind.SINCE else (start, end)


def parse_english_period(text: str) -> Period:
    """Read a printed English period such as "In 2018" or "as of early 2022"."""
    norm = re.sub(r"\s+", " ", text).strip().lower()
    if norm in _PUBLICATION:
        return Period(printed=text, kind=PeriodKind.AS_OF_PUBLICATION, start=None, end=None)
    for kind, pattern in _PATTERNS:
        if match := pattern.fullmatch(norm):
            start, end = _span(kind, match, text)
            return Period(printed=text, kind=kind, start=start, end=end)
    problem = "the text is empty" if not norm else "the words do not form a period"
    raise PeriodError(text, problem, ENGLISH_FORMS)
