"""Reporting periods printed in Russian report prose ("в 2013 году", "на начало 2022 года").

`parse_period` reads one printed phrase into a `Period` (kind, first day, last day);
`format_period` writes the canonical phrase back. Decisions made here:

- The whole phrase must be a period: trailing words ("в 2013 году и далее") or a trailing
  full stop after a full word ("в 2013 году.") are errors; the dot of "г." / "гг." is fine.
- A year word (г., год, году, года; гг., годы, годах, годов) is required, so a bare number
  is never read as a year. Ranges accept singular or plural year words ("с 2020 по 2022 год").
- A range with equal years ("2022–2022 гг.") is an error, not a single year: it is more
  likely a misprint than a deliberate way to write one year.
- The case of a month word is not checked against its preposition: nominative, genitive
  and prepositional forms are accepted wherever a month is expected.
- Also read: "по состоянию на 1 января 2022 г." and "на начало/конец сентября 2022 г.".
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date
from re import Match
from typing import Any, Final

from etl.text.errors import MissingLanguageData
from etl.text.period_model import Period, PeriodError, PeriodKind
from etl.text.periods_en import parse_english_period

__all__ = ["Period", "PeriodError", "PeriodKind", "format_period", "parse_period"]


_MONTHS: Final = (  # lemma (nominative), genitive
    ("январь", "января"),
    ("февраль", "февраля"),
    ("март", "марта"),
    ("апрель", "апреля"),
    ("май", "мая"),
    ("июнь", "июня"),
    ("июль", "июля"),
    ("август", "августа"),
    ("сентябрь", "сентября"),
    ("октябрь", "октября"),
    ("ноябрь", "ноября"),
    ("декабрь", "декабря"),
)
_MONTH_LEMMAS: Final = {lemma: number for number, (lemma, _) in enumerate(_MONTHS, start=1)}
_NOMINATIVE: Final = {number: lemma for lemma, number in _MONTH_LEMMAS.items()}
_GENITIVE: Final = {number: genitive for number, (_, genitive) in enumerate(_MONTHS, start=1)}
_MONTH_CASES: Final = frozenset({"nomn", "accs", "gent", "loct"})


@functools.cache
def _analyzer() -> Any:
    """The pymorphy3 analyser, built on first use (it loads dictionaries)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=1024)
def _month_number(word: str) -> int | None:
    """1–12 if `word` (lower case) is a singular month name in an accepted case."""
    for parse in _analyzer().parse(word):
        lemma = str(parse.normal_form)
        if lemma in _MONTH_LEMMAS and parse.tag.case in _MONTH_CASES and parse.tag.number == "sing":
            return _MONTH_LEMMAS[lemma]
    return None


_DASH: Final = "[" + re.escape("-‐‑‒–—−") + "]"
_SG: Final = r"(?:году|года|год|г\.?)"
_PL: Final = r"(?:годах|годов|годы|гг\.?|г\. ?г\.)"
_ANY_YEAR_WORD: Final = rf"(?:{_PL}|{_SG})"
_END: Final = r"(?= |$)"
_IN: Final = r"(?:в )?"
_DAY: Final = r"(?P<day>[0-9]+)"
_FUNCTION_WORDS: Final = r"(?:в|с|на|по|начиная|начало|конец|состоянию|году|года|годы|год|гг|г)"
_MONTH: Final = rf"(?P<month>(?!{_FUNCTION_WORDS}(?![а-яё]))[а-яё]+)"
_YEAR: Final = r"(?P<year>[0-9]+)"

