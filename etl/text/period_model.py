"""A printed period and the days it covers, whatever its language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from etl.text.errors import ParseError


class PeriodKind(StrEnum):
    """What a printed period covers; the values are published strings."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    YEARS = "years"
    DECADE = "decade"
    SINCE = "since"
    AS_OF = "as_of"
    AS_OF_PUBLICATION = "as_of_publication"  # "сегодня", "to date": the source's date


@dataclass(frozen=True)
class Period:
    """A printed period and the days it covers (`end` inclusive, None when open-ended)."""

    printed: str
    kind: PeriodKind
    start: date | None
    end: date | None


ACCEPTED_FORMS: Final = (
    'accepted forms: "2013 г.", "в 2013 году", "2020–2022 гг.", "с 2020 по 2022 год", '
    '"2000-е гг.", "в сентябре 2022 г.", "19 декабря 2022 г.", "с 2014 года", '
    '"с сентября 2022 г.", "на начало 2022 года", "на конец 2022 года", "на 1 января 2022 г."'
)


class PeriodError(ParseError):
    """A printed period cannot be read; the message says what is wrong and what to write."""

    def __init__(self, printed: str, problem: str, hint: str = ACCEPTED_FORMS) -> None:
        self.printed = printed
        self.problem = problem
        super().__init__(f"cannot read period {printed!r}: {problem}; {hint}")
