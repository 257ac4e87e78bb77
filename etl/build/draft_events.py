"""Drafting, part 4: what an event's quote names besides its date, by the build's rules.

- Its programme: a programme of `raw/programmes.csv` whose `name_ru` stands once in the
  quote as a whole word (what the build's citation check asks of `programme_id`); with
  two or more programmes named, none is guessed and the review says which.
- Its partner: the one partner a name in the quote resolves to, read as the partner
  resolver reads names (two words, as "Российской Федерации", before one). A name right
  after an all-capitals word is part of an organisation's name ("НАН Беларуси") and is
  not a partner; with two or more partners named, none is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.build.draft_text import NAME as _NAME
from etl.build.draft_text import ORGANISATION as _ORGANISATION
from etl.text.errors import MissingLanguageData, ParseError
from etl.text.partners import PartnerResolver
from etl.text.quotes import QuoteIndex


@dataclass(frozen=True)
class Named:
    """What an event's quote names: a programme id and a partner as printed (or "")."""

    programme_id: str
    partner_as_printed: str
    note: str  # why a field was left empty, when more than one candidate stands there


def _programme(quote: str, programmes: dict[str, str]) -> tuple[str, str]:
    """The one programme whose name_ru stands once in `quote`, else "" and why."""
    index = QuoteIndex(quote)
    found = sorted(
        pid for pid, name in programmes.items() if len(index.find_all(name, whole=True)) == 1
    )
    if len(found) == 1:
        return found[0], ""
    return "", (f"programmes {', '.join(found)} are all named" if found else "")


def _partner(quote: str, resolver: PartnerResolver | None) -> tuple[str, str]:
    """The name of the one partner the quote names, else "" and why."""
    if resolver is None:
        return "", ""
    words = [m for m in _NAME.finditer(quote) if m.group()[0].isupper()]
    named: dict[str, str] = {}  # partner id -> first name as printed
    taken = -1
    for i, word in enumerate(words):
        if word.start() < taken or _ORGANISATION.search(quote, 0, word.start()):
            continue
        pair = words[i + 1] if i + 1 < len(words) else None
        spans = [(word.start(), word.end())]
        if pair is not None and not quote[word.end() : pair.start()].strip():
            spans.insert(0, (word.start(), pair.end()))
        for start, end in spans:
            try:
                partner = resolver.resolve(quote[start:end])
            except (ParseError, MissingLanguageData):
                continue
            named.setdefault(partner.partner_id, quote[start:end])
            taken = end
            break
    if len(named) == 1:
        return next(iter(named.values())), ""
    return "", (f"partners {', '.join(sorted(named))} are all named" if named else "")


def event_names(quote: str, programmes: dict[str, str], resolver: PartnerResolver | None) -> Named:
    """The programme and partner an event's quote names, by the rules above."""
    programme, why_programme = _programme(quote, programmes)
    partner, why_partner = _partner(quote, resolver)
    note = "; ".join(n for n in (why_programme, why_partner) if n)
    return Named(programme, partner, note)