_PATTERNS: Final = [
    (PeriodKind.YEAR, re.compile(rf"{_IN}{_YEAR} ?{_SG}{_END}")),
    (
        PeriodKind.YEARS,
        re.compile(rf"{_IN}(?P<first>[0-9]+) ?{_DASH} ?(?P<last>[0-9]+) ?{_ANY_YEAR_WORD}{_END}"),
    ),
    (
        PeriodKind.YEARS,
        re.compile(rf"с (?P<first>[0-9]+)(?: ?{_SG})? по (?P<last>[0-9]+) ?{_ANY_YEAR_WORD}{_END}"),
    ),
    (PeriodKind.DECADE, re.compile(rf"{_IN}{_YEAR}{_DASH}?(?:ые|ых|е|х) ?{_PL}{_END}")),
    (
        PeriodKind.SINCE,
        re.compile(rf"(?:начиная )?с (?:(?:{_DAY} )?{_MONTH} )?{_YEAR} ?{_SG}{_END}"),
    ),
    (
        PeriodKind.AS_OF,
        re.compile(
            rf"(?:по состоянию )?на (?P<edge>начало|конец) (?:{_MONTH} )?{_YEAR} ?{_SG}{_END}"
        ),
    ),
    (PeriodKind.AS_OF, re.compile(rf"(?:по состоянию )?на {_DAY} {_MONTH} {_YEAR} ?{_SG}{_END}")),
    (PeriodKind.DAY, re.compile(rf"{_IN}{_DAY} {_MONTH} {_YEAR} ?{_SG}{_END}")),
    (PeriodKind.MONTH, re.compile(rf"{_IN}{_MONTH} {_YEAR} ?{_SG}{_END}")),
]

# Words that state a figure for the time of the text: dated by the source's publication.
_PUBLICATION_WORDS: Final = frozenset(
    {"сегодня", "уже", "в настоящее время", "на сегодняшний день", "на сегодня", "ныне"}
)
_KNOWN_WORD: Final = re.compile(rf"{_FUNCTION_WORDS}|годах|годов|ые|ых|е|х")


def _normalise(text: str) -> str:
    """Lower case, every run of white space (U+00A0, U+202F, newlines…) as one space."""
    return re.sub(r"\s+", " ", text).strip().lower()


def _year(digits: str, printed: str) -> int:
    """A year from its digits: four of them, 1000–2999."""
    if len(digits) != 4 or not "1000" <= digits <= "2999":
        raise PeriodError(
            printed,
            f"year {digits} is not a four-digit year from 1000 to 2999",
            "write the year in full, e.g. 2013",
        )
    return int(digits)


def _month(match: Match[str], printed: str) -> int | None:
    """The month of a match, None if the pattern has none; error if the word is no month."""
    word = match.groupdict().get("month")
    if word is None:
        return None
    number = _month_number(word)
    if number is None:
        raise PeriodError(printed, f"unknown word {word!r} where a month name was expected")
    return number


def _day(match: Match[str], year: int, month: int, printed: str) -> date:
    """The date named by the match's day, month and year; error if there is no such day."""
    digits = match["day"]
    try:
        if len(digits) > 2:
            raise ValueError(digits)
        return date(year, month, int(digits))
    except ValueError:
        raise PeriodError(
            printed,
            f"there is no date {digits} {match['month']} {year}",
            "check the day and the month",
        ) from None


