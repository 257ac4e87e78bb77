"""Drafting, part 2: every number of a source text read as a figure, part of a period, an
event date or a waived number, with the language's parsers from etl.text.

Every number the project's number finder (etl.text.quotes.numbers) counts ends up in one of
the lists of a `Reading`; a number or figure no parser could read is kept, with the reason,
in `unread` (and a figure the figure parser cannot read is still drafted, marked so).

Which period a figure takes: the nearest one printed before it in its clause, else the
nearest after it; a period inside brackets serves only the figures inside the same brackets.
A period no figure takes is an event date. A bracketed part at the end of a clause that holds
a period and no figure is a statement of its own: it is left out of the figures' quote.
Partners are the names in a list that the partner resolver reads, or one name alone ("с
Китаем", marked in the review to confirm); a name right after an all-capitals word is part
of an organisation's name ("НАН Беларуси") and no partner; "и других стран" / "and other
countries" after the list makes it partial.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from etl.build.draft_units import Clause, FoundPeriod, clauses, collapse, find_periods
from etl.build.draft_words import first_noun
from etl.text.errors import MissingLanguageData, ParseError
from etl.text.figures import Figure, find_figure_spans, parse_figure
from etl.text.partners import PartnerResolver
from etl.text.periods import Period, parse_period
from etl.text.quotes import QuoteIndex, Span, numbers


def _no_parser(what: str, language: str) -> Callable[..., object]:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise MissingLanguageData(f"etl.text has no {what} parser for language {language!r}")

    return refuse


@dataclass(frozen=True)
class Grammar:
    """The parsers of one language (those it lacks raise MissingLanguageData)."""

    language: str
    figure: Callable[..., Figure]
    period: Callable[[str], Period]
    partners: bool
    # where figures stand; a language without figure words: every number on its own
    spans: Callable[[str], list[tuple[int, int]]] = find_figure_spans


def grammar(language: str) -> Grammar:
    """The parsers etl.text offers for `language`."""
    if language in ("ru", "en"):
        return Grammar(
            language,
            functools.partial(parse_figure, language=language),
            functools.partial(parse_period, language=language),
            partners=language == "ru",
            spans=functools.partial(find_figure_spans, language=language),
        )
    return Grammar(
        language,
        _no_parser("figure", language),  # type: ignore[arg-type]
        _no_parser("period", language),  # type: ignore[arg-type]
        partners=False,
    )


@dataclass
class DraftFigure:
    """A figure found in the text, with what the parsers made of it."""

    span: Span
    printed: str
    quote: str
    period: FoundPeriod | None
    figure: Figure | None
    problem: str | None
    context: str  # the words the indicator is chosen by
    counted: str | None  # the counted noun as printed ("договоров"), if any
    partners: list[tuple[str, str | None]] = field(default_factory=list)  # (printed, code)
    partner_list: str | None = None


@dataclass(frozen=True)
class DraftWaiver:
    """A number that is not a figure, with its quote and why."""

    span: Span
    number: str
    quote: str
    reason: str


@dataclass(frozen=True)
class DraftEvent:
    """A period no figure takes: a dated event."""

    period: FoundPeriod
    quote: str


@dataclass(frozen=True)
class Unread:
    """Something found that no parser could read: where, what, and why."""

    span: Span | None
    text: str
    problem: str


@dataclass
class Reading:
    """What the drafting made of one source text."""

    figures: list[DraftFigure] = field(default_factory=list)
    waivers: list[DraftWaiver] = field(default_factory=list)
    events: list[DraftEvent] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    periods: list[FoundPeriod] = field(default_factory=list)


_GLUED_BEFORE = re.compile(r"[^\W\d_]-?\Z")
_GLUED_AFTER = re.compile(r"^-?[^\W\d_]")
_DOCUMENT_NUMBER = re.compile(r"(?:№|No\.?|N)\s*\Z")
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:и|and|or|или)?|и|and|or|или)\s*")
_PARTIAL = re.compile(r"\s*,?\s*(?:и|and)\s+(?:других|другие|other|others)\b", re.IGNORECASE)
NAME = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: An all-capitals word right before a name: "НАН Беларуси" is an organisation's name.
ORGANISATION = re.compile(r"(?<![^\W\d_])[^\W\d_a-zа-яё]{2,}\s+\Z")
_YEARISH = re.compile(r"1[89][0-9]{2}|20[0-9]{2}")
_ROMAN = re.compile(r"[IVXLC]+")


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _aside_of(span: Span, clause: Clause) -> Span | None:
    return next((a for a in clause.asides if _inside(span, a)), None)


def _period_for(span: Span, clause: Clause, periods: list[FoundPeriod]) -> FoundPeriod | None:
    """The period a figure at `span` takes (see the module docstring)."""
    aside = _aside_of(span, clause)
    for group in ([aside] if aside else []) + [None]:
        mine = [p for p in periods if _aside_of(p.span, clause) == group]
        before = [p for p in mine if p.span.end <= span.start]
        after = [p for p in mine if p.span.start >= span.end]
        if before or after:
            return before[-1] if before else after[0]
    return None


def _quote_span(text: str, clause: Clause, figures: list[Span], periods: list[FoundPeriod]) -> Span:
    """The clause without a closing bracketed statement that holds a period but no figure."""
    end = clause.span.end
    last = clause.asides[-1] if clause.asides else None
    if (
        last is not None
        and not text[last.end : end].strip(" .;")
        and not any(_inside(f, last) for f in figures)
        and any(_inside(p.span, last) for p in periods)
    ):
        end = last.start
    while end > clause.span.start and text[end - 1].isspace():
        end -= 1
    return Span(clause.span.start, end)


def _counted(text: str, end: int, limit: int) -> str | None:
    """The first noun after a figure, in the same stretch of words (pymorphy3)."""
    return first_noun(text[end:limit])


def _partners(
    text: str, clause: Clause, resolver: PartnerResolver | None
) -> tuple[list[tuple[str, str | None]], str | None]:
    """The partner list of a clause and whether it is complete or partial."""
    if resolver is None:
        return [], None
    named: list[tuple[int, int, str, str]] = []
    for match in NAME.finditer(text, clause.span.start, clause.span.end):
        if not match.group()[0].isupper():
            continue
        try:
            partner = resolver.resolve(match.group())
        except (ParseError, MissingLanguageData):
            continue
        named.append((match.start(), match.end(), match.group(), partner.partner_id))
    best: list[tuple[int, int, str, str]] = []
    run: list[tuple[int, int, str, str]] = []
    for item in named:
        if run and _LIST_JOIN.fullmatch(text[run[-1][1] : item[0]]):
            run.append(item)
        else:
            run = [item]
        if len(run) > len(best):
            best = list(run)
    if not best or (len(best) == 1 and ORGANISATION.search(text, 0, best[0][0])):
        return [], None  # "НАН Беларуси": a name after an all-capitals word is an organisation's
    tail = text[best[-1][1] : clause.span.end]
    kind = "partial" if _PARTIAL.match(tail) else "complete"
    return [(name, code) for _, _, name, code in best], kind


def _waiver(text: str, index: QuoteIndex, number: Span, clause: Clause, reason: str) -> DraftWaiver:
    """A waiver whose quote holds the number once and stands once in the source."""
    printed = collapse(text[number.start : number.end])
    quote = Span(clause.span.start, clause.span.end)
    words = [m.span() for m in re.finditer(r"\S+", text[clause.span.start : clause.span.end])]

    def ok(q: Span) -> bool:
        return (
            len(index.find_all(printed, q, whole=True)) == 1
            and len(index.find_all(text[q.start : q.end])) == 1
        )

    if not ok(quote):
        here = next(i for i, (a, b) in enumerate(words) if clause.span.start + b > number.start)
        for width in range(1, len(words)):
            lo, hi = max(0, here - width), min(len(words), here + width + 1)
            trial = Span(clause.span.start + words[lo][0], clause.span.start + words[hi - 1][1])
            if ok(trial):
                quote = trial
                break
    return DraftWaiver(number, printed, collapse(text[quote.start : quote.end]), reason)


def _why_not_figure(text: str, number: Span, span: Span, clause: Clause) -> str | None:
    """Why a number is not a figure (a waiver's reason), or None when it may be one; letters
    glued after the figure's `span` make a name, those inside it are its own ("64m")."""
    digits = text[number.start : number.end]
    if clause.heading:
        head = text[clause.span.start : number.start].strip()
        if not head and text[number.end : number.end + 1] == ".":
            return "The section number of the heading, not a figure."
        return "A number in a heading, not a figure."
    if _DOCUMENT_NUMBER.search(text[max(0, number.start - 4) : number.start]):
        return f"The number of a document (№ {digits}), not a figure."
    before = text[max(0, number.start - 2) : number.start]
    after = text[span.end : span.end + 2]
    if _GLUED_BEFORE.search(before) or _GLUED_AFTER.match(after):
        word = NAME.findall(text[max(0, number.start - 30) : number.start])
        name = f"{word[-1]}-{digits}" if word and before.endswith("-") else digits
        return f"Part of a name ({name}), not a figure."
    return None


def read_text(
    text: str, gram: Grammar, resolver: PartnerResolver | None, rouble: str | None
) -> Reading:
    """Every number of `text` as a figure, period, event date, waiver or unread item."""
    reading = Reading()
    index = QuoteIndex(text)
    for clause in clauses(text):
        periods, problems = find_periods(text, clause.span, gram.period)
        reading.periods.extend(periods)
        _read_clause(text, index, clause, periods, problems, gram, resolver, rouble, reading)
        _number_words(text, index, clause, gram.language, reading)
    return reading


def _number_words(
    text: str, index: QuoteIndex, clause: Clause, language: str, out: Reading
) -> None:
    """A number printed in words ("ещё одна", "seven") or a Roman numeral ("XXI век")
    outside every figure and period of the clause is drafted as a waiver, to confirm (or
    turn into a figure)."""
    body = text[clause.span.start : clause.span.end]
    try:
        spelled = numbers(body, language)
    except MissingLanguageData:  # no number words for the language: digits only
        return
    digits = set(numbers(body))
    taken = [f.span for f in out.figures] + [p.span for p in out.periods]
    taken += [w.span for w in out.waivers]
    for found in spelled:
        if found in digits:
            continue
        span = Span(clause.span.start + found.start, clause.span.start + found.end)
        if any(t.start <= span.start and span.end <= t.end for t in taken):
            continue
        reason = "A number in words that is not a figure: confirm, or transcribe it."
        if _ROMAN.fullmatch(text[span.start : span.end]):
            reason = "A Roman numeral (an ordinal or a name), not a figure: confirm it."
        out.waivers.append(_waiver(text, index, span, clause, reason))


def _read_clause(
    text: str,
    index: QuoteIndex,
    clause: Clause,
    periods: list[FoundPeriod],
    problems: list[str],
    gram: Grammar,
    resolver: PartnerResolver | None,
    rouble: str | None,
    out: Reading,
) -> None:
    """Draft the figures, waivers and events of one clause into `out`."""
    body = text[clause.span.start : clause.span.end]
    figures: list[Span] = []
    for a, b in gram.spans(body):
        span = Span(clause.span.start + a, clause.span.start + b)
        if any(p.span.start < span.end and span.start < p.span.end for p in periods):
            continue
        first = next((n for n in numbers(body[a:b])), None)
        number = Span(span.start + first.start, span.start + first.end) if first else span
        if first is not None and (reason := _why_not_figure(text, number, span, clause)):
            out.waivers.append(_waiver(text, index, number, clause, reason))
            continue
        if first is not None and _YEARISH.fullmatch(text[span.start : span.end]) and problems:
            out.unread.append(Unread(span, text[span.start : span.end], problems[0]))
            continue
        figures.append(span)
    taken: set[Span] = set()
    quote = _quote_span(text, clause, figures, periods)
    partners, partner_list = _partners(text, clause, resolver if gram.partners else None)
    for span in figures:
        period = _period_for(span, clause, periods)
        if period is not None:
            taken.add(period.span)
        printed = collapse(text[span.start : span.end])
        figure, problem = None, None
        try:
            figure = gram.figure(printed, rouble=rouble or "RUB")
        except (ParseError, MissingLanguageData) as exc:
            problem = str(exc)
        if figure is not None and rouble is None and _bare_rouble(figure):
            problem = "bare roubles: which rouble the source means is not given (--rouble)"
        aside = _aside_of(span, clause)
        context = text[aside.start : aside.end] if aside else _outside_asides(text, clause)
        limit = aside.end if aside else clause.span.end
        draft = DraftFigure(
            span=span,
            printed=printed,
            quote=collapse(text[quote.start : quote.end]),
            period=period,
            figure=figure,
            problem=problem,
            context=collapse(context),
            counted=_counted(text, span.end, limit),
            partners=partners,
            partner_list=partner_list,
        )
        out.figures.append(draft)
        if problem:
            out.unread.append(Unread(span, printed, problem))
    for period in periods:
        if period.span in taken:
            continue
        if clause.heading:
            for n in numbers(text[period.span.start : period.span.end]):
                at = Span(period.span.start + n.start, period.span.start + n.end)
                reason = "A date in a heading, not a figure."
                out.waivers.append(_waiver(text, index, at, clause, reason))
            continue
        aside = _aside_of(period.span, clause)
        where = Span(aside.start + 1, aside.end - 1) if aside else clause.span
        out.events.append(DraftEvent(period, collapse(text[where.start : where.end])))


def _bare_rouble(figure: Figure) -> bool:
    """Roubles printed without saying which (as etl.build.transform tells them)."""
    return (figure.currency_printed or "").lower().startswith("руб")


def _outside_asides(text: str, clause: Clause) -> str:
    """The clause's words outside its brackets."""
    parts, pos = [], clause.span.start
    for aside in clause.asides:
        parts.append(text[pos : aside.start])
        pos = aside.end
    parts.append(text[pos : clause.span.end])
    return " ".join(parts)