def _last_day(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _span(kind: PeriodKind, match: Match[str], printed: str) -> tuple[date, date | None]:
    """First and last day covered by a matched phrase of the given kind."""
    if kind is PeriodKind.YEARS:
        first, last = _year(match["first"], printed), _year(match["last"], printed)
        if last <= first:
            order = "is the same as" if last == first else "is before"
            raise PeriodError(
                printed,
                f"end year {last} {order} start year {first}",
                'write the earlier year first, as in "2020–2022 гг.", or one year as "2022 г."',
            )
        return date(first, 1, 1), date(last, 12, 31)
    year = _year(match["year"], printed)
    month = _month(match, printed)
    if kind is PeriodKind.DECADE:
        if year % 10:
            raise PeriodError(
                printed,
                f"decade {year} does not start with a year ending in 0",
                'write the decade as its first year, e.g. "2000-е гг."',
            )
        return date(year, 1, 1), date(year + 9, 12, 31)
    if month is None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    elif match.groupdict().get("day") is not None:
        start = end = _day(match, year, month, printed)
    else:
        start, end = date(year, month, 1), _last_day(year, month)
    if kind is PeriodKind.SINCE:
        return start, None
    if kind is PeriodKind.AS_OF:
        moment = end if match.groupdict().get("edge") == "конец" else start
        return moment, moment
    return start, end


def _not_understood(norm: str) -> str:
    """Say which part of an unreadable phrase is the trouble."""
    if not norm:
        return "the text is empty"
    longest = 0
    for _, pattern in _PATTERNS:
        match = pattern.match(norm)
        if match and (match.groupdict().get("month") is None or _month_number(match["month"])):
            longest = max(longest, match.end())
    bare = norm.rstrip(".,;:!?)")
    if bare != norm and any(pattern.fullmatch(bare) for _, pattern in _PATTERNS):
        return f"unexpected punctuation {norm[len(bare) :]!r} at the end"
    if longest:
        return f"unexpected text {norm[longest:].strip()!r} after {norm[:longest]!r}"
    unknown = []
    for token in re.split(rf"(?: |{_DASH})+", norm):
        word = token.replace(".", "")
        if not word or (word.isascii() and word.isdigit()) or _KNOWN_WORD.fullmatch(word):
            continue
        if not (re.fullmatch("[а-яё]+", word) and _month_number(word)):
            unknown.append(token)
    if unknown:
        return "unknown word(s) " + ", ".join(repr(word) for word in unknown)
    if not re.search("[0-9]", norm):
        return "there is no year in it"
    return "the words do not form a period"


def parse_period(text: str, *, language: str = "ru") -> Period:
    """Read a printed period such as "в 2013 году", "на начало 2022 года" or "since 2014".

    "Сегодня", "уже", "today", "to date" are periods of kind as_of_publication, with no
    dates: the build takes them from the source's publication date.
    """
    if language == "en":
        return parse_english_period(text)
    if language != "ru":
        raise MissingLanguageData(
            f"no period words for language {language!r}: periods are read in ru, en; "
            "add its patterns beside etl/text/periods_en.py"
        )
    norm = _normalise(text)
    if norm in _PUBLICATION_WORDS:
        return Period(printed=text, kind=PeriodKind.AS_OF_PUBLICATION, start=None, end=None)
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(norm)
        if match:
            start, end = _span(kind, match, text)
            return Period(printed=text, kind=kind, start=start, end=end)
    raise PeriodError(text, _not_understood(norm))


def _date_words(day: date) -> str:
    """A date as printed: "19 декабря 2022 г."."""
    return f"{day.day} {_GENITIVE[day.month]} {day.year} г."


def _canonical(period: Period) -> str:
    """The canonical phrase for a period's kind and start (and end for year ranges)."""
    start, end = period.start, period.end
    if period.kind is PeriodKind.AS_OF_PUBLICATION:
        return "сегодня"
    if start is None:
        raise ValueError(f"{period!r} has no start date")
    match period.kind:
        case PeriodKind.YEAR:
            return f"{start.year} г."
        case PeriodKind.YEARS:
            if end is None:
                raise ValueError(f"{period!r} is a range of years without an end")
            return f"{start.year}–{end.year} гг."
        case PeriodKind.DECADE:
            return f"{start.year}-е гг."
        case PeriodKind.MONTH:
            return f"{_NOMINATIVE[start.month]} {start.year} г."
        case PeriodKind.DAY:
            return _date_words(start)
        case PeriodKind.SINCE:
            if (start.month, start.day) == (1, 1):
                return f"с {start.year} г."
            if start.day == 1:
                return f"с {_GENITIVE[start.month]} {start.year} г."
            return f"с {_date_words(start)}"
        case PeriodKind.AS_OF:
            return f"на {_date_words(start)}"
    raise ValueError(f"unknown period kind {period.kind!r}")


def format_period(period: Period) -> str:
    """The canonical Russian phrase for a period; ValueError if its dates do not fit its kind."""
    text = _canonical(period)
    try:
        parsed = parse_period(text)
    except PeriodError as error:
        raise ValueError(f"{period!r} cannot be written as a period: {error.problem}") from None
    if (parsed.kind, parsed.start, parsed.end) != (period.kind, period.start, period.end):
        raise ValueError(
            f"{period!r} does not fit kind {period.kind}: "
            f"{text!r} covers {parsed.start}..{parsed.end}"
        )
    return text
